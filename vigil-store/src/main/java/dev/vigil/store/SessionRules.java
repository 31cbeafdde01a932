package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The access rules of {@link SessionRepository}, shared by its implementations so that the embedded and the
 * PostgreSQL store decide alike: who may read, change and delete a session, and what a refusal says.
 */
final class SessionRules {
    private SessionRules() {}

    /** A session's own row. */
    record Header(UUID id, String name, String owner, boolean shared, Instant created, Instant updated) {
        boolean ownedBy(Principal principal) {
            return owner.equals(principal.name());
        }

        boolean readableBy(Principal principal) {
            return shared || ownedBy(principal);
        }
    }

    /** The header of a session the principal may read, or {@link ErrorCode#SESSION_NOT_FOUND}. */
    static Header readable(TenantId tenant, Principal reader, UUID id, Optional<Header> found) {
        requireNonNull(id, "id is null");
        reader.require(Role.READER, "read sessions");
        return found.filter(h -> h.readableBy(reader)).orElseThrow(() -> notFound(tenant, id));
    }

    /** The header of a session the principal owns, or why not. */
    static Header owned(TenantId tenant, Principal actor, UUID id, String action, Optional<Header> found) {
        Header header = readable(tenant, actor, id, found);
        if (!header.ownedBy(actor)) {
            throw forbidden(actor, header, action);
        }
        return header;
    }

    /** The header of a session the principal may delete, or why not. */
    static Header deletable(TenantId tenant, Principal actor, UUID id, Optional<Header> found) {
        requireNonNull(id, "id is null");
        actor.require(Role.READER, "delete sessions");
        boolean admin = actor.role().includes(Role.OWNER);
        Header header = found.filter(h -> admin || h.readableBy(actor)).orElseThrow(() -> notFound(tenant, id));
        if (!admin && !header.ownedBy(actor)) {
            throw forbidden(actor, header, "delete");
        }
        return header;
    }

    static VigilException notFound(TenantId tenant, UUID id) {
        return new VigilException(ErrorCode.SESSION_NOT_FOUND, "no session " + id + " in tenant '" + tenant
                + "' that you may read");
    }

    static VigilException noTurn(Header header, int turn) {
        return new VigilException(ErrorCode.SESSION_NOT_FOUND, "session '" + header.name() + "' (" + header.id()
                + ") has no turn " + turn, "Pin one of the session's turns, by the number its export shows.", null);
    }

    static VigilException blankPrompt(Header header) {
        return new VigilException(ErrorCode.USAGE, "a turn of session '" + header.name() + "' needs a prompt",
                "Ask something: the prompt is recorded with its answer.", null);
    }

    private static VigilException forbidden(Principal actor, Header header, String action) {
        return new VigilException(ErrorCode.PERMISSION_DENIED, actor + " may not " + action + " session '"
                + header.name() + "' (" + header.id() + "): it belongs to " + header.owner(),
                "Only a session's owner changes it; duplicate the session to continue it as your own.", null);
    }

    static String checkName(String name) {
        String checked = name == null ? "" : name.strip();
        if (checked.isEmpty() || checked.length() > SessionRepository.MAX_NAME) {
            throw new VigilException(ErrorCode.USAGE, "a session name is 1 to " + SessionRepository.MAX_NAME
                    + " characters, not " + checked.length(), "Give the session a shorter name, such as the incident"
                    + " or question it is about.", null);
        }
        return checked;
    }
}
