package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import java.util.Optional;

/**
 * Who sent a request, as the server's gate established it: an API token, or a user's login session. Either way the
 * route table's role check is the same: the role the credential holds in the path's tenant.
 */
sealed interface Credential {
    /** The name recorded as the actor: the token's name, or the user's. */
    String actor();

    /** A non-secret reference for the audit log: the token's id, or the session's short hash. */
    String reference();

    /** The role held in the tenant, or empty when the credential does not open it. */
    Optional<Role> roleIn(TenantId tenant);

    /**
     * The role for routes outside any tenant: a token's role; for a user, the most capable role held in any tenant
     * (ingest when the user holds nothing else, so that such a user reads nothing).
     */
    Role role();

    /** An API token ({@code Authorization: Bearer vgl_...}). */
    record Token(ApiToken token) implements Credential {
        public Token {
            requireNonNull(token, "token is null");
        }

        @Override
        public String actor() {
            return token.name();
        }

        @Override
        public String reference() {
            return token.id();
        }

        @Override
        public Optional<Role> roleIn(TenantId tenant) {
            return tenant.value().equals(token.tenant()) ? Optional.of(token.role()) : Optional.empty();
        }

        @Override
        public Role role() {
            return token.role();
        }
    }

    /** A user's login session (the session cookie); unsafe methods must also carry its CSRF token. */
    record Session(LoginSessions.Session session, User user) implements Credential {
        public Session {
            requireNonNull(session, "session is null");
            requireNonNull(user, "user is null");
        }

        @Override
        public String actor() {
            return user.name();
        }

        @Override
        public String reference() {
            return session.reference();
        }

        @Override
        public Optional<Role> roleIn(TenantId tenant) {
            return user.roleIn(tenant);
        }

        @Override
        public Role role() {
            for (Role candidate : new Role[] {Role.OWNER, Role.ANALYST, Role.READER}) {
                if (user.tenants().containsValue(candidate)) {
                    return candidate;
                }
            }
            return Role.INGEST;
        }
    }
}
