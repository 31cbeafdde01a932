package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.TimeRange;
import java.util.List;
import java.util.Optional;

/**
 * What the first two steps of the planner read from a prompt: the prompt normalized and tokenized, the entities and
 * values it mentions, the time range it asks about, the spelling it corrected, and the words it could not settle.
 *
 * @param original the prompt as typed
 * @param normalized the normalized prompt (see {@link Prompt}); every offset here refers to it
 * @param tokens its tokens, in order
 * @param mentions the entities found, in order and without overlaps: where two readings of the text competed, the
 *     longer won, then the one with the stronger source, then the more confident one
 * @param time the time range asked about, if any; its words are not also mentions (no NUMBER for the 24 of "last 24
 *     hours")
 * @param corrections misspelt words read as vocabulary words or stored values, in order
 * @param ambiguous for each span that reads equally well as several entities (the fuzzy word {@code jsmoth} as the
 *     users {@code jsmith} and {@code jsmyth}, or {@code jdoe} as a user and a host), all of them, the one in
 *     {@code mentions} first: the planner should ask which was meant
 */
public record Extraction(String original, String normalized, List<Token> tokens, List<Mention> mentions,
        Optional<TimeRange> time, List<Correction> corrections, List<List<Mention>> ambiguous) {
    public Extraction {
        requireNonNull(original, "original is null");
        requireNonNull(normalized, "normalized is null");
        tokens = List.copyOf(tokens);
        mentions = List.copyOf(mentions);
        requireNonNull(time, "time is null");
        corrections = List.copyOf(corrections);
        ambiguous = ambiguous.stream().map(List::copyOf).toList();
    }

    /** The mentions of one type, in order. */
    public List<Mention> mentions(EntityType type) {
        requireNonNull(type, "type is null");
        return mentions.stream().filter(mention -> mention.type() == type).toList();
    }

    /** The values of the mentions of one type, in order. */
    public List<String> values(EntityType type) {
        return mentions(type).stream().map(Mention::value).toList();
    }

    /** The first mention of a type. */
    public Optional<Mention> first(EntityType type) {
        return mentions(type).stream().findFirst();
    }

    /** Whether some span reads equally well as several entities. */
    public boolean isAmbiguous() {
        return !ambiguous.isEmpty();
    }
}
