package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A local user as the server keeps it: the Argon2id hash of the password (never the password), and the user's role
 * in each tenant it is a member of. A user may hold different roles in different tenants (an MSSP analyst who owns
 * one customer's tenant and reads another's).
 *
 * @param name the login name, lower case
 * @param passwordHash the PHC string of the password's Argon2id hash, or null for a user who signs in only through
 *     OIDC
 * @param mustChangePassword the password is a one-time password: it opens a session that may only set a new one
 * @param tenants the role in each tenant, by tenant id
 * @param oidcSubject the identity provider's {@code iss} and {@code sub} this user signed in with ({@code iss#sub}),
 *     bound at the first OIDC login, or null
 */
public record User(String name, String passwordHash, boolean mustChangePassword, Map<String, Role> tenants,
        String oidcSubject, Instant created, Instant passwordChanged) {
    public User {
        requireNonNull(name, "name is null");
        requireNonNull(created, "created is null");
        tenants = tenants == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tenants));
    }

    /** The user's role in the tenant, if a member. */
    public Optional<Role> roleIn(TenantId tenant) {
        return Optional.ofNullable(tenants.get(tenant.value()));
    }

    User withPassword(String hash, boolean mustChange, Instant at) {
        return new User(name, hash, mustChange, tenants, oidcSubject, created, at);
    }

    User withTenants(Map<String, Role> next) {
        return new User(name, passwordHash, mustChangePassword, next, oidcSubject, created, passwordChanged);
    }

    User withOidcSubject(String subject) {
        return new User(name, passwordHash, mustChangePassword, tenants, subject, created, passwordChanged);
    }
}
