package dev.vigil.store;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.session.Pin;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionExport;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * One tenant's copilot sessions: their turns, with each whole answer, and their pin boards. An instance is bound to
 * one tenant when it is made and reads and writes that tenant's sessions only. Two implementations keep the same
 * contract: {@link SessionStore} in the tenant's embedded DuckDB database, and {@link PostgresState#sessions} in a
 * PostgreSQL database shared by the nodes of a scale-out deployment.
 *
 * <p>Every operation takes the acting principal and checks it:
 * <ul>
 *   <li>A session belongs to whoever created it (or duplicated it). Its owner reads and changes it.</li>
 *   <li>A shared session may be read, exported and duplicated by everyone in the tenant; only its owner appends to
 *       it, renames, pins, shares or unshares it ({@link ErrorCode#PERMISSION_DENIED} for the others).</li>
 *   <li>A private session does not exist for anyone but its owner: the others get
 *       {@link ErrorCode#SESSION_NOT_FOUND}, as for an id that was never used, so ids do not reveal sessions.</li>
 *   <li>Its owner, or any tenant owner ({@link Role#OWNER}), may delete it.</li>
 * </ul>
 *
 * <p>Times are kept to the microsecond.
 */
public interface SessionRepository {
    /** Longest session name, in characters. */
    int MAX_NAME = 200;

    /** The tenant whose sessions these are. */
    TenantId tenant();

    /** The same sessions, with times taken from another clock (for tests, and for imports that keep their times). */
    SessionRepository withClock(Clock clock);

    /**
     * A session with its turns and pins.
     *
     * @throws VigilException {@link ErrorCode#SESSION_NOT_FOUND} when there is no such session, or it is another
     *     principal's private one
     */
    Session get(Principal reader, UUID id);

    /** The sessions the principal may read, their own and the shared ones, most recently changed first. */
    List<SessionSummary> list(Principal reader);

    /**
     * The session as Markdown or JSON; see {@link SessionExport}.
     *
     * @throws VigilException as {@link #get}
     */
    default String export(Principal reader, UUID id, SessionExport.Format format) {
        java.util.Objects.requireNonNull(format, "format is null");
        return SessionExport.render(get(reader, id), format);
    }

    /**
     * Starts an empty, private session owned by the principal.
     *
     * @throws VigilException {@link ErrorCode#USAGE} for a blank name or one longer than {@value #MAX_NAME}
     *     characters
     */
    Session create(Principal owner, String name);

    /**
     * Records a prompt and its answer as the session's next turn.
     *
     * @return the turn, numbered one past the last
     * @throws VigilException {@link ErrorCode#SESSION_NOT_FOUND} as {@link #get}, {@link ErrorCode#PERMISSION_DENIED}
     *     unless the principal owns the session, {@link ErrorCode#USAGE} for a blank prompt
     */
    Turn appendTurn(Principal actor, UUID id, String prompt, Answer answer);

    /**
     * Renames a session.
     *
     * @throws VigilException as {@link #appendTurn}, and {@link ErrorCode#USAGE} for a bad name (see {@link #create})
     */
    Session rename(Principal actor, UUID id, String name);

    /** Lets everyone in the tenant read the session. @throws VigilException as {@link #appendTurn} */
    Session share(Principal actor, UUID id);

    /** Makes the session private to its owner again. @throws VigilException as {@link #appendTurn} */
    Session unshare(Principal actor, UUID id);

    /**
     * Copies a session the principal may read, with its turns and pins, into a new private session the principal
     * owns, named "Copy of" the original's name. Its turns and pins keep their numbers, times and authors.
     *
     * @throws VigilException {@link ErrorCode#SESSION_NOT_FOUND} as {@link #get}
     */
    default Session duplicate(Principal actor, UUID id) {
        String name = "Copy of " + get(actor, id).name();
        return duplicate(actor, id, name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name);
    }

    /**
     * Copies a session as {@link #duplicate(Principal, UUID)} does, under the name given.
     *
     * @throws VigilException as {@link #duplicate(Principal, UUID)}, and {@link ErrorCode#USAGE} for a bad name
     */
    Session duplicate(Principal actor, UUID id, String name);

    /**
     * Deletes a session with its turns and pins.
     *
     * @throws VigilException {@link ErrorCode#SESSION_NOT_FOUND} as {@link #get} (a tenant owner finds every
     *     session), {@link ErrorCode#PERMISSION_DENIED} for a shared session of someone else, unless the principal
     *     is a tenant owner
     */
    void delete(Principal actor, UUID id);

    /**
     * Pins a turn to the session's pin board with a note, replacing the note of a turn already pinned.
     *
     * @throws VigilException as {@link #appendTurn}, and {@link ErrorCode#SESSION_NOT_FOUND} for a turn the
     *     session does not have
     */
    Pin pin(Principal actor, UUID id, int turn, String note);

    /**
     * Takes a turn off the pin board.
     *
     * @return whether the turn was pinned
     * @throws VigilException as {@link #appendTurn}
     */
    boolean unpin(Principal actor, UUID id, int turn);
}
