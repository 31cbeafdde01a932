package dev.vigil.sigma;

import dev.vigil.sigma.SigmaDocument.Detection;
import dev.vigil.sigma.SigmaDocument.Filter;
import dev.vigil.sigma.SigmaDocument.Item;
import dev.vigil.sigma.SigmaDocument.LogSource;
import dev.vigil.sigma.SigmaDocument.Rule;
import dev.vigil.sigma.SigmaDocument.Search;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Compiles detection rules, with the filters that apply to them, into {@link CompiledRule}s: one plan per table the
 * rule's log source maps to, with the field names mapped for that table.
 */
final class RuleCompiler {

    /** Literals shorter than this select too little to be worth indexing. */
    static final int MIN_INDEXED_LITERAL = 3;

    private final LogSourceMap logSources;
    private final Placeholders placeholders;

    RuleCompiler(LogSourceMap logSources, Placeholders placeholders) {
        this.logSources = logSources;
        this.placeholders = placeholders;
    }

    /**
     * @param filters the filters that name this rule
     * @throws IllegalArgumentException naming what cannot be compiled
     */
    CompiledRule compile(Rule rule, List<Filter> filters) {
        LogSource ls = rule.logsource();
        List<LogSourceMap.Target> targets = logSources.targets(ls.product(), ls.category(), ls.service());
        List<CompiledRule.Plan> plans = new ArrayList<>();
        for (LogSourceMap.Target target : targets) {
            UnaryOperator<String> fields = target::field;
            Compiled detection = condition(rule.detection(), fields);
            Matcher condition = detection.matcher;
            for (Filter filter : filters) {
                if (applies(filter.logsource(), ls)) {
                    Matcher exclusion = condition(filter.filter(), fields).matcher;
                    Matcher positive = condition;
                    condition = e -> positive.test(e) && !exclusion.test(e);
                }
            }
            List<String> selector = List.of();
            String selectorField = null;
            List<Matcher> constraints = new ArrayList<>();
            for (Map.Entry<String, List<Object>> c : target.conditions().entrySet()) {
                Set<String> allowed = new HashSet<>();
                c.getValue().forEach(v -> allowed.add(EventView.text(v).toLowerCase(Locale.ROOT)));
                String field = c.getKey();
                if (field.equals("EventID")) {
                    selectorField = field;
                    selector = List.copyOf(allowed);
                }
                constraints.add(e -> {
                    String text = e.lower(field);
                    return text != null && allowed.contains(text);
                });
            }
            plans.add(new CompiledRule.Plan(target.table(), selectorField, selector, Matcher.and(constraints),
                    condition, detection.requirement, detection.positives));
        }
        return new CompiledRule(rule, plans);
    }

    /** A filter applies when every log-source attribute it names equals the rule's. */
    static boolean applies(LogSource filter, LogSource rule) {
        return same(filter.product(), rule.product()) && same(filter.category(), rule.category())
                && same(filter.service(), rule.service());
    }

    private static boolean same(String filter, String rule) {
        return filter == null || filter.equalsIgnoreCase(rule);
    }

    private record Compiled(Matcher matcher, Map<String, List<String>> requirement,
            List<ItemCompiler.Compiled> positives) {}

    private Compiled condition(Detection detection, UnaryOperator<String> fields) {
        Map<String, CompiledSearch> searches = new LinkedHashMap<>();
        for (Search s : detection.searches().values()) {
            searches.put(s.name(), search(s, fields));
        }
        List<ItemCompiler.Compiled> positives = new ArrayList<>();
        Node node = node(detection.condition(), searches, false, positives);
        return new Compiled(node.matcher, node.requirement, positives);
    }

    private record CompiledSearch(Matcher matcher, Map<String, List<String>> requirement,
            List<ItemCompiler.Compiled> items) {}

