package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import dev.vigil.report.build.RenderedReport;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Writes the report into a folder, under the report's file name (template, tenant and date). The file appears whole
 * or not at all: it is written to a hidden temporary file beside it, then linked (or moved) into place. An existing
 * file is never replaced: the new one gets a counter ({@code weekly-soc-acme-2026-11-30-2.pdf}) and the result says
 * so.
 */
public final class FolderDelivery implements Delivery {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final int MOST_COPIES = 1000;

    private final Destination.Folder destination;

    public FolderDelivery(Destination.Folder destination) {
        this.destination = requireNonNull(destination, "destination is null");
    }

    @Override
    public DeliveryResult deliver(RenderedReport report, Context context) {
        Path folder = destination.folder();
        String fileName = safeFileName(report.fileName());
        try {
            Files.createDirectories(folder);
            // created as any new file is (the umask decides who may read it), not owner-only as createTempFile's
            Path temporary = folder.resolve(".vigil-report-" + java.util.UUID.randomUUID() + ".tmp");
            try {
                Files.write(temporary, report.bytes(), java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                for (int copy = 1; copy <= MOST_COPIES; copy++) {
                    Path target = folder.resolve(copy == 1 ? fileName : numbered(fileName, copy));
                    try {
                        move(temporary, target);
                        String note = copy == 1 ? "" : " (" + fileName + " already existed)";
                        return new DeliveryResult(destination.describe(), true, "wrote " + target + note, 1);
                    } catch (FileAlreadyExistsException taken) {
                        // the name is taken: try the next number
                    }
                }
                return new DeliveryResult(destination.describe(), false, "not written: " + fileName + " and "
                        + MOST_COPIES + " numbered copies already exist in " + folder, 1);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            return new DeliveryResult(destination.describe(), false, "not written: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), 1);
        }
    }

    /**
     * Puts the complete file at {@code target} unless something is there. A hard link is made in one step and fails if
     * the name is taken, so a reader sees the whole file or nothing. Where links are not supported, the name is
     * claimed by creating it empty (which also fails if taken) and the file is moved over the claim.
     */
    private static void move(Path temporary, Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
            return;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            // no hard links on this file system: claim, then move
        }
        Files.createFile(target);
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(target);
            throw e;
        }
    }

    /** The file name with anything but letters, digits, '.', '_' and '-' replaced, and no leading dot. */
    static String safeFileName(String fileName) {
        String safe = UNSAFE.matcher(fileName.strip()).replaceAll("-").replaceAll("^[.-]+", "");
        return safe.isEmpty() ? "report" : safe;
    }

    static String numbered(String fileName, int copy) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? fileName + "-" + copy : fileName.substring(0, dot) + "-" + copy + fileName.substring(dot);
    }
}
