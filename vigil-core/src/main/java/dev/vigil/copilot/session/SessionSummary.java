package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A session as a list shows it, without its turns.
 *
 * @param id the session's id
 * @param name its name
 * @param owner the principal name of who owns it
 * @param shared whether everyone in the tenant may read it
 * @param created when it was created
 * @param updated when it last changed (a turn, a rename, a pin, sharing)
 * @param turns how many turns it has
 * @param pins how many turns are pinned
 */
public record SessionSummary(UUID id, String name, String owner, boolean shared, Instant created, Instant updated,
        int turns, int pins) {
    public SessionSummary {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(created, "created is null");
        requireNonNull(updated, "updated is null");
    }
}