    private CompiledSearch search(Search search, UnaryOperator<String> fields) {
        List<Matcher> alternatives = new ArrayList<>();
        List<Map<String, List<String>>> requirements = new ArrayList<>();
        List<ItemCompiler.Compiled> all = new ArrayList<>();
        for (List<Item> items : search.alternatives()) {
            List<Matcher> matchers = new ArrayList<>();
            List<Map<String, List<String>>> itemRequirements = new ArrayList<>();
            for (Item item : items) {
                ItemCompiler.Compiled c;
                try {
                    c = ItemCompiler.compile(item, fields, placeholders);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + item.line() + ", column " + item.column() + ": "
                            + e.getMessage(), e);
                }
                all.add(c);
                matchers.add(c.matcher());
                itemRequirements.add(requirementOf(c));
            }
            alternatives.add(Matcher.and(matchers));
            requirements.add(best(itemRequirements));
        }
        return new CompiledSearch(Matcher.or(alternatives), union(requirements), all);
    }

    private static Map<String, List<String>> requirementOf(ItemCompiler.Compiled item) {
        if (item.literals().isEmpty() || item.literals().stream().anyMatch(l -> l.length() < MIN_INDEXED_LITERAL)) {
            return null;
        }
        String field = item.field() == null ? LiteralIndex.ANY_FIELD : item.field();
        return Map.of(field, item.literals().stream().map(l -> l.toLowerCase(Locale.ROOT)).distinct().toList());
    }

    private record Node(Matcher matcher, Map<String, List<String>> requirement) {}

    private Node node(Condition condition, Map<String, CompiledSearch> searches, boolean negated,
            List<ItemCompiler.Compiled> positives) {
        return switch (condition) {
            case Condition.Ref ref -> {
                CompiledSearch s = searches.get(ref.name());
                if (!negated) {
                    positives.addAll(s.items());
                }
                yield new Node(s.matcher(), s.requirement());
            }
            case Condition.Not not -> {
                Node inner = node(not.operand(), searches, !negated, positives);
                Matcher m = inner.matcher;
                yield new Node(e -> !m.test(e), null);
            }
            case Condition.And and -> {
                List<Node> nodes = and.operands().stream().map(c -> node(c, searches, negated, positives)).toList();
                yield new Node(Matcher.and(nodes.stream().map(Node::matcher).toList()),
                        best(nodes.stream().map(Node::requirement).toList()));
            }
            case Condition.Or or -> {
                List<Node> nodes = or.operands().stream().map(c -> node(c, searches, negated, positives)).toList();
                yield new Node(Matcher.or(nodes.stream().map(Node::matcher).toList()),
                        union(nodes.stream().map(Node::requirement).toList()));
            }
            case Condition.Quantified q -> {
                List<Node> nodes = searches.keySet().stream()
                        .filter(name -> q.them() ? !name.startsWith("_") : Glob.matches(q.pattern(), name))
                        .map(name -> node(new Condition.Ref(name), searches, negated, positives))
                        .toList();
                List<Matcher> matchers = nodes.stream().map(Node::matcher).toList();
                List<Map<String, List<String>>> requirements = nodes.stream().map(Node::requirement).toList();
                yield q.all() ? new Node(Matcher.and(matchers), best(requirements))
                        : new Node(Matcher.or(matchers), union(requirements));
            }
        };
    }

    /** For an AND: the most selective requirement among the parts (longest shortest literal, then fewest). */
    private static Map<String, List<String>> best(List<Map<String, List<String>>> requirements) {
        Map<String, List<String>> best = null;
        for (Map<String, List<String>> r : requirements) {
            if (r != null && (best == null || better(r, best))) {
                best = r;
            }
        }
        return best;
    }

    private static boolean better(Map<String, List<String>> a, Map<String, List<String>> b) {
        int minA = shortest(a);
        int minB = shortest(b);
        if (minA != minB) {
            return Math.min(minA, 8) > Math.min(minB, 8) || (Math.min(minA, 8) == Math.min(minB, 8) && count(a) < count(b));
        }
        return count(a) < count(b);
    }

    private static int shortest(Map<String, List<String>> r) {
        return r.values().stream().flatMap(List::stream).mapToInt(String::length).min().orElse(0);
    }

    private static int count(Map<String, List<String>> r) {
        return r.values().stream().mapToInt(List::size).sum();
    }

    /** For an OR: every part must give a requirement, and any of their literals will do. */
    private static Map<String, List<String>> union(List<Map<String, List<String>>> requirements) {
        if (requirements.isEmpty() || requirements.stream().anyMatch(r -> r == null)) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, List<String>> r : requirements) {
            r.forEach((field, literals) -> {
                List<String> merged = new ArrayList<>(out.getOrDefault(field, List.of()));
                literals.stream().filter(l -> !merged.contains(l)).forEach(merged::add);
                out.put(field, merged);
            });
        }
        return out;
    }
}
