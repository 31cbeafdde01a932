package dev.vigil.store;

import static dev.vigil.store.PostgresState.instant;
import static dev.vigil.store.PostgresState.setInstant;
import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.session.Pin;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.store.SessionRules.Header;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One tenant's copilot sessions in PostgreSQL ({@link PostgresState#sessions}). Every statement names the tenant this
 * instance was made for ({@code tenant = ?} leads each key), so a session id of another tenant is as unknown here as
 * one never used. Each write is one transaction; appending a turn locks the session's row, so two nodes appending
 * to one session number their turns one after the other.
 */
final class PostgresSessions implements SessionRepository {
    private final PostgresState database;
    private final TenantId tenant;
    private final Clock clock;

    PostgresSessions(PostgresState database, TenantId tenant, Clock clock) {
        this.database = database;
        this.tenant = tenant;
        this.clock = clock;
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    @Override
    public SessionRepository withClock(Clock other) {
        return new PostgresSessions(database, tenant, requireNonNull(other, "clock is null"));
    }

    // --- reading -----------------------------------------------------------------------------------------------

    @Override
    public Session get(Principal reader, UUID id) {
        requireNonNull(id, "id is null");
        return database.read("reading session " + id, connection -> {
            Header header = SessionRules.readable(tenant, reader, id, header(connection, id, false));
            return load(connection, header);
        });
    }

    @Override
    public List<SessionSummary> list(Principal reader) {
        reader.require(Role.READER, "read sessions");
        return database.read("listing sessions", connection -> {
            List<SessionSummary> sessions = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT s.id, s.name, s.owner, s.shared, s.created_at, s.updated_at,
                        (SELECT count(*) FROM vigil_session_turns t WHERE t.tenant = s.tenant AND t.session_id = s.id),
                        (SELECT count(*) FROM vigil_session_pins p WHERE p.tenant = s.tenant AND p.session_id = s.id)
                    FROM vigil_sessions s WHERE s.tenant = ? AND (s.owner = ? OR s.shared)
                    ORDER BY s.updated_at DESC, s.created_at DESC, s.id""")) {
                statement.setString(1, tenant.value());
                statement.setString(2, reader.name());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(new SessionSummary(rows.getObject(1, UUID.class), rows.getString(2),
                                rows.getString(3), rows.getBoolean(4), instant(rows, 5), instant(rows, 6),
                                rows.getInt(7), rows.getInt(8)));
                    }
                }
            }
            return sessions;
        });
    }

    // --- writing -----------------------------------------------------------------------------------------------

    @Override
    public Session create(Principal owner, String name) {
        owner.require(Role.READER, "start a session");
        String checked = SessionRules.checkName(name);
        Instant now = now();
        Session session = new Session(UUID.randomUUID(), checked, owner.name(), false, now, now, List.of(), List.of());
        database.transaction("creating session '" + checked + "'", connection -> {
            insertHeader(connection, session);
            return null;
        });
        return session;
    }

    @Override
    public Turn appendTurn(Principal actor, UUID id, String prompt, Answer answer) {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(answer, "answer is null");
        requireNonNull(id, "id is null");
        String json = SessionJson.writeAnswer(answer);
        return database.transaction("adding a turn to session " + id, connection -> {
            Header header = SessionRules.owned(tenant, actor, id, "add to", header(connection, id, true));
            if (prompt.isBlank()) {
                throw SessionRules.blankPrompt(header);
            }
            Instant now = now();
            int number;
            try (PreparedStatement statement = connection.prepareStatement("SELECT coalesce(max(turn_number), 0) + 1"
                    + " FROM vigil_session_turns WHERE tenant = ? AND session_id = ?")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    number = rows.getInt(1);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_session_turns"
                    + " (tenant, session_id, turn_number, answered_at, prompt, answer)"
                    + " VALUES (?, ?, ?, ?, ?, ?::json)")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                statement.setInt(3, number);
                setInstant(statement, 4, now);
                statement.setString(5, prompt);
                statement.setString(6, json);
                statement.executeUpdate();
            }
            touch(connection, id, now);
            return new Turn(number, now, prompt, answer);
        });
    }

    @Override
    public Session rename(Principal actor, UUID id, String name) {
        String checked = SessionRules.checkName(name);
        requireNonNull(id, "id is null");
        database.transaction("renaming session " + id, connection -> {
            SessionRules.owned(tenant, actor, id, "rename", header(connection, id, true));
            change(connection, id, "name", checked);
            return null;
        });
        return get(actor, id);
    }

    @Override
    public Session share(Principal actor, UUID id) {
        return setShared(actor, id, true);
    }

    @Override
    public Session unshare(Principal actor, UUID id) {
        return setShared(actor, id, false);
    }

    private Session setShared(Principal actor, UUID id, boolean shared) {
        requireNonNull(id, "id is null");
        database.transaction((shared ? "sharing" : "unsharing") + " session " + id, connection -> {
            Header header = SessionRules.owned(tenant, actor, id, shared ? "share" : "unshare",
                    header(connection, id, true));
            if (header.shared() != shared) {
                change(connection, id, "shared", shared);
            }
            return null;
        });
        return get(actor, id);
    }

    @Override
    public Session duplicate(Principal actor, UUID id, String name) {
        String checked = SessionRules.checkName(name);
        requireNonNull(id, "id is null");
        UUID copy = UUID.randomUUID();
        database.transaction("duplicating session " + id, connection -> {
            SessionRules.readable(tenant, actor, id, header(connection, id, false));
            Instant now = now();
            insertHeader(connection, new Session(copy, checked, actor.name(), false, now, now, List.of(), List.of()));
            copy(connection, "INSERT INTO vigil_session_turns (tenant, session_id, turn_number, answered_at, prompt,"
                    + " answer) SELECT tenant, ?, turn_number, answered_at, prompt, answer FROM vigil_session_turns"
                    + " WHERE tenant = ? AND session_id = ?", copy, id);
            copy(connection, "INSERT INTO vigil_session_pins (tenant, session_id, turn_number, note, pinned_at,"
                    + " pinned_by) SELECT tenant, ?, turn_number, note, pinned_at, pinned_by FROM vigil_session_pins"
                    + " WHERE tenant = ? AND session_id = ?", copy, id);
            return null;
        });
        return get(actor, copy);
    }

    @Override
    public void delete(Principal actor, UUID id) {
        requireNonNull(id, "id is null");
        database.transaction("deleting session " + id, connection -> {
            SessionRules.deletable(tenant, actor, id, header(connection, id, true));
            // the turns and pins go with it (ON DELETE CASCADE)
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM vigil_sessions WHERE tenant = ? AND id = ?")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Pin pin(Principal actor, UUID id, int turn, String note) {
        requireNonNull(id, "id is null");
        return database.transaction("pinning turn " + turn + " of session " + id, connection -> {
            Header header = SessionRules.owned(tenant, actor, id, "pin turns of", header(connection, id, true));
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM vigil_session_turns"
                    + " WHERE tenant = ? AND session_id = ? AND turn_number = ?")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                statement.setInt(3, turn);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        throw SessionRules.noTurn(header, turn);
                    }
                }
            }
            Instant now = now();
            Pin pin = new Pin(turn, note == null ? "" : note.strip(), now, actor.name());
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO vigil_session_pins (tenant, session_id, turn_number, note, pinned_at, pinned_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tenant, session_id, turn_number)
                    DO UPDATE SET note = excluded.note, pinned_at = excluded.pinned_at,
                        pinned_by = excluded.pinned_by""")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                statement.setInt(3, turn);
                statement.setString(4, pin.note());
                setInstant(statement, 5, now);
                statement.setString(6, pin.by());
                statement.executeUpdate();
            }
            touch(connection, id, now);
            return pin;
        });
    }

    @Override
    public boolean unpin(Principal actor, UUID id, int turn) {
        requireNonNull(id, "id is null");
        return database.transaction("unpinning turn " + turn + " of session " + id, connection -> {
            SessionRules.owned(tenant, actor, id, "unpin turns of", header(connection, id, true));
            Instant now = now();
            boolean removed;
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM vigil_session_pins"
                    + " WHERE tenant = ? AND session_id = ? AND turn_number = ?")) {
                statement.setString(1, tenant.value());
                statement.setObject(2, id);
                statement.setInt(3, turn);
                removed = statement.executeUpdate() > 0;
            }
            if (removed) {
                touch(connection, id, now);
            }
            return removed;
        });
    }

    // --- rows --------------------------------------------------------------------------------------------------

    /** The session's row in this tenant; {@code forUpdate} locks it until the transaction ends. */
    private Optional<Header> header(Connection connection, UUID id, boolean forUpdate) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT id, name, owner, shared, created_at,"
                + " updated_at FROM vigil_sessions WHERE tenant = ? AND id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            statement.setString(1, tenant.value());
            statement.setObject(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Header(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                        rows.getBoolean(4), instant(rows, 5), instant(rows, 6)));
            }
        }
    }

    private Session load(Connection connection, Header header) throws SQLException {
        List<Turn> turns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT turn_number, answered_at, prompt,"
                + " answer::text FROM vigil_session_turns WHERE tenant = ? AND session_id = ? ORDER BY turn_number")) {
            statement.setString(1, tenant.value());
            statement.setObject(2, header.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    turns.add(new Turn(rows.getInt(1), instant(rows, 2), rows.getString(3),
                            SessionJson.readAnswer(rows.getString(4))));
                }
            }
        }
        List<Pin> pins = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT turn_number, note, pinned_at,"
                + " pinned_by FROM vigil_session_pins WHERE tenant = ? AND session_id = ? ORDER BY turn_number")) {
            statement.setString(1, tenant.value());
            statement.setObject(2, header.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pins.add(new Pin(rows.getInt(1), rows.getString(2), instant(rows, 3), rows.getString(4)));
                }
            }
        }
        return new Session(header.id(), header.name(), header.owner(), header.shared(), header.created(),
                header.updated(), turns, pins);
    }

    private void insertHeader(Connection connection, Session session) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_sessions (tenant, id, name,"
                + " owner, shared, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, tenant.value());
            statement.setObject(2, session.id());
            statement.setString(3, session.name());
            statement.setString(4, session.owner());
            statement.setBoolean(5, session.shared());
            setInstant(statement, 6, session.created());
            setInstant(statement, 7, session.updated());
            statement.executeUpdate();
        }
    }

    private void copy(Connection connection, String sql, UUID copy, UUID source) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, copy);
            statement.setString(2, tenant.value());
            statement.setObject(3, source);
            statement.executeUpdate();
        }
    }

    /** Sets one column of the session's row ({@code column} is a constant of this class), and its change time. */
    private void change(Connection connection, UUID id, String column, Object value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE vigil_sessions SET " + column + " = ?, updated_at = ? WHERE tenant = ? AND id = ?")) {
            statement.setObject(1, value);
            setInstant(statement, 2, now());
            statement.setString(3, tenant.value());
            statement.setObject(4, id);
            statement.executeUpdate();
        }
    }

    private void touch(Connection connection, UUID id, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE vigil_sessions SET updated_at = ? WHERE tenant = ? AND id = ?")) {
            setInstant(statement, 1, now);
            statement.setString(2, tenant.value());
            statement.setObject(3, id);
            statement.executeUpdate();
        }
    }

    /** Now, to the microsecond the store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
