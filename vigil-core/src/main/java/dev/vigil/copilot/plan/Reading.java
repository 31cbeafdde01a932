package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Mention;
import dev.vigil.copilot.TimeRange;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * What the planner reads from a prompt before it plans: the normalized text, the entities with their offsets, the
 * time range, the spelling corrections made and the entities that stayed ambiguous.
 *
 * @param normalized the normalized prompt; mention offsets refer to it
 * @param mentions entities found, ordered by offset, not overlapping
 * @param time the time range named, if any
 * @param corrections spelling corrections made, as "from -> to"
 * @param ambiguous words that link to several stored values equally well
 */
public record Reading(String normalized, List<Mention> mentions, Optional<TimeRange> time, List<String> corrections,
        List<List<Mention>> ambiguous) {
    public Reading {
        requireNonNull(normalized, "normalized is null");
        mentions = List.copyOf(mentions);
        requireNonNull(time, "time is null");
        corrections = List.copyOf(corrections);
        ambiguous = ambiguous.stream().map(List::copyOf).toList();
    }

    /** Reads prompts: normalization, entity and time extraction, value linking. */
    @FunctionalInterface
    public interface Reader {
        Reading read(String prompt, Instant now, ZoneId zone);
    }
}
