package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A conversation with the copilot: its turns in order, and the pin board of the turns that matter. A session
 * belongs to the principal who created it; shared, everyone in its tenant may read it, but only the owner changes
 * it. Later prompts of a session resolve "it" and "that host" against the subjects of its earlier answers.
 *
 * @param id the session's id
 * @param name its name, not blank
 * @param owner the principal name of who owns it
 * @param shared whether everyone in the tenant may read it
 * @param created when it was created
 * @param updated when it last changed
 * @param turns its turns, by increasing number
 * @param pins its pins, at most one per turn, each of a turn of the session
 */
public record Session(UUID id, String name, String owner, boolean shared, Instant created, Instant updated,
        List<Turn> turns, List<Pin> pins) {
    public Session {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(created, "created is null");
        requireNonNull(updated, "updated is null");
        turns = List.copyOf(turns);
        pins = List.copyOf(pins);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a session needs a name");
        }
        Set<Integer> numbers = new HashSet<>();
        int previous = 0;
        for (Turn turn : turns) {
            if (turn.number() <= previous) {
                throw new IllegalArgumentException("session " + id + ": turn " + turn.number() + " follows turn "
                        + previous);
            }
            previous = turn.number();
            numbers.add(turn.number());
        }
        Set<Integer> pinned = new HashSet<>();
        for (Pin pin : pins) {
            if (!numbers.contains(pin.turn())) {
                throw new IllegalArgumentException("session " + id + " pins turn " + pin.turn() + ", which it lacks");
            }
            if (!pinned.add(pin.turn())) {
                throw new IllegalArgumentException("session " + id + " pins turn " + pin.turn() + " twice");
            }
        }
    }

    /** The turn of that number. */
    public Optional<Turn> turn(int number) {
        return turns.stream().filter(t -> t.number() == number).findFirst();
    }

    /** The pin of that turn. */
    public Optional<Pin> pinOf(int turn) {
        return pins.stream().filter(p -> p.turn() == turn).findFirst();
    }

    /** The prompts of its turns, in order: what {@code Promptbook.fromSession} generalizes. */
    public List<String> prompts() {
        return turns.stream().map(Turn::prompt).toList();
    }

    /** The last turn, if any: what "it" in the next prompt refers to. */
    public Optional<Turn> lastTurn() {
        return turns.isEmpty() ? Optional.empty() : Optional.of(turns.get(turns.size() - 1));
    }

    public SessionSummary summary() {
        return new SessionSummary(id, name, owner, shared, created, updated, turns.size(), pins.size());
    }
}
