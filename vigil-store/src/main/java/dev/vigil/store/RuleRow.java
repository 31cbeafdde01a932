package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One Sigma document of a tenant's rule set as the store keeps it: what it is, where it came from, whether it runs,
 * and how it has fared.
 *
 * @param ref how users and other documents name it: the document's id, else its name, else its title; unique within
 *     a tenant
 * @param source the rule file it was imported from, as named at import
 * @param enabled whether detection runs it; a rule is enabled when first imported, and a re-import keeps what the
 *     user set
 * @param tables the event tables it reads, empty unless {@link State#ACTIVE}
 * @param reason why it is inactive or failed; empty when active
 * @param hits events it matched, over every ingest and retro-hunt since it was imported
 * @param evaluations events it was checked against in full (after the candidate index ruled out the rest)
 * @param meanNanos mean cost of one full check, sampled, in nanoseconds
 * @param importedAt when its file was last imported; null on a row not yet stored
 */
public record RuleRow(String ref, Kind kind, String title, String level, String status, String source,
        boolean enabled, List<String> tables, State state, String reason, long hits, long evaluations,
        double meanNanos, Instant importedAt) {

    /** What kind of Sigma document the row is. */
    public enum Kind {
        RULE, CORRELATION, FILTER;

        /** The lower-case name stored and shown, e.g. {@code correlation}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /** Whether a document can run. */
    public enum State {
        /** Compiled, and at least one stored table can hold events of its log source. */
        ACTIVE,
        /** Valid, but nothing it needs can run here: no table for its log source, or an unevaluated kind. */
        INACTIVE,
        /** Could not be compiled; {@link #reason()} says why. */
        FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State fromId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    public RuleRow {
        requireNonNull(ref, "ref is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(source, "source is null");
        requireNonNull(state, "state is null");
        if (ref.isBlank()) {
            throw new IllegalArgumentException("a rule row needs a ref (the document's id, name or title)");
        }
        title = title == null ? "" : title;
        level = level == null ? "" : level;
        status = status == null ? "" : status;
        tables = List.copyOf(tables);
        reason = reason == null ? "" : reason;
    }

    /** A freshly imported document: enabled, with no statistics yet. */
    public static RuleRow imported(String ref, Kind kind, String title, String level, String status, String source,
            List<String> tables, State state, String reason) {
        return new RuleRow(ref, kind, title, level, status, source, true, tables, state, reason, 0, 0, 0, null);
    }
}
