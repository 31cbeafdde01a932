package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.session.Pin;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.model.Principal;
import dev.vigil.model.TenantId;
import dev.vigil.store.SessionRules.Header;
import dev.vigil.model.Role;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.duckdb.DuckDBConnection;

/**
 * A tenant's copilot sessions in its embedded DuckDB database: {@code vigil_sessions}, their turns with each whole
 * answer as JSON ({@code vigil_session_turns}) and their pin boards ({@code vigil_session_pins}). Reached through
 * {@link TenantStore#sessions()}; writes join the store's open unit of work, and {@link TenantStore#commit()} makes
 * them durable. The tenant's database holds no other tenant's rows, so no query names a tenant.
 *
 * <p>The access rules are those of {@link SessionRepository}. Table cells of answers read back with whole numbers as
 * {@code Long} (see {@link SessionJson}).
 */
public final class SessionStore implements SessionRepository {
    private final TenantStore store;
    private final DuckDBConnection connection;
    private final Clock clock;

    SessionStore(TenantStore store, DuckDBConnection connection, Clock clock) {
        this.store = store;
        this.connection = connection;
        this.clock = clock;
    }

    static void createSchema(Statement statement) throws SQLException {
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_sessions (
                    id UUID NOT NULL, name VARCHAR NOT NULL, owner VARCHAR NOT NULL, shared BOOLEAN NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_session_turns (
                    session_id UUID NOT NULL, turn_number INTEGER NOT NULL, answered_at TIMESTAMPTZ NOT NULL,
                    prompt VARCHAR NOT NULL, answer JSON NOT NULL)""");
        statement.execute("""
                CREATE TABLE IF NOT EXISTS vigil_session_pins (
                    session_id UUID NOT NULL, turn_number INTEGER NOT NULL, note VARCHAR NOT NULL,
                    pinned_at TIMESTAMPTZ NOT NULL, pinned_by VARCHAR NOT NULL)""");
    }

    @Override
    public TenantId tenant() {
        return store.tenant();
    }

    @Override
    public SessionStore withClock(Clock other) {
        return new SessionStore(store, connection, requireNonNull(other, "clock is null"));
    }

    // --- reading -----------------------------------------------------------------------------------------------

    @Override
    public Session get(Principal reader, UUID id) {
        requireNonNull(id, "id is null");
        Header header = readable(reader, id);
        return store.read("reading session " + id, "vigil_sessions", null, () -> load(header));
    }

    @Override
    public List<SessionSummary> list(Principal reader) {
        reader.require(Role.READER, "read sessions");
        return store.read("listing sessions", "vigil_sessions", List.of(), () -> {
            List<SessionSummary> sessions = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT s.id, s.name, s.owner, s.shared, epoch_us(s.created_at), epoch_us(s.updated_at),
                        (SELECT count(*) FROM vigil_session_turns t WHERE t.session_id = s.id),
                        (SELECT count(*) FROM vigil_session_pins p WHERE p.session_id = s.id)
                    FROM vigil_sessions s WHERE s.owner = ? OR s.shared
                    ORDER BY s.updated_at DESC, s.created_at DESC, s.id""")) {
                statement.setString(1, reader.name());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sessions.add(new SessionSummary(rows.getObject(1, UUID.class), rows.getString(2),
                                rows.getString(3), rows.getBoolean(4), instant(rows.getLong(5)),
                                instant(rows.getLong(6)), rows.getInt(7), rows.getInt(8)));
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
        store.write("creating session '" + checked + "'", () -> {
            insertHeader(session);
            return null;
        });
        return session;
    }

