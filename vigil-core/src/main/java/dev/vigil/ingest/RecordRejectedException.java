package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;

/**
 * Thrown by a parser for a record that cannot be stored as an event; the record goes to quarantine with this reason
 * and detail. It carries no stack trace: rejections are data, not bugs, and a hostile input may cause many.
 */
public final class RecordRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final QuarantineReason reason;

    public RecordRejectedException(QuarantineReason reason, String detail) {
        super(requireNonNull(detail, "detail is null"), null, false, false);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public QuarantineReason reason() {
        return reason;
    }

    /** What exactly was wrong, e.g. {@code "unexpected end of input at column 41"}. */
    public String detail() {
        return getMessage();
    }
}
