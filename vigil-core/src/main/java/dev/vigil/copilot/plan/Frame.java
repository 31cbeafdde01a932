package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.TimeRange;
import java.util.List;
import java.util.Optional;

/**
 * A data question read into a typed frame: what shape of answer, about which concept, with which filters, grouped
 * how, over which time. The query route compiles it to a hunting query; a follow-up edits it.
 *
 * @param intent the shape of the answer
 * @param concept what the question is about
 * @param filters conditions on the concept's roles
 * @param projection the role the question asks for ("which hosts" asks for {@code host}), if any
 * @param groupBy the roles to count by ("by source IP")
 * @param limit how many rows to show
 * @param time the time range, when the prompt named one; otherwise all stored data
 * @param confidence how much of the question the frame accounts for, from 0 to 1
 * @param matched the words of the question the frame used
 * @param unknown the content words it could not place
 */
public record Frame(Intent intent, Lexicon.Concept concept, List<Filter> filters, Optional<String> projection,
        List<String> groupBy, int limit, Optional<TimeRange> time, double confidence, List<String> matched,
        List<String> unknown) {

    public enum Intent { LIST, COUNT, TOP, TIMELINE, EXISTS, DISTINCT }

    /**
     * One condition: the role's column compared with a value.
     *
     * @param role the concept's role ({@code host}, {@code user}, {@code outcome} ...)
     * @param op {@code host}, {@code user}, {@code name} (a process image name), {@code eq}, {@code ne}, {@code in},
     *     {@code contains}, {@code regex}, {@code public}, {@code private}, {@code either} (source or destination
     *     address), {@code prefix}
     * @param value the value compared with
     * @param because the words of the question that asked for it
     */
    public record Filter(String role, String op, String value, String because) {
        public Filter {
            requireNonNull(role, "role is null");
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
            requireNonNull(because, "because is null");
        }
    }

    public Frame {
        requireNonNull(intent, "intent is null");
        requireNonNull(concept, "concept is null");
        filters = List.copyOf(filters);
        requireNonNull(projection, "projection is null");
        groupBy = List.copyOf(groupBy);
        requireNonNull(time, "time is null");
        matched = List.copyOf(matched);
        unknown = List.copyOf(unknown);
    }

    public Frame withFilters(List<Filter> newFilters) {
        return new Frame(intent, concept, newFilters, projection, groupBy, limit, time, confidence, matched, unknown);
    }

    public Frame withTime(Optional<TimeRange> newTime) {
        return new Frame(intent, concept, filters, projection, groupBy, limit, newTime, confidence, matched, unknown);
    }

    public Frame withShape(Intent newIntent, Optional<String> newProjection, List<String> newGroupBy, int newLimit) {
        return new Frame(newIntent, concept, filters, newProjection, newGroupBy, newLimit, time, confidence, matched,
                unknown);
    }

    /** The filters with the ones on {@code role} replaced by {@code replacement} (none when it is null). */
    public Frame replacing(String role, Filter replacement) {
        List<Filter> kept = new java.util.ArrayList<>(filters.stream().filter(f -> !f.role().equals(role)).toList());
        if (replacement != null) {
            kept.add(replacement);
        }
        return withFilters(kept);
    }
}
