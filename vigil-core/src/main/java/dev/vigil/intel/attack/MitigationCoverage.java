package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A mitigation and which of a given set of techniques it mitigates: the answer to "what would most reduce our
 * exposure to this group", from {@link AttackKnowledge#mitigationsCovering(java.util.Collection)}.
 *
 * @param techniques the ids, among those asked about, that the mitigation mitigates, sorted
 */
public record MitigationCoverage(Mitigation mitigation, List<String> techniques) {
    public MitigationCoverage {
        requireNonNull(mitigation, "mitigation is null");
        techniques = List.copyOf(techniques);
    }
}
