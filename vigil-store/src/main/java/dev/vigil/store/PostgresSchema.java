package dev.vigil.store;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The shared-state schema in PostgreSQL, as numbered migrations applied in order and recorded in
 * {@code vigil_schema_migrations}. A migration, once released, never changes: a later one alters what it made.
 *
 * <p>Migrating takes a transaction-scoped advisory lock, so that nodes starting together apply each migration once;
 * a database migrated by a newer Vigil than this one is refused rather than written with an old idea of its tables.
 *
 * <p>Tenant-owned tables lead their primary key with {@code tenant}. Users are the server's (a user may hold roles
 * in several tenants), so {@code vigil_users} has no tenant; their memberships ({@code vigil_user_tenants}) do. An
 * API token opens exactly one tenant, named in its row; it is found by its hash before its tenant is known, as a
 * request presents it. A plugin's rows (its files and settings) hang off its {@code vigil_plugins} row; each change of
 * a plugin gives it the next {@code vigil_plugin_revisions} number, which tells readers that hold its skills.
 *
 * <p>Incidents are numbered per tenant ({@code (tenant, number)}); a placement is keyed by its alert id, so an alert is
 * placed once whichever node or run tries again. The correlation cursor names the last alert placed by the row number
 * of the event store the alerts live in, one row per tenant.
 *
 * <p>Alerts ({@code vigil_alerts}, migration 4) are keyed by {@code (tenant, alert_id)}, so storing one again changes
 * nothing; {@code entity_values} repeats the values of {@code entities} as an indexed array, for the alerts naming
 * an entity (an incident's related incidents).
 */
final class PostgresSchema {
    /** Arbitrary, fixed: the advisory lock that serializes migrations. */
    private static final long MIGRATION_LOCK = 0x7669_6769_6c00_0001L;

    private record Migration(int version, String description, List<String> statements) {}

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "sessions, users, API tokens and the audit trail", List.of("""
                    CREATE TABLE vigil_sessions (
                        tenant text NOT NULL, id uuid NOT NULL, name text NOT NULL, owner text NOT NULL,
                        shared boolean NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant, id))""", """
                    CREATE TABLE vigil_session_turns (
                        tenant text NOT NULL, session_id uuid NOT NULL, turn_number integer NOT NULL,
                        answered_at timestamptz NOT NULL, prompt text NOT NULL, answer json NOT NULL,
                        PRIMARY KEY (tenant, session_id, turn_number),
                        FOREIGN KEY (tenant, session_id) REFERENCES vigil_sessions ON DELETE CASCADE)""", """
                    CREATE TABLE vigil_session_pins (
                        tenant text NOT NULL, session_id uuid NOT NULL, turn_number integer NOT NULL,
                        note text NOT NULL, pinned_at timestamptz NOT NULL, pinned_by text NOT NULL,
                        PRIMARY KEY (tenant, session_id, turn_number),
                        FOREIGN KEY (tenant, session_id, turn_number) REFERENCES vigil_session_turns
                            ON DELETE CASCADE)""", """
                    CREATE INDEX vigil_sessions_recent ON vigil_sessions (tenant, updated_at DESC)""", """
                    CREATE TABLE vigil_users (
                        name text PRIMARY KEY, added bigint GENERATED ALWAYS AS IDENTITY, password_hash text,
                        must_change_password boolean NOT NULL, oidc_subject text, created timestamptz NOT NULL,
                        password_changed timestamptz)""", """
                    CREATE TABLE vigil_user_tenants (
                        user_name text NOT NULL REFERENCES vigil_users ON DELETE CASCADE, tenant text NOT NULL,
                        role text NOT NULL, PRIMARY KEY (user_name, tenant))""", """
                    CREATE TABLE vigil_api_tokens (
                        id text PRIMARY KEY, added bigint GENERATED ALWAYS AS IDENTITY, tenant text NOT NULL,
                        name text NOT NULL, role text NOT NULL, sha256 text NOT NULL UNIQUE,
                        created timestamptz NOT NULL, expires timestamptz, revoked timestamptz, user_name text)""", """
                    CREATE INDEX vigil_api_tokens_tenant ON vigil_api_tokens (tenant)""", """
                    CREATE TABLE vigil_audit (
                        tenant text NOT NULL, seq bigint NOT NULL, at timestamptz NOT NULL, actor text NOT NULL,
                        route text NOT NULL, status integer NOT NULL, record text NOT NULL, hash text NOT NULL,
                        PRIMARY KEY (tenant, seq))""")),
            new Migration(2, "installed plugins: files, settings, enabled, installed by and when", List.of("""
                    CREATE SEQUENCE vigil_plugin_revisions""", """
                    CREATE TABLE vigil_plugins (
                        tenant text NOT NULL, name text NOT NULL, manifest_file text NOT NULL,
                        enabled boolean NOT NULL, installed_at timestamptz NOT NULL, installed_by text NOT NULL,
                        revision bigint NOT NULL DEFAULT nextval('vigil_plugin_revisions'),
                        PRIMARY KEY (tenant, name))""", """
                    CREATE TABLE vigil_plugin_files (
                        tenant text NOT NULL, plugin text NOT NULL, path text NOT NULL, content bytea NOT NULL,
                        PRIMARY KEY (tenant, plugin, path),
                        FOREIGN KEY (tenant, plugin) REFERENCES vigil_plugins ON DELETE CASCADE)""", """
                    CREATE TABLE vigil_plugin_settings (
                        tenant text NOT NULL, plugin text NOT NULL, position integer NOT NULL, name text NOT NULL,
                        value text NOT NULL, PRIMARY KEY (tenant, plugin, name),
                        FOREIGN KEY (tenant, plugin) REFERENCES vigil_plugins ON DELETE CASCADE)""")),
            new Migration(3, "incidents, their placements, history, response actions and correlation cursor", List.of("""
                    CREATE TABLE vigil_incidents (
                        tenant text NOT NULL, number bigint NOT NULL, title text NOT NULL, status text NOT NULL,
                        severity text NOT NULL, severity_set boolean NOT NULL DEFAULT false,
                        classification text NOT NULL, determination text NOT NULL, owner text NOT NULL,
                        tags text[] NOT NULL, first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL,
                        created timestamptz NOT NULL, acknowledged timestamptz, resolved timestamptz,
                        reference text NOT NULL, alert_count integer NOT NULL, merged_into bigint,
                        PRIMARY KEY (tenant, number))""", """
                    CREATE INDEX vigil_incidents_recent ON vigil_incidents (tenant, last_seen DESC, number DESC)
                        WHERE merged_into IS NULL""", """
                    CREATE TABLE vigil_incident_alerts (
                        tenant text NOT NULL, alert_id uuid NOT NULL, incident bigint NOT NULL, reason text NOT NULL,
                        entity_kind text, entity_value text, other_alert uuid, gap_us bigint NOT NULL,
                        detail text NOT NULL, placed_at timestamptz NOT NULL, placed bigint GENERATED ALWAYS AS IDENTITY,
                        PRIMARY KEY (tenant, alert_id),
                        FOREIGN KEY (tenant, incident) REFERENCES vigil_incidents)""", """
                    CREATE INDEX vigil_incident_alerts_incident ON vigil_incident_alerts (tenant, incident)""", """
                    CREATE TABLE vigil_incident_changes (
                        tenant text NOT NULL, incident bigint NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
                        changed_at timestamptz NOT NULL, actor text NOT NULL, field text NOT NULL,
                        from_value text NOT NULL, to_value text NOT NULL, PRIMARY KEY (tenant, incident, seq),
                        FOREIGN KEY (tenant, incident) REFERENCES vigil_incidents)""", """
                    CREATE TABLE vigil_response_actions (
                        tenant text NOT NULL, incident bigint NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY,
                        action_id uuid NOT NULL, action text NOT NULL, target text NOT NULL, reason text NOT NULL,
                        evidence text[] NOT NULL, status text NOT NULL, decided_by text NOT NULL,
                        decided_at timestamptz, outcome text NOT NULL, recorded_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant, incident, seq),
                        FOREIGN KEY (tenant, incident) REFERENCES vigil_incidents)""", """
                    CREATE TABLE vigil_correlation_cursor (
                        tenant text PRIMARY KEY, alert_rowid bigint NOT NULL, placed_through timestamptz NOT NULL)""")),
            new Migration(4, "alerts, as the stream pipeline raised them", List.of("""
                    CREATE TABLE vigil_alerts (
                        tenant text NOT NULL, alert_id uuid NOT NULL, source text NOT NULL, rule_id text NOT NULL,
                        title text NOT NULL, level text NOT NULL, status text NOT NULL, "time" timestamptz NOT NULL,
                        techniques text[] NOT NULL, matched_fields json NOT NULL, entities json NOT NULL,
                        entity_values text[] NOT NULL, event_ids uuid[] NOT NULL, table_name text NOT NULL,
                        incident_ref text NOT NULL, created_at timestamptz NOT NULL,
                        PRIMARY KEY (tenant, alert_id))""", """
                    CREATE INDEX vigil_alerts_recent ON vigil_alerts (tenant, "time" DESC, alert_id)""", """
                    CREATE INDEX vigil_alerts_entity_values ON vigil_alerts USING gin (entity_values)""")));

    private PostgresSchema() {}

    /** The version a fully migrated database has. */
    static int latest() {
        return MIGRATIONS.getLast().version();
    }

    /** Applies the migrations the database lacks, in the caller's transaction. */
    static void migrate(Connection connection, String where) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS vigil_schema_migrations (
                        version integer PRIMARY KEY, description text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now())""");
        }
        int current;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(max(version), 0)"
                        + " FROM vigil_schema_migrations")) {
            rows.next();
            current = rows.getInt(1);
        }
        if (current > latest()) {
            throw new VigilException(ErrorCode.STORE_FAILED, "the database at " + where + " has Vigil's schema version "
                    + current + ", newer than this Vigil knows (" + latest() + ")", "Run the Vigil version that"
                    + " migrated it, or a newer one; an older Vigil does not write a schema it does not know.", null);
        }
        for (Migration migration : MIGRATIONS) {
            if (migration.version() <= current) {
                continue;
            }
            try (Statement statement = connection.createStatement()) {
                for (String sql : migration.statements()) {
                    statement.execute(sql);
                }
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "INSERT INTO vigil_schema_migrations (version, description) VALUES (?, ?)")) {
                record.setInt(1, migration.version());
                record.setString(2, migration.description());
                record.executeUpdate();
            }
        }
    }
}
