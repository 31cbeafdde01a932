package dev.vigil.server;

import static dev.vigil.store.PostgresState.instant;
import static dev.vigil.store.PostgresState.setInstant;
import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import dev.vigil.store.PostgresState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The server's users in PostgreSQL: {@code vigil_users}, and each user's role per tenant in
 * {@code vigil_user_tenants}. A change locks the user's row for its transaction, so two nodes changing one user
 * apply their changes one after the other, each to what the other left.
 */
public final class PostgresUsers implements UserRepository {
    private final PostgresState database;

    public PostgresUsers(PostgresState database) {
        this.database = requireNonNull(database, "database is null");
    }

    @Override
    public List<User> list() {
        return database.read("listing users", connection -> {
            Map<String, Map<String, Role>> roles = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT user_name, tenant, role FROM vigil_user_tenants");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    roles.computeIfAbsent(rows.getString(1), n -> new LinkedHashMap<>()).put(rows.getString(2),
                            Role.parse(rows.getString(3)));
                }
            }
            List<User> users = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT name, password_hash,"
                    + " must_change_password, oidc_subject, created, password_changed FROM vigil_users ORDER BY added");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    users.add(user(rows, roles.getOrDefault(rows.getString(1), Map.of())));
                }
            }
            return users;
        });
    }

    @Override
    public Optional<User> find(String name) {
        return database.read("reading user " + name, connection -> find(connection, name, false));
    }

    @Override
    public void insert(User user) {
        database.transaction("adding user " + user.name(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO vigil_users (name,"
                    + " password_hash, must_change_password, oidc_subject, created, password_changed)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                bind(statement, user);
                if (statement.executeUpdate() == 0) {
                    throw UserRepository.exists(user.name());
                }
            }
            insertRoles(connection, user);
            return null;
        });
    }

    @Override
    public Optional<User> change(String name, UnaryOperator<User> change) {
        return database.transaction("changing user " + name, connection -> {
            User current = find(connection, name, true).orElseThrow(() -> UserRepository.notFound(name));
            User next = change.apply(current);
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM vigil_user_tenants WHERE user_name = ?")) {
                statement.setString(1, name);
                statement.executeUpdate();
            }
            if (next == null) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "DELETE FROM vigil_users WHERE name = ?")) {
                    statement.setString(1, name);
                    statement.executeUpdate();
                }
                return Optional.empty();
            }
            if (!next.name().equals(name)) {
                throw new IllegalArgumentException("a change may not rename user " + name + " to " + next.name());
            }
            try (PreparedStatement statement = connection.prepareStatement("UPDATE vigil_users SET name = ?,"
                    + " password_hash = ?, must_change_password = ?, oidc_subject = ?, created = ?,"
                    + " password_changed = ? WHERE name = ?")) {
                bind(statement, next);
                statement.setString(7, name);
                statement.executeUpdate();
            }
            insertRoles(connection, next);
            return Optional.of(next);
        });
    }

    private static Optional<User> find(Connection connection, String name, boolean forUpdate) throws SQLException {
        Map<String, Role> roles = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT name, password_hash,"
                + " must_change_password, oidc_subject, created, password_changed FROM vigil_users WHERE name = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                try (PreparedStatement memberships = connection.prepareStatement(
                        "SELECT tenant, role FROM vigil_user_tenants WHERE user_name = ?")) {
                    memberships.setString(1, name);
                    try (ResultSet each = memberships.executeQuery()) {
                        while (each.next()) {
                            roles.put(each.getString(1), Role.parse(each.getString(2)));
                        }
                    }
                }
                return Optional.of(user(rows, roles));
            }
        }
    }

    private static User user(ResultSet rows, Map<String, Role> roles) throws SQLException {
        return new User(rows.getString(1), rows.getString(2), rows.getBoolean(3), roles, rows.getString(4),
                instant(rows, 5), instant(rows, 6));
    }

    private static void bind(PreparedStatement statement, User user) throws SQLException {
        statement.setString(1, user.name());
        statement.setString(2, user.passwordHash());
        statement.setBoolean(3, user.mustChangePassword());
        statement.setString(4, user.oidcSubject());
        setInstant(statement, 5, user.created());
        setInstant(statement, 6, user.passwordChanged());
    }

    private static void insertRoles(Connection connection, User user) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO vigil_user_tenants (user_name, tenant, role) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Role> role : user.tenants().entrySet()) {
                statement.setString(1, user.name());
                statement.setString(2, role.getKey());
                statement.setString(3, role.getValue().toString());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }
}
