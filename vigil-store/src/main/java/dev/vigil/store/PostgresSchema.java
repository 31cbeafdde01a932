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
                        FOREIGN KEY (tenant, plugin) REFERENCES vigil_plugins ON DELETE CASCADE)""")));

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
