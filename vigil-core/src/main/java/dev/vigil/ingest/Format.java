package dev.vigil.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The input formats Vigil reads. {@link #AUTO} recognizes each source from its first bytes; the others force a
 * format (and for JSON, a producer) on every source of a run. Names on the command line are the lower-case,
 * dash-separated forms: {@code evtx-json}, {@code ndjson}, ...
 */
public enum Format {
    AUTO(null),
    JSON(JsonShape.AUTO),
    NDJSON(JsonShape.AUTO),
    EVTX_JSON(JsonShape.EVTX),
    WINLOGBEAT(JsonShape.WINLOGBEAT),
    NXLOG(JsonShape.NXLOG),
    SENTINEL(JsonShape.SENTINEL),
    DEFENDER(JsonShape.DEFENDER),
    OCSF(JsonShape.OCSF),
    ZEEK(JsonShape.ZEEK),
    CSV(null),
    SYSLOG(null),
    CEF(null),
    LEEF(null),
    AUDITD(null),
    /** Windows events as Splunk's classic WinEventLog text (a time line, Key=Value lines, Message=). */
    WINEVENTLOG_TEXT(null),
    /** Zeek's native tab-separated logs ({@code #separator}, {@code #fields}, ...). */
    ZEEK_TSV(null),
    /** Windows events as XML (Event Viewer, wevtutil, forwarded events). */
    WINDOWS_XML(null),
    /** Any text, one record per line, kept whole in {@code Message}; only when forced. */
    LINES(null);

    private final JsonShape jsonShape;

    Format(JsonShape jsonShape) {
        this.jsonShape = jsonShape;
    }

    /** For the JSON formats, the producer to assume; null for the others. */
    public JsonShape jsonShape() {
        return jsonShape;
    }

    public boolean isJson() {
        return jsonShape != null;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format for a command-line name, ignoring case; throws with the list of valid names. */
    public static Format fromCliName(String name) {
        for (Format format : values()) {
            if (format.cliName().equalsIgnoreCase(name) || format.name().equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Format::cliName).collect(Collectors.joining(", "));
    }
}
