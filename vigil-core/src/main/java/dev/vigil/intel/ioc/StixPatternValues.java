package dev.vigil.intel.ioc;

import dev.vigil.intel.ioc.IndicatorValues.Value;
import dev.vigil.intel.ioc.StixPattern.Comparison;
import dev.vigil.intel.ioc.StixPattern.Literal;
import dev.vigil.intel.ioc.StixPattern.ObjectPath;
import dev.vigil.intel.ioc.StixPattern.Qualifier;
import dev.vigil.intel.ioc.StixPattern.Step;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reduces a STIX pattern to the observable values it names, when one sighting of one of them is what the pattern
 * asks for; Vigil matches single values at ingest speed and cannot evaluate the rest of the pattern language.
 *
 * <p>The rules, from the inside out:
 * <ul>
 *   <li>A comparison reduces when it compares a supported property (the {@code value} of {@code ipv4-addr},
 *       {@code ipv6-addr}, {@code domain-name}, {@code url} and {@code email-addr}; {@code file:hashes.*} and
 *       {@code artifact:hashes.*} for MD5, SHA-1, SHA-256 and SHA-512; the {@code value} behind
 *       {@code network-traffic:src_ref}/{@code dst_ref} and {@code email-message:from_ref}/{@code sender_ref}) with
 *       {@code =} or {@code IN}, or an address with {@code ISSUBSET} (a network). Negations, orderings, {@code LIKE},
 *       {@code MATCHES}, {@code ISSUPERSET} and {@code EXISTS} name no value and do not reduce.</li>
 *   <li>{@code OR} reduces to the values of its operands that reduce; operands that do not are dropped with a note,
 *       which loses sightings but never raises a false alert.</li>
 *   <li>{@code AND} inside one observation reduces only when all its conditions are on the same object type: to the
 *       one condition that names values (the others narrow the same object further, e.g. a file's name beside its
 *       hash, and are noted as not checked), or to several digests of the same file, each of which identifies it.
 *       {@code AND} over different object types (an address and a domain that must be seen together) does not
 *       reduce: no single value stands for the pattern.</li>
 *   <li>{@code AND} and {@code FOLLOWEDBY} between observations need several sightings; they reduce only when every
 *       operand names the same values (e.g. the same address twice), and otherwise do not.</li>
 *   <li>Qualifiers ({@code WITHIN}, {@code REPEATS}, {@code START ... STOP}) constrain when sightings count; they are
 *       dropped with a note, since the value itself remains known-bad.</li>
 * </ul>
 */
final class StixPatternValues {
    private StixPatternValues() {}

    /** What a pattern reduces to. */
    sealed interface Reduction {
        /** The values (in pattern order, without duplicates), and notes on what was dropped or not checked. */
        record Values(List<Value> values, List<String> notes) implements Reduction {
            public Values {
                values = List.copyOf(new LinkedHashSet<>(values));
                notes = List.copyOf(notes);
            }
        }

        /** Why the pattern does not reduce to values. */
        record Irreducible(String reason) implements Reduction {}
    }

    static Reduction reduce(StixPattern pattern) {
        return switch (pattern) {
            case StixPattern.Observation observation -> comparison(observation.comparison());
            case StixPattern.Qualified qualified -> {
                Reduction inner = reduce(qualified.pattern());
                if (inner instanceof Reduction.Values values) {
                    List<String> notes = new ArrayList<>(values.notes());
                    notes.add("qualifier " + describe(qualified.qualifier()) + " ignored: a single sighting of a value"
                            + " is matched");
                    yield new Reduction.Values(values.values(), notes);
                }
                yield inner;
            }
            case StixPattern.Compound compound -> switch (compound.operator()) {
                case OR -> union(compound.operands().stream().map(StixPatternValues::reduce).toList(),
                        compound.operands().stream().map(StixPatternParser::format).toList());
                case AND, FOLLOWEDBY -> sequence(compound);
            };
        };
    }

    private static Reduction sequence(StixPattern.Compound compound) {
        Set<Value> first = null;
        List<String> notes = new ArrayList<>();
        boolean same = true;
        for (StixPattern operand : compound.operands()) {
            Reduction reduction = reduce(operand);
            if (!(reduction instanceof Reduction.Values values)) {
                same = false;
                break;
            }
            notes.addAll(values.notes());
            Set<Value> set = new LinkedHashSet<>(values.values());
            if (first == null) {
                first = set;
            } else if (!first.equals(set)) {
                same = false;
                break;
            }
        }
        if (same && first != null) {
            return new Reduction.Values(List.copyOf(first), notes);
        }
        String operands = String.join(", ", compound.operands().stream().map(StixPatternParser::format).toList());
        return new Reduction.Irreducible(compound.operator() == StixPattern.Operator.FOLLOWEDBY
                ? "FOLLOWEDBY needs a sequence of observations (" + operands + "); no single value stands for it"
                : "AND between observations needs all of them to be seen (" + operands + "); no single value stands"
                        + " for it");
    }