    @Override
    public Turn appendTurn(Principal actor, UUID id, String prompt, Answer answer) {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(answer, "answer is null");
        Header header = owned(actor, id, "add to");
        if (prompt.isBlank()) {
            throw SessionRules.blankPrompt(header);
        }
        Instant now = now();
        String json = SessionJson.writeAnswer(answer);
        return store.write("adding a turn to session " + id, () -> {
            int number;
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT COALESCE(max(turn_number), 0) + 1 FROM vigil_session_turns WHERE session_id = ?")) {
                statement.setObject(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    number = rows.getInt(1);
                }
            }
            execute("INSERT INTO vigil_session_turns VALUES (?, ?, CAST(? AS TIMESTAMPTZ), ?, ?)", id, number,
                    now.toString(), prompt, json);
            touch(id, now);
            return new Turn(number, now, prompt, answer);
        });
    }

    @Override
    public Session rename(Principal actor, UUID id, String name) {
        String checked = SessionRules.checkName(name);
        owned(actor, id, "rename");
        Instant now = now();
        store.write("renaming session " + id, () -> {
            execute("UPDATE vigil_sessions SET name = ?, updated_at = CAST(? AS TIMESTAMPTZ) WHERE id = ?", checked,
                    now.toString(), id);
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
        Header header = owned(actor, id, shared ? "share" : "unshare");
        if (header.shared() != shared) {
            Instant now = now();
            store.write((shared ? "sharing" : "unsharing") + " session " + id, () -> {
                execute("UPDATE vigil_sessions SET shared = ?, updated_at = CAST(? AS TIMESTAMPTZ) WHERE id = ?",
                        shared, now.toString(), id);
                return null;
            });
        }
        return get(actor, id);
    }

    @Override
    public Session duplicate(Principal actor, UUID id, String name) {
        String checked = SessionRules.checkName(name);
        readable(actor, id);
        Instant now = now();
        UUID copy = UUID.randomUUID();
        store.write("duplicating session " + id, () -> {
            insertHeader(new Session(copy, checked, actor.name(), false, now, now, List.of(), List.of()));
            execute("INSERT INTO vigil_session_turns SELECT ?, turn_number, answered_at, prompt, answer"
                    + " FROM vigil_session_turns WHERE session_id = ?", copy, id);
            execute("INSERT INTO vigil_session_pins SELECT ?, turn_number, note, pinned_at, pinned_by"
                    + " FROM vigil_session_pins WHERE session_id = ?", copy, id);
            return null;
        });
        return get(actor, copy);
    }

    @Override
    public void delete(Principal actor, UUID id) {
        SessionRules.deletable(store.tenant(), actor, id, header(requireNonNull(id, "id is null")));
        store.write("deleting session " + id, () -> {
            execute("DELETE FROM vigil_session_pins WHERE session_id = ?", id);
            execute("DELETE FROM vigil_session_turns WHERE session_id = ?", id);
            execute("DELETE FROM vigil_sessions WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public Pin pin(Principal actor, UUID id, int turn, String note) {
        Header header = owned(actor, id, "pin turns of");
        int turns = store.read("reading session " + id, "vigil_session_turns", 0, () -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(*) FROM vigil_session_turns WHERE session_id = ? AND turn_number = ?")) {
                statement.setObject(1, id);
                statement.setInt(2, turn);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
        if (turns == 0) {
            throw SessionRules.noTurn(header, turn);
        }
        Instant now = now();
        Pin pin = new Pin(turn, note == null ? "" : note.strip(), now, actor.name());
        store.write("pinning turn " + turn + " of session " + id, () -> {
            execute("DELETE FROM vigil_session_pins WHERE session_id = ? AND turn_number = ?", id, turn);
            execute("INSERT INTO vigil_session_pins VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ), ?)", id, turn,
                    pin.note(), now.toString(), pin.by());
            touch(id, now);
            return null;
        });
        return pin;
    }

    @Override
    public boolean unpin(Principal actor, UUID id, int turn) {
        owned(actor, id, "unpin turns of");
        Instant now = now();
        return store.write("unpinning turn " + turn + " of session " + id, () -> {
            boolean removed = execute("DELETE FROM vigil_session_pins WHERE session_id = ? AND turn_number = ?", id,
                    turn) > 0;
            if (removed) {
                touch(id, now);
            }
            return removed;
        });
    }

    // --- access ------------------------------------------------------------------------------------------------

    private Header readable(Principal reader, UUID id) {
        return SessionRules.readable(store.tenant(), reader, id, header(requireNonNull(id, "id is null")));
    }

    private Header owned(Principal actor, UUID id, String action) {
        return SessionRules.owned(store.tenant(), actor, id, action, header(requireNonNull(id, "id is null")));
    }

    private Optional<Header> header(UUID id) {
        return store.read("reading session " + id, "vigil_sessions", Optional.<Header>empty(), () -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, name, owner, shared,"
                    + " epoch_us(created_at), epoch_us(updated_at) FROM vigil_sessions WHERE id = ?")) {
                statement.setObject(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Header(rows.getObject(1, UUID.class), rows.getString(2), rows.getString(3),
                            rows.getBoolean(4), instant(rows.getLong(5)), instant(rows.getLong(6))));
                }
            }
        });
    }

    private Session load(Header header) throws SQLException {
        List<Turn> turns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT turn_number, epoch_us(answered_at),"
                + " prompt, CAST(answer AS VARCHAR) FROM vigil_session_turns WHERE session_id = ? ORDER BY turn_number")) {
            statement.setObject(1, header.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    turns.add(new Turn(rows.getInt(1), instant(rows.getLong(2)), rows.getString(3),
                            SessionJson.readAnswer(rows.getString(4))));
                }
            }
        }
        List<Pin> pins = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT turn_number, note,"
                + " epoch_us(pinned_at), pinned_by FROM vigil_session_pins WHERE session_id = ? ORDER BY turn_number")) {
            statement.setObject(1, header.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pins.add(new Pin(rows.getInt(1), rows.getString(2), instant(rows.getLong(3)), rows.getString(4)));
                }
            }
        }
        return new Session(header.id(), header.name(), header.owner(), header.shared(), header.created(),
                header.updated(), turns, pins);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private void insertHeader(Session session) throws SQLException {
        execute("INSERT INTO vigil_sessions VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMPTZ), CAST(? AS TIMESTAMPTZ))",
                session.id(), session.name(), session.owner(), session.shared(), session.created().toString(),
                session.updated().toString());
    }

    private void touch(UUID id, Instant now) throws SQLException {
        execute("UPDATE vigil_sessions SET updated_at = CAST(? AS TIMESTAMPTZ) WHERE id = ?", now.toString(), id);
    }

    /** Now, to the microsecond the store keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private int execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
