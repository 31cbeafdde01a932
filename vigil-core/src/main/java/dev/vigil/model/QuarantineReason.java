package dev.vigil.model;

import java.util.Locale;

/**
 * Why a record was quarantined instead of stored. Each reason is a stable id that the ingest summary counts by,
 * and a hint that tells the user what to do with such records.
 */
public enum QuarantineReason {
    MALFORMED_JSON("The record is not valid JSON; fix the producer or re-export the data."),
    NOT_AN_OBJECT("A JSON record must be an object; wrap scalar and array values in an object."),
    NESTING_TOO_DEEP("The record nests deeper than ingest.max-nesting-depth; flatten it or raise the limit."),
    RECORD_TOO_LARGE("The record is larger than ingest.max-record-bytes; split it or raise the limit."),
    TOO_MANY_FIELDS("The record has more fields than ingest.max-fields-per-record; drop unused fields or raise the limit."),
    INVALID_UTF8("The record is not valid UTF-8 text; re-encode it as UTF-8."),
    BINARY_DATA("The input is binary, not log text; export it to a text format first."),
    UNSUPPORTED_FORMAT("The input's format is not one Vigil reads; convert it, or force a format with --format."),
    MALFORMED_SYSLOG("The line is not RFC 3164 or RFC 5424 syslog."),
    MALFORMED_CEF("The CEF header is incomplete: it needs 7 '|'-separated fields after 'CEF:'."),
    MALFORMED_LEEF("The LEEF header is incomplete: LEEF:1.0 needs 5 and LEEF:2.0 6 '|'-separated fields."),
    MALFORMED_CSV("The CSV row does not match the header; check quoting and the number of columns."),
    MALFORMED_AUDIT("The line is not a Linux audit record (type=... msg=audit(...))."),
    MALFORMED_WINEVENTLOG("The event is not in Splunk's WinEventLog text form (a time line, then Key=Value lines)."),
    MALFORMED_ZEEK("The row does not match its Zeek log's #fields header."),
    MALFORMED_XML("The XML is not a complete Windows event; re-export it with wevtutil qe /f:xml or Event Viewer.");

    private final String hint;

    QuarantineReason(String hint) {
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }

    /** The stable id used in summaries and the quarantine table, e.g. {@code malformed_json}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
