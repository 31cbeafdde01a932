package dev.vigil.intel.attack;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The objects of one kind, found by id, then by name, then by alias, each compared by {@link AttackText#key}.
 *
 * <p>Within the first of these tiers that matches, active objects win over deprecated ones and those over revoked
 * ones: the revoked {@code T1143 Hidden Window} and the active {@code T1564.003 Hidden Window} share a name, and the
 * name means the active one. What is left may still be several objects (three active sub-techniques are called
 * "Cloud Accounts"); {@link #candidates} returns them all and the caller decides.
 */
final class ObjectIndex<T extends AttackObject> {
    private static final Comparator<AttackObject> STATUS_THEN_ID =
            Comparator.<AttackObject>comparingInt(ObjectIndex::rank).thenComparing(AttackObject::id);

    private final List<T> all;
    private final List<T> active;
    private final Map<String, List<T>> byId = new HashMap<>();
    private final Map<String, List<T>> byName = new HashMap<>();
    private final Map<String, List<T>> byAlias = new HashMap<>();

    /**
     * @param names the names of an object besides {@link AttackObject#name()}, e.g. a sub-technique's
     *     "Parent: Sub" form or a tactic's shortname
     * @param aliases the aliases of an object
     */
    ObjectIndex(List<T> objects, Function<T, List<String>> names, Function<T, List<String>> aliases) {
        List<T> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparing(AttackObject::id).thenComparing(STATUS_THEN_ID));
        this.all = List.copyOf(sorted);
        this.active = all.stream().filter(AttackObject::active).toList();
        for (T object : all) {
            add(byId, object.id(), object);
            add(byName, object.name(), object);
            for (String name : names.apply(object)) {
                add(byName, name, object);
            }
            for (String alias : aliases.apply(object)) {
                add(byAlias, alias, object);
            }
        }
        for (Map<String, List<T>> map : List.of(byId, byName, byAlias)) {
            map.replaceAll((key, list) -> List.copyOf(new LinkedHashSet<>(list)));
        }
    }

    private static <T> void add(Map<String, List<T>> map, String text, T object) {
        if (!text.isBlank()) {
            map.computeIfAbsent(AttackText.key(text), key -> new ArrayList<>(1)).add(object);
        }
    }

    /** Every object of the kind, by id; revoked and deprecated ones too. */
    List<T> all() {
        return all;
    }

    /** The objects neither revoked nor deprecated, by id. */
    List<T> active() {
        return active;
    }

    /**
     * The objects the query names, of the best status among the first tier that matches; several when the query is
     * ambiguous, none when it names nothing.
     */
    List<T> candidates(String query) {
        String key = AttackText.key(query);
        for (Map<String, List<T>> tier : List.of(byId, byName, byAlias)) {
            List<T> found = tier.get(key);
            if (found != null) {
                int best = found.stream().mapToInt(ObjectIndex::rank).min().orElseThrow();
                return found.stream().filter(object -> rank(object) == best).sorted(STATUS_THEN_ID).toList();
            }
        }
        return List.of();
    }

    /**
     * The one object the query names: an id names one object even if a damaged bundle repeats it (the first wins),
     * a name or alias must be unambiguous.
     */
    java.util.Optional<T> find(String query) {
        List<T> found = candidates(query);
        if (found.size() == 1 || (!found.isEmpty() && byId.containsKey(AttackText.key(query)))) {
            return java.util.Optional.of(found.getFirst());
        }
        return java.util.Optional.empty();
    }

    /** 0 for an active object, 1 for a deprecated one, 2 for a revoked one: the order look-ups prefer them in. */
    static int rank(AttackObject object) {
        return object.revoked() ? 2 : object.deprecated() ? 1 : 0;
    }
}
