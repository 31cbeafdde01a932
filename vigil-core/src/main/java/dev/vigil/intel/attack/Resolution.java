package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The object a query named, and the object to use in its place.
 *
 * <p>They differ when ATT&amp;CK revoked the named object: {@code current} is then its replacement, after following
 * chains of revocations ({@code T1150} was revoked by {@code T1547.011}, itself revoked by {@code T1647}). A
 * revoked object whose replacement is unknown, or of another kind, is its own {@code current}.
 *
 * @param query the text looked up, as given
 * @param requested the object the query names
 * @param current the object to use: {@code requested}, or its replacement
 */
public record Resolution<T extends AttackObject>(String query, T requested, T current) {

    public Resolution {
        requireNonNull(query, "query is null");
        requireNonNull(requested, "requested is null");
        requireNonNull(current, "current is null");
    }

    /** The requested object was revoked and {@code current} replaces it. */
    public boolean replaced() {
        return requested != current;
    }

    /**
     * What an answer should tell the user about the object's status: revoked and replaced, revoked without a
     * replacement, or deprecated. Empty for an active object that the query named directly.
     */
    public Optional<String> note() {
        if (replaced()) {
            return Optional.of(requested.label() + " was revoked by ATT&CK; it is now " + current.label() + ".");
        }
        if (current.revoked()) {
            return Optional.of(current.label() + " was revoked by ATT&CK, which names no replacement.");
        }
        if (current.deprecated()) {
            return Optional.of(current.label() + " is deprecated: ATT&CK no longer maintains it.");
        }
        return Optional.empty();
    }
}
