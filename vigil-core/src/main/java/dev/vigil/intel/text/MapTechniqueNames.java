package dev.vigil.intel.text;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Technique names held in an immutable map. */
final class MapTechniqueNames implements TechniqueNames {
    static final MapTechniqueNames NONE = new MapTechniqueNames(Map.of());

    private static final Pattern TECHNIQUE_ID = Pattern.compile("T\\d{4}(?:\\.\\d{3})?");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private final Map<String, String> idsByName;
    /** Built on first use and kept: a text is searched for the same names again and again. */
    private volatile TechniqueNameMatcher matcher;

    private MapTechniqueNames(Map<String, String> idsByName) {
        this.idsByName = idsByName;
    }

    TechniqueNameMatcher matcher() {
        TechniqueNameMatcher built = matcher;
        if (built == null) {
            built = TechniqueNameMatcher.of(this);
            matcher = built; // a race builds it twice, to the same effect
        }
        return built;
    }

    static MapTechniqueNames of(Map<String, String> lowerCaseNameToId) {
        requireNonNull(lowerCaseNameToId, "lowerCaseNameToId is null");
        Map<String, String> idsByName = new LinkedHashMap<>();
        lowerCaseNameToId.forEach((name, id) -> {
            requireNonNull(name, "a technique name is null");
            requireNonNull(id, () -> "technique name '" + name + "' maps to null; map it to its id, such as T1003");
            String key = key(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a technique name is blank (it maps to " + id
                        + "); leave it out of the map");
            }
            if (!TECHNIQUE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("technique name '" + name + "' maps to '" + id
                        + "', which is not a technique id; use the form T1003 or T1003.001");
            }
            String earlier = idsByName.putIfAbsent(key, id);
            if (earlier != null && !earlier.equals(id)) {
                throw new IllegalArgumentException("technique name '" + key + "' maps to both " + earlier + " and "
                        + id + "; a name several techniques share names none of them, so leave it out");
            }
        });
        return new MapTechniqueNames(Map.copyOf(idsByName));
    }

    static String key(String name) {
        return SPACES.matcher(name.strip().toLowerCase(Locale.ROOT)).replaceAll(" ");
    }

    @Override
    public Optional<String> idOf(String lowerCaseName) {
        requireNonNull(lowerCaseName, "lowerCaseName is null");
        return Optional.ofNullable(idsByName.get(key(lowerCaseName)));
    }

    @Override
    public Collection<String> names() {
        return idsByName.keySet();
    }

    @Override
    public String toString() {
        return "TechniqueNames[" + idsByName.size() + " names]";
    }
}
