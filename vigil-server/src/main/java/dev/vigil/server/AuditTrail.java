package dev.vigil.server;

import java.util.List;

/**
 * Where the server audits requests: append-only, hash-chained records (see {@link AuditLog} for a record's shape and
 * how its chain is checked). Two implementations: {@link AuditLog}, one chain in {@code DATA/server/audit.jsonl},
 * and {@link PostgresAuditTrail}, one chain per tenant in PostgreSQL, appended to by every node of a scale-out
 * deployment.
 */
public interface AuditTrail {
    /** Appends a record, durable when this returns. */
    void append(AuditLog.Entry entry);

    /** Recomputes every chain and reports the first broken link. */
    AuditLog.Verification verify();

    /** The records as JSON text lines, oldest first. */
    List<String> records();

    /** Where the records are, as messages name it: the file, or the table and database. */
    String where();
}
