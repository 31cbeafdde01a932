package dev.vigil.server;

import static dev.vigil.store.PostgresState.setInstant;
import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import dev.vigil.store.PostgresState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail in PostgreSQL ({@code vigil_audit}), with one hash chain per tenant: each tenant's records are
 * numbered from 1 and each links to the one before it in that tenant, so a tenant's trail can be handed over and
 * verified alone, and the nodes of a deployment append to different tenants without waiting for each other.
 * Requests with no tenant (a failed login, a probe) form the chain of the empty tenant.
 *
 * <p>A record's text is exactly an {@link AuditLog} line, so one verifier checks both. An append takes the tenant's
 * transaction-scoped advisory lock, reads the chain's last hash, and inserts the next record in one transaction: two
 * nodes appending to one tenant wait for each other, and the chain never forks ({@code (tenant, seq)} is the key).
 */
public final class PostgresAuditTrail implements AuditTrail {
    private final PostgresState database;

    public PostgresAuditTrail(PostgresState database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public void append(AuditLog.Entry entry) {
        String tenant = entry.tenant() == null ? "" : entry.tenant();
        database.transaction("appending to the audit trail of tenant '" + tenant + "'", connection -> {
            try (PreparedStatement lock = connection.prepareStatement(
                    "SELECT pg_advisory_xact_lock(hashtextextended('vigil_audit:' || ?, 0))")) {
                lock.setString(1, tenant);
                lock.execute();
            }
            long sequence = 0;
            String previous = AuditLog.GENESIS;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT seq, hash FROM vigil_audit WHERE tenant = ? ORDER BY seq DESC LIMIT 1")) {
                statement.setString(1, tenant);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        sequence = rows.getLong(1);
                        previous = rows.getString(2);
                    }
                }
            }
            String line = AuditLog.seal(entry, sequence + 1, previous);
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_audit (tenant, seq, at,"
                    + " actor, route, status, record, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                statement.setString(1, tenant);
                statement.setLong(2, sequence + 1);
                setInstant(statement, 3, entry.time());
                statement.setString(4, entry.actor() == null ? "" : entry.actor());
                statement.setString(5, entry.route() == null ? "" : entry.route());
                statement.setInt(6, entry.status());
                statement.setString(7, line);
                statement.setString(8, AuditLog.hashOf(line));
                statement.executeUpdate();
            }
            return null;
        });
    }

    /** Verifies every tenant's chain; a broken one is named in the reason, with its record's number in it. */
    @Override
    public AuditLog.Verification verify() {
        long records = 0;
        for (String tenant : tenants()) {
            AuditLog.Verification one = verify(tenant);
            records += one.records();
            if (!one.intact()) {
                return new AuditLog.Verification(records, one.brokenAt(), "tenant '" + tenant + "', record "
                        + one.brokenAt() + ": " + one.reason());
            }
        }
        return new AuditLog.Verification(records, 0, "");
    }

    /** Verifies one tenant's chain; {@code brokenAt} is the number of its first broken record. */
    public AuditLog.Verification verify(TenantId tenant) {
        return verify(tenant.value());
    }

    /** Every tenant's records, ordered by time and then by tenant and number. */
    @Override
    public List<String> records() {
        return database.read("reading the audit trail", connection -> lines(connection,
                "SELECT record FROM vigil_audit ORDER BY at, tenant, seq", null));
    }

    @Override
    public String where() {
        return "vigil_audit in PostgreSQL at " + database.where();
    }

    /** One tenant's records, in the order of its chain. */
    public List<String> records(TenantId tenant) {
        return records(tenant.value());
    }

    private AuditLog.Verification verify(String tenant) {
        return AuditLog.verifyChain(records(tenant));
    }

    private List<String> records(String tenant) {
        return database.read("reading the audit trail of tenant '" + tenant + "'", connection -> lines(connection,
                "SELECT record FROM vigil_audit WHERE tenant = ? ORDER BY seq", tenant));
    }

    private List<String> tenants() {
        return database.read("listing the audit trail's tenants", connection -> lines(connection,
                "SELECT DISTINCT tenant FROM vigil_audit ORDER BY tenant", null));
    }

    private static List<String> lines(Connection connection, String sql, String tenant) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (tenant != null) {
                statement.setString(1, tenant);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
        }
        return lines;
    }
}
