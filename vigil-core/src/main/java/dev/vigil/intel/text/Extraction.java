package dev.vigil.intel.text;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link TextIndicators#extract} found in a text: each distinct {@link Found#kind() kind} and
 * {@link Found#value() value} once, at its first occurrence, in the order of the text.
 *
 * @param all everything found, in the order of the text
 */
public record Extraction(List<Found> all) {
    public Extraction {
        all = List.copyOf(requireNonNull(all, "all is null"));
    }

    /** What was found of one kind, in the order of the text. */
    public List<Found> of(Found.Kind kind) {
        requireNonNull(kind, "kind is null");
        return all.stream().filter(found -> found.kind() == kind).toList();
    }

    /** The normalized values of one kind, in the order of the text. */
    public List<String> values(Found.Kind kind) {
        return of(kind).stream().map(Found::value).toList();
    }

    /** Whether nothing was found. */
    public boolean isEmpty() {
        return all.isEmpty();
    }
}
