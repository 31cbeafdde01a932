package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The immutable {@link ValueDictionary} behind {@link ValueDictionary#of(Map)}. */
final class InMemoryValueDictionary implements ValueDictionary {
    static final InMemoryValueDictionary EMPTY = new InMemoryValueDictionary(new EnumMap<>(EntityType.class));

    private final Map<EntityType, List<String>> values;

    private InMemoryValueDictionary(Map<EntityType, List<String>> values) {
        this.values = values;
    }

    static InMemoryValueDictionary of(Map<EntityType, ? extends Collection<String>> values) {
        requireNonNull(values, "values is null");
        Map<EntityType, List<String>> copy = new EnumMap<>(EntityType.class);
        for (Map.Entry<EntityType, ? extends Collection<String>> entry : values.entrySet()) {
            EntityType type = requireNonNull(entry.getKey(), "a type is null");
            if (!TYPES.contains(type)) {
                throw new IllegalArgumentException("a value dictionary holds values of " + TYPES
                        + ", not of " + type + "; typed entities such as IP addresses are recognized by their shape");
            }
            Set<String> seen = new HashSet<>();
            Set<String> distinct = new LinkedHashSet<>();
            for (String value : requireNonNull(entry.getValue(), "the values of " + type + " are null")) {
                if (value != null && !value.isBlank() && seen.add(value.strip().toLowerCase(Locale.ROOT))) {
                    distinct.add(value.strip());
                }
            }
            copy.put(type, List.copyOf(distinct));
        }
        return new InMemoryValueDictionary(copy);
    }

    @Override
    public Collection<String> values(EntityType type) {
        return values.getOrDefault(requireNonNull(type, "type is null"), List.of());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ValueDictionary[");
        values.forEach((type, list) -> text.append(text.length() > 16 ? ", " : "").append(list.size()).append(' ')
                .append(type.key()));
        return text.append(']').toString();
    }
}
