package dev.vigil.ingest;

import dev.vigil.model.QuarantineReason;

/** The checks every record passes before its parser sees it, shared by every path that parses records. */
public final class RecordParsing {
    private RecordParsing() {}

    /**
     * Parses a record: refuses it as {@code INVALID_UTF8} when its bytes are not UTF-8 text, else hands it to the
     * parser.
     */
    public static ParsedRecord parse(RawRecord record, RecordParser parser) throws RecordRejectedException {
        int invalid = Utf8.firstInvalid(record.bytes());
        if (invalid >= 0) {
            throw new RecordRejectedException(QuarantineReason.INVALID_UTF8, "invalid UTF-8 byte 0x"
                    + Integer.toHexString(record.bytes()[invalid] & 0xFF) + " at byte " + invalid + " of the record");
        }
        return parser.parse(record);
    }

    /** The detail of a record over {@code ingest.max-record-bytes}. */
    public static String tooLarge(long fullLength, IngestLimits limits) {
        return "record of " + fullLength + " bytes is larger than ingest.max-record-bytes (" + limits.maxRecordBytes()
                + ")";
    }
}
