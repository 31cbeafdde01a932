package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

/**
 * One result of {@link AttackKnowledge#search(String, int)}.
 *
 * @param score the BM25 score: only comparable between hits of the same search
 */
public record SearchHit(AttackObject object, double score) {
    public SearchHit {
        requireNonNull(object, "object is null");
    }
}
