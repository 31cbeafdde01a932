package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Role;
import java.time.Instant;

/**
 * An API token as the server keeps it: never the token itself, only the SHA-256 of it, with the tenant it opens, the
 * role it acts with, who it is for, and when it stops working.
 *
 * @param id a short random identifier, shown in listings and the audit log and used to revoke the token
 * @param name who or what uses the token (a person, a SOAR integration); recorded as the actor
 * @param tenant the only tenant the token opens
 * @param sha256 the hex SHA-256 of the token
 * @param expires when the token stops working, or null for never
 * @param revoked when it was revoked, or null
 * @param user the user the token belongs to, or null for a token of its own (an integration, a log shipper)
 */
public record ApiToken(String id, String name, String tenant, Role role, String sha256, Instant created,
        Instant expires, Instant revoked, String user) {
    public ApiToken {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(role, "role is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(created, "created is null");
    }

    /** Whether the token works at {@code now}: not revoked and not expired. */
    public boolean activeAt(Instant now) {
        return revoked == null && (expires == null || now.isBefore(expires));
    }

    /** {@code active}, {@code expired} or {@code revoked}. */
    public String state(Instant now) {
        return revoked != null ? "revoked" : expires != null && !now.isBefore(expires) ? "expired" : "active";
    }

    ApiToken revokedAt(Instant at) {
        return new ApiToken(id, name, tenant, role, sha256, created, expires, at, user);
    }
}