    private static Reduction union(List<Reduction> reductions, List<String> texts) {
        List<Value> values = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < reductions.size(); i++) {
            switch (reductions.get(i)) {
                case Reduction.Values reduced -> {
                    values.addAll(reduced.values());
                    notes.addAll(reduced.notes());
                }
                case Reduction.Irreducible irreducible -> {
                    reasons.add(irreducible.reason());
                    notes.add("dropped " + texts.get(i) + ": " + irreducible.reason());
                }
            }
        }
        if (values.isEmpty()) {
            return new Reduction.Irreducible(String.join("; ", new LinkedHashSet<>(reasons)));
        }
        return new Reduction.Values(values, notes);
    }

    private static Reduction comparison(Comparison comparison) {
        return switch (comparison) {
            case Comparison.Test test -> test(test);
            case Comparison.Exists exists -> new Reduction.Irreducible("EXISTS " + path(exists.path())
                    + " names no value");
            case Comparison.Junction junction when !junction.and() -> union(
                    junction.operands().stream().map(StixPatternValues::comparison).toList(),
                    junction.operands().stream().map(StixPatternValues::text).toList());
            case Comparison.Junction junction -> conjunction(junction);
        };
    }

    private static Reduction conjunction(Comparison.Junction junction) {
        Set<String> objectTypes = new TreeSet<>();
        junction.operands().forEach(operand -> collectObjectTypes(operand, objectTypes));
        if (objectTypes.size() > 1) {
            return new Reduction.Irreducible("AND joins conditions on different objects (" + String.join(", ",
                    objectTypes) + ") that must be observed together; no single value stands for them");
        }
        List<Reduction.Values> reduced = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Comparison operand : junction.operands()) {
            switch (comparison(operand)) {
                case Reduction.Values values -> reduced.add(values);
                case Reduction.Irreducible irreducible -> {
                    unchecked.add(text(operand));
                    reasons.add(irreducible.reason());
                }
            }
        }
        if (reduced.isEmpty()) {
            return new Reduction.Irreducible(String.join("; ", new LinkedHashSet<>(reasons)));
        }
        List<Value> values = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        reduced.forEach(r -> {
            values.addAll(r.values());
            notes.addAll(r.notes());
        });
        if (reduced.size() > 1 && !values.stream().allMatch(v -> v.type().isHash())) {
            return new Reduction.Irreducible("AND requires one " + objectTypes.iterator().next()
                    + " to have several values at once ("
                    + String.join(", ", values.stream().map(v -> v.type().id() + " " + v.value()).toList()) + ")");
        }
        if (reduced.size() > 1) {
            notes.add("digests of the same file are matched each on its own");
        }
        if (!unchecked.isEmpty()) {
            notes.add("not checked (the value identifies the object): " + String.join(" AND ", unchecked));
        }
        return new Reduction.Values(values, notes);
    }

    private static void collectObjectTypes(Comparison comparison, Set<String> out) {
        switch (comparison) {
            case Comparison.Test test -> out.add(test.path().objectType());
            case Comparison.Exists exists -> out.add(exists.path().objectType());
            case Comparison.Junction junction -> junction.operands().forEach(o -> collectObjectTypes(o, out));
        }
    }

    private static Reduction test(Comparison.Test test) {
        IndicatorType type = observable(test.path());
        String path = path(test.path());
        if (type == null) {
            return new Reduction.Irreducible(path + " is not an observable Vigil matches");
        }
        if (test.negated() || test.operator() == StixPattern.TestOperator.NEQ) {
            return new Reduction.Irreducible("a negated comparison (" + text(test) + ") names what a value is not");
        }
        List<Literal> literals = switch (test.operator()) {
            case EQ -> List.of(test.value());
            case IN -> test.value() instanceof Literal.Set set ? set.elements() : List.of(test.value());
            case ISSUBSET -> {
                if (!type.isAddress()) {
                    yield null;
                }
                yield List.of(test.value());
            }
            default -> null;
        };
        if (literals == null) {
            String operator = test.operator().text();
            return new Reduction.Irreducible(switch (test.operator()) {
                case LIKE -> "LIKE on " + path + " matches a wildcard pattern; Vigil matches exact values";
                case MATCHES -> "MATCHES on " + path + " is a regular expression; Vigil matches exact values";
                case ISSUBSET, ISSUPERSET -> operator + " on " + path + " is not a network comparison Vigil matches";
                default -> "the ordering comparison " + operator + " on " + path + " names no value";
            });
        }
        if (literals.isEmpty()) {
            return new Reduction.Irreducible("IN () on " + path + " names no value");
        }
        List<Value> values = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (Literal literal : literals) {
            if (!(literal instanceof Literal.Text text)) {
                reasons.add(path + " is compared with a " + literal.getClass().getSimpleName().toLowerCase(Locale.ROOT)
                        + " literal, not a string");
                continue;
            }
            try {
                values.add(value(type, test.path(), text.value()));
            } catch (IllegalArgumentException e) {
                reasons.add(e.getMessage());
                notes.add("dropped " + path + " '" + text.value() + "': " + e.getMessage());
            }
        }
        if (values.isEmpty()) {
            return new Reduction.Irreducible(String.join("; ", reasons));
        }
        return new Reduction.Values(values, notes);
    }

    private static Value value(IndicatorType type, ObjectPath path, String text) {
        if (type == IndicatorType.IPV4 || type == IndicatorType.IPV6) {
            Value value = IndicatorValues.canonical(IndicatorType.CIDR, text);
            boolean v6 = value.value().indexOf(':') >= 0;
            if (v6 != (type == IndicatorType.IPV6)) {
                throw new IllegalArgumentException("'" + text + "' is not an " + (type == IndicatorType.IPV6 ? "IPv6"
                        : "IPv4") + " address, as " + path.objectType() + " requires");
            }
            return value;
        }
        if (type == IndicatorType.CIDR) { // a network-traffic reference: an address, or a domain name
            Value detected = IndicatorValues.detect(text);
            if (detected == null || !(detected.type().isAddress() || detected.type() == IndicatorType.DOMAIN)) {
                throw new IllegalArgumentException("'" + text + "' is neither an IP address nor a domain name");
            }
            return detected;
        }
        return IndicatorValues.canonical(type, text);
    }

    /** The indicator type a path's value is, or null when Vigil does not match it; CIDR stands for "detect". */
    private static IndicatorType observable(ObjectPath path) {
        String property = path.propertyPath();
        return switch (path.objectType()) {
            case "ipv4-addr" -> property.equals("value") ? IndicatorType.IPV4 : null;
            case "ipv6-addr" -> property.equals("value") ? IndicatorType.IPV6 : null;
            case "domain-name" -> property.equals("value") ? IndicatorType.DOMAIN : null;
            case "url" -> property.equals("value") ? IndicatorType.URL : null;
            case "email-addr" -> property.equals("value") ? IndicatorType.EMAIL : null;
            case "email-message" -> property.equals("from_ref.value") || property.equals("sender_ref.value")
                    ? IndicatorType.EMAIL : null;
            case "network-traffic" -> property.equals("dst_ref.value") || property.equals("src_ref.value")
                    ? IndicatorType.CIDR : null;
            case "file", "artifact" -> hash(path);
            default -> null;
        };
    }

    private static IndicatorType hash(ObjectPath path) {
        if (path.steps().size() != 2 || !(path.steps().get(0) instanceof Step.Property first)
                || !first.name().equals("hashes") || !(path.steps().get(1) instanceof Step.Property algorithm)) {
            return null;
        }
        return switch (algorithm.name().toUpperCase(Locale.ROOT).replace("-", "")) {
            case "MD5" -> IndicatorType.MD5;
            case "SHA1" -> IndicatorType.SHA1;
            case "SHA256" -> IndicatorType.SHA256;
            case "SHA512" -> IndicatorType.SHA512;
            default -> null;
        };
    }

    private static String path(ObjectPath path) {
        StringBuilder out = new StringBuilder();
        StixPatternParser.format(path, out);
        return out.toString();
    }

    private static String text(Comparison comparison) {
        return StixPatternParser.format(new StixPattern.Observation(comparison));
    }

    private static String describe(Qualifier qualifier) {
        return switch (qualifier) {
            case Qualifier.Within within -> "WITHIN " + within.seconds().toPlainString() + " SECONDS";
            case Qualifier.Repeats repeats -> "REPEATS " + repeats.times() + " TIMES";
            case Qualifier.StartStop startStop -> "START t'" + startStop.start() + "' STOP t'" + startStop.stop() + "'";
        };
    }
}
