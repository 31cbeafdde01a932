package dev.vigil.server;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the server's users are kept; {@link Users} checks names and passwords and decides, this only stores. Users
 * belong to the server, not to one tenant (a user may hold a role in several); each user's memberships name their
 * tenants. Two implementations: a {@link SecretFile} in the data directory ({@link #inDataDirectory}) and PostgreSQL
 * ({@link PostgresUsers}), shared by the nodes of a scale-out deployment.
 */
public interface UserRepository {
    /** Every user, in the order they were added. */
    List<User> list();

    /** The user of this lower-case name, if any. */
    Optional<User> find(String name);

    /**
     * Adds a user.
     *
     * @throws VigilException {@link ErrorCode#USER_EXISTS} when a user of that name exists
     */
    void insert(User user);

    /**
     * Replaces the user of this name by {@code change} of it, atomically against other changes; a change that
     * returns null removes the user.
     *
     * @return the user as changed (empty when removed), or empty when there is no such user
     * @throws VigilException {@link ErrorCode#USER_NOT_FOUND} when there is no such user
     */
    Optional<User> change(String name, UnaryOperator<User> change);

    /** The users file of the data directory ({@code DATA/server/users.json}). */
    static UserRepository inDataDirectory(java.nio.file.Path dataDirectory) {
        return new FileUsers(dataDirectory.resolve("server").resolve("users.json"));
    }

    static VigilException exists(String name) {
        return new VigilException(ErrorCode.USER_EXISTS, "a user named '" + name + "' exists already");
    }

    static VigilException notFound(String name) {
        return new VigilException(ErrorCode.USER_NOT_FOUND, "no user is named '" + name + "'");
    }
}
