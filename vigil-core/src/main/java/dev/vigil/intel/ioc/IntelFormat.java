package dev.vigil.intel.ioc;

import java.util.Locale;

/** The formats indicators are imported from. */
public enum IntelFormat {
    /** A STIX 2.1 (or 2.0) bundle, a single STIX object, or a TAXII envelope of objects. */
    STIX,
    /** A MISP event as JSON ({@code {"Event": ...}}, a {@code response} list, or a list of events). */
    MISP_JSON,
    /** MISP's CSV export of attributes (a header with {@code type} and {@code value} columns). */
    MISP_CSV,
    /** One indicator per line, its type recognized; {@code #} comments; defanged spellings accepted. */
    PLAIN;

    private final String cliName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name on the command line: {@code stix}, {@code misp-json}, {@code misp-csv}, {@code plain}. */
    public String cliName() {
        return cliName;
    }

    /** The format of a command-line name, or null. */
    public static IntelFormat fromCliName(String name) {
        for (IntelFormat format : values()) {
            if (format.cliName.equalsIgnoreCase(name)) {
                return format;
            }
        }
        return null;
    }
}
