package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A claim of an answer and the records or knowledge entries that support it. References are typed strings:
 * {@code event:<table>:<id>}, {@code alert:<id>}, {@code incident:<number>}, {@code attack:<id>},
 * {@code cve:<id>}, {@code kev:<id>}, {@code indicator:<type>:<value>}, {@code asset:<host>},
 * {@code finding:<id>}, {@code query:<n>} (the n-th query of the answer, whose rows are the evidence).
 */
public record Evidence(String claim, List<String> refs) {
    public Evidence {
        requireNonNull(claim, "claim is null");
        refs = List.copyOf(refs);
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("a claim without references is not evidence: " + claim);
        }
    }
}
