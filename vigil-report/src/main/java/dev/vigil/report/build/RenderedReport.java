package dev.vigil.report.build;

import static java.util.Objects.requireNonNull;

/**
 * A report rendered to one format, ready to write to a file, post or attach to a mail.
 *
 * @param title the report's title, for a mail subject or a listing
 * @param fileName a safe file name with the format's extension ({@code executive-acme-2026-11-29.html})
 * @param mediaType {@code text/markdown}, {@code text/html} or {@code application/pdf}
 * @param bytes the document (UTF-8 for the text formats)
 */
public record RenderedReport(String title, String fileName, String mediaType, byte[] bytes) {
    public RenderedReport {
        requireNonNull(title, "title is null");
        requireNonNull(fileName, "fileName is null");
        requireNonNull(mediaType, "mediaType is null");
        requireNonNull(bytes, "bytes is null");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
