package dev.vigil.ingest;

/** Defaults shared by the ingest configuration and the command line. */
public final class IngestDefaults {
    /** The table for records no known producer claims. */
    public static final String DEFAULT_TABLE = "JsonEvent";

    private IngestDefaults() {}
}
