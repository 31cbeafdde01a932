package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's distinct stored values, per kind of entity: the host names, user names, process image names, rule
 * titles and product names its data holds. The planner links the words of a question to them ("value linking"), so
 * that {@code ws5} finds the host {@code WS5.corp.local} and {@code workstaion5} the host {@code WORKSTATION5}.
 *
 * <p>The store fills one from its distinct values and replaces it when ingestion brings new ones; an
 * {@link Extractor} indexes the dictionary it is built with, so build a new extractor with the new dictionary.
 * Implementations are immutable.
 */
public interface ValueDictionary {
    /** The kinds of entity a dictionary may hold values of. */
    Set<EntityType> TYPES = Set.of(EntityType.HOST, EntityType.USER, EntityType.PROCESS, EntityType.RULE,
            EntityType.PRODUCT);

    /** The distinct values of one kind, as stored; empty for a kind the dictionary has none of. */
    Collection<String> values(EntityType type);

    /** How many values the dictionary holds in all. */
    default int size() {
        int size = 0;
        for (EntityType type : TYPES) {
            size += values(type).size();
        }
        return size;
    }

    /**
     * A dictionary of the given values, copied. Blank values are dropped, and so are duplicates that differ only in
     * case (the first spelling stays).
     *
     * @throws IllegalArgumentException for a kind of entity not in {@link #TYPES}
     */
    static ValueDictionary of(Map<EntityType, ? extends Collection<String>> values) {
        return InMemoryValueDictionary.of(values);
    }

    /** A dictionary without values: nothing links. */
    static ValueDictionary empty() {
        return InMemoryValueDictionary.EMPTY;
    }
}
