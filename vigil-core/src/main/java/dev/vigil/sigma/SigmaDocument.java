package dev.vigil.sigma;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One YAML document of a Sigma file: a detection rule, a correlation rule or a filter. A file may hold several,
 * separated by {@code ---}.
 */
public sealed interface SigmaDocument {

    Meta meta();

    /** What every kind of document carries. {@code source} is the file (and document number) it was read from. */
    record Meta(String id, String name, String title, String status, String level, String description,
            List<String> tags, List<String> references, String author, String date, String modified,
            List<String> falsepositives, String source) {
        public Meta {
            tags = List.copyOf(tags);
            references = List.copyOf(references);
            falsepositives = List.copyOf(falsepositives);
        }

        /** ATT&CK technique ids from {@code attack.tNNNN[.NNN]} tags, upper-cased as ATT&CK writes them. */
        public List<String> techniques() {
            return tags.stream()
                    .filter(t -> t.matches("(?i)attack\\.t\\d{4}(\\.\\d{3})?"))
                    .map(t -> t.substring("attack.".length()).toUpperCase(java.util.Locale.ROOT))
                    .distinct()
                    .toList();
        }

        /** The id, else the name, else the title: how other documents and users refer to this one. */
        public String reference() {
            return id != null ? id : name != null ? name : title;
        }
    }

    /** {@code logsource}: absent attributes are null and match anything. */
    record LogSource(String product, String category, String service, String definition) {}

    record Rule(Meta meta, LogSource logsource, Detection detection) implements SigmaDocument {}

    /** A filter (meta-filter): its detection is excluded from the rules it names, for the log source it names. */
    record Filter(Meta meta, LogSource logsource, List<String> rules, Detection filter) implements SigmaDocument {
        public Filter {
            rules = List.copyOf(rules);
        }
    }

    record Correlation(Meta meta, CorrelationType type, List<String> rules, List<String> groupBy, Duration timespan,
            Map<String, Map<String, String>> aliases, Threshold condition, boolean generate)
            implements SigmaDocument {
        public Correlation {
            rules = List.copyOf(rules);
            groupBy = List.copyOf(groupBy);
            aliases = Map.copyOf(aliases);
        }
    }

    enum CorrelationType {
        EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE;

        public String sigmaName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A correlation's {@code condition}: comparisons that must all hold ({@code gte: 10}, {@code lt: 3}), over the
     * count or, for value_* types, over {@code field}. Temporal types without a condition need every rule to fire.
     * {@code percentile} is the rank for value_percentile (e.g. 95).
     */
    record Threshold(Map<String, java.math.BigDecimal> comparisons, String field, java.math.BigDecimal percentile) {
        public Threshold {
            comparisons = Map.copyOf(comparisons);
        }

        public boolean holds(double value) {
            for (Map.Entry<String, java.math.BigDecimal> c : comparisons.entrySet()) {
                double limit = c.getValue().doubleValue();
                boolean ok = switch (c.getKey()) {
                    case "gt" -> value > limit;
                    case "gte" -> value >= limit;
                    case "lt" -> value < limit;
                    case "lte" -> value <= limit;
                    case "eq" -> value == limit;
                    case "neq" -> value != limit;
                    default -> throw new IllegalStateException("unknown comparison " + c.getKey());
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code detection}: named search identifiers and the condition over them (a list of conditions is OR-ed). */
    record Detection(Map<String, Search> searches, Condition condition) {
        public Detection {
            searches = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(searches));
        }
    }

    /**
     * A search identifier. A map is the AND of its items; a list of maps is the OR of the maps; a list of plain values
     * is a keyword search (OR, or AND with {@code '|all'}).
     */
    record Search(String name, List<List<Item>> alternatives) {
        public Search {
            alternatives = alternatives.stream().map(List::copyOf).toList();
        }
    }

    /**
     * One detection item: a field (null for a keyword search) with its modifiers, and its values (OR-ed unless the
     * {@code all} modifier says AND). {@code line} and {@code column} locate it in the file for errors.
     */
    record Item(String field, List<Modifier> modifiers, List<SigmaValue> values, int line, int column) {
        public Item {
            modifiers = List.copyOf(modifiers);
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }

        public boolean has(Modifier modifier) {
            return modifiers.contains(modifier);
        }
    }
}
