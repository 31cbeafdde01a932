package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Group;
import dev.vigil.intel.attack.Tactic;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ATT&amp;CK names a prompt may use instead of ids: technique names ("OS Credential Dumping", "LSASS Memory"),
 * tactic names ("Lateral Movement") and threat group names and aliases ("APT29", "Cozy Bear"), each to its id.
 *
 * <p>Names compare case-insensitively with their white space collapsed. A name that two objects of one kind share
 * names neither and is left out; a name may name a technique and a group at once, and then the planner asks.
 * Immutable.
 */
public final class KnowledgeNames {
    /** The kinds of entity names map to. */
    public static final Set<EntityType> TYPES = Set.of(EntityType.TECHNIQUE, EntityType.TACTIC, EntityType.ACTOR);

    private static final KnowledgeNames NONE = new KnowledgeNames(new EnumMap<>(EntityType.class));

    private final Map<EntityType, Map<String, String>> names;

    private KnowledgeNames(Map<EntityType, Map<String, String>> names) {
        this.names = names;
    }

    /** No names: ATT&amp;CK objects are found by id only. */
    public static KnowledgeNames none() {
        return NONE;
    }

    /**
     * Names of each kind, name to id ({@code "lateral movement" -> "TA0008"}).
     *
     * @throws IllegalArgumentException for a kind not in {@link #TYPES}, or a blank name or id
     */
    public static KnowledgeNames of(Map<EntityType, Map<String, String>> namesToIds) {
        requireNonNull(namesToIds, "namesToIds is null");
        Builder builder = new Builder();
        namesToIds.forEach((type, map) -> map.forEach((name, id) -> builder.add(type, name, id)));
        return builder.build();
    }

    /**
     * The names of the active techniques, tactics and groups of a knowledge base, with group aliases. A technique
     * whose name starts with "OS " is also found without it: analysts still say "credential dumping", the name of
     * {@code T1003} before ATT&amp;CK v7.
     */
    public static KnowledgeNames of(AttackKnowledge knowledge) {
        requireNonNull(knowledge, "knowledge is null");
        Builder builder = new Builder();
        knowledge.techniqueNames().forEach((name, id) -> {
            builder.add(EntityType.TECHNIQUE, name, id);
            if (name.startsWith("os ")) {
                builder.add(EntityType.TECHNIQUE, name.substring(3), id);
            }
        });
        for (Tactic tactic : knowledge.tactics()) {
            builder.add(EntityType.TACTIC, tactic.name(), tactic.id());
        }
        for (Group group : knowledge.groups()) {
            builder.add(EntityType.ACTOR, group.name(), group.id());
            for (String alias : group.aliases()) {
                builder.add(EntityType.ACTOR, alias, group.id());
            }
        }
        return builder.build();
    }

    /** The names of one kind, lower-case, to their ids. */
    public Map<String, String> names(EntityType type) {
        return names.getOrDefault(requireNonNull(type, "type is null"), Map.of());
    }

    /** How many names there are of all kinds. */
    public int size() {
        return names.values().stream().mapToInt(Map::size).sum();
    }

    @Override
    public String toString() {
        return "KnowledgeNames[" + names(EntityType.TECHNIQUE).size() + " technique, " + names(EntityType.TACTIC).size()
                + " tactic, " + names(EntityType.ACTOR).size() + " actor names]";
    }

    private static final class Builder {
        private static final String SHARED = "";
        private final Map<EntityType, Map<String, String>> names = new EnumMap<>(EntityType.class);

        void add(EntityType type, String name, String id) {
            requireNonNull(type, "type is null");
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("knowledge names are of " + TYPES + ", not of " + type);
            }
            if (name == null || name.isBlank() || id == null || id.isBlank()) {
                throw new IllegalArgumentException("a " + type.key() + " name and its id must not be blank: '" + name
                        + "' -> '" + id + "'");
            }
            String key = name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            names.computeIfAbsent(type, t -> new LinkedHashMap<>())
                    .merge(key, id.strip(), (old, added) -> old.equals(added) ? old : SHARED);
        }

        KnowledgeNames build() {
            Map<EntityType, Map<String, String>> frozen = new EnumMap<>(EntityType.class);
            names.forEach((type, map) -> {
                Map<String, String> kept = new LinkedHashMap<>(map);
                kept.values().removeIf(SHARED::equals);
                frozen.put(type, Collections.unmodifiableMap(kept));
            });
            return new KnowledgeNames(frozen);
        }
    }
}
