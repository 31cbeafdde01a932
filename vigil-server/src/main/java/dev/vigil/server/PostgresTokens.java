package dev.vigil.server;

import static dev.vigil.store.PostgresState.instant;
import static dev.vigil.store.PostgresState.setInstant;
import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import dev.vigil.store.PostgresState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The server's API tokens in PostgreSQL ({@code vigil_api_tokens}): each row names the one tenant its token opens.
 * A request's token is found by its SHA-256 through the table's unique index; a revocation is one transaction
 * holding the token's row, so every node refuses the token from its next request on.
 */
public final class PostgresTokens implements TokenRepository {
    private static final String COLUMNS = "id, name, tenant, role, sha256, created, expires, revoked, user_name";

    private final PostgresState database;

    public PostgresTokens(PostgresState database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public List<ApiToken> list() {
        return database.read("listing API tokens", connection -> {
            List<ApiToken> tokens = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM vigil_api_tokens ORDER BY added");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tokens.add(token(rows));
                }
            }
            return tokens;
        });
    }

    @Override
    public Optional<ApiToken> findBySha256(String sha256) {
        return database.read("looking up an API token", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM vigil_api_tokens WHERE sha256 = ?")) {
                statement.setString(1, sha256);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(token(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void insert(ApiToken token) {
        database.transaction("adding API token " + token.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_api_tokens (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(statement, token);
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiToken> change(String id, UnaryOperator<ApiToken> change) {
        return database.transaction("changing API token " + id, connection -> {
            ApiToken current;
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM vigil_api_tokens WHERE id = ? FOR UPDATE")) {
                statement.setString(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<ApiToken>empty();
                    }
                    current = token(rows);
                }
            }
            ApiToken next = requireNonNull(change.apply(current), "a token change returned null");
            if (!next.id().equals(id) || !next.tenant().equals(current.tenant())) {
                throw new IllegalArgumentException("a change may not move token " + id + " to another id or tenant");
            }
            try (PreparedStatement statement = connection.prepareStatement("UPDATE vigil_api_tokens SET id = ?,"
                    + " name = ?, tenant = ?, role = ?, sha256 = ?, created = ?, expires = ?, revoked = ?,"
                    + " user_name = ? WHERE id = ?")) {
                bind(statement, next);
                statement.setString(10, id);
                statement.executeUpdate();
            }
            return Optional.of(next);
        });
    }

    private static ApiToken token(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getString(1), rows.getString(2), rows.getString(3), Role.parse(rows.getString(4)),
                rows.getString(5), instant(rows, 6), instant(rows, 7), instant(rows, 8), rows.getString(9));
    }

    private static void bind(PreparedStatement statement, ApiToken token) throws SQLException {
        statement.setString(1, token.id());
        statement.setString(2, token.name());
        statement.setString(3, token.tenant());
        statement.setString(4, token.role().toString());
        statement.setString(5, token.sha256());
        setInstant(statement, 6, token.created());
        setInstant(statement, 7, token.expires());
        setInstant(statement, 8, token.revoked());
        statement.setString(9, token.user());
    }
}
