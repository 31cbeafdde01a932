package dev.vigil.sigma;

import dev.vigil.sigma.SigmaDocument.Correlation;
import dev.vigil.sigma.SigmaDocument.Filter;
import dev.vigil.sigma.SigmaDocument.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled set of rules with its candidate index. An event is checked only against the rules whose log source
 * covers its table and selecting field (EventID), and, of those, only against rules for which a literal they need
 * occurs in the event: one Aho-Corasick pass per field finds those for all rules at once. Rules without a usable
 * literal are always checked. The set is immutable and shared; each thread matches through its own {@link Evaluator}.
 */
public final class RuleSet {

    /** A document that could not be used, and why. */
    public record Failure(String source, String reference, String reason) {}

    /** A valid rule that no stored table can hold events for (e.g. an Okta rule), with the log-source note. */
    public record Inactive(Rule rule, String reason) {}

    private final List<CompiledRule> rules;
    private final List<Correlation> correlations;
    private final List<Failure> failures;
    private final List<Inactive> inactive;
    private final CompiledRule.Plan[] plans;
    private final int[] planRule;
    private final Map<String, TableIndex> tables = new HashMap<>();

    private RuleSet(List<CompiledRule> rules, List<Correlation> correlations, List<Failure> failures,
            List<Inactive> inactive) {
        this.rules = List.copyOf(rules);
        this.correlations = List.copyOf(correlations);
        this.failures = List.copyOf(failures);
        this.inactive = List.copyOf(inactive);
        List<CompiledRule.Plan> allPlans = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int r = 0; r < this.rules.size(); r++) {
            for (CompiledRule.Plan p : this.rules.get(r).plans()) {
                allPlans.add(p);
                owners.add(r);
            }
        }
        this.plans = allPlans.toArray(CompiledRule.Plan[]::new);
        this.planRule = owners.stream().mapToInt(Integer::intValue).toArray();
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        for (int i = 0; i < plans.length; i++) {
            byTable.computeIfAbsent(plans[i].table(), t -> new ArrayList<>()).add(i);
        }
        byTable.forEach((table, ids) -> tables.put(table, new TableIndex(plans, ids)));
    }

    /**
     * Compiles detection rules (with the filters that name them) and keeps correlation rules. Documents that fail to
     * compile are listed in {@link #failures()}, never silently dropped.
     */
    public static RuleSet compile(List<SigmaDocument> documents, LogSourceMap logSources, Placeholders placeholders) {
        RuleCompiler compiler = new RuleCompiler(logSources, placeholders);
        List<Filter> filters = documents.stream().filter(d -> d instanceof Filter).map(d -> (Filter) d).toList();
        List<CompiledRule> rules = new ArrayList<>();
        List<Correlation> correlations = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<Inactive> inactive = new ArrayList<>();
        for (SigmaDocument d : documents) {
            switch (d) {
                case Rule rule -> {
                    List<Filter> applicable = filters.stream().filter(f -> names(f, rule)).toList();
                    try {
                        CompiledRule compiled = compiler.compile(rule, applicable);
                        if (compiled.plans().isEmpty()) {
                            SigmaDocument.LogSource ls = rule.logsource();
                            inactive.add(new Inactive(rule, logSources.note(ls.product(), ls.category(), ls.service())
                                    .orElse("no stored table holds events of log source " + describe(ls))));
                        } else {
                            rules.add(compiled);
                        }
                    } catch (RuntimeException e) {
                        failures.add(new Failure(rule.meta().source(), rule.meta().reference(),
                                e.getMessage() == null ? e.toString() : e.getMessage()));
                    }
                }
                case Correlation c -> correlations.add(c);
                case Filter ignored -> { }
            }
        }
        return new RuleSet(rules, evaluable(correlations, failures), failures, inactive);
    }

    /**
     * The correlations the engine can evaluate; the others go to the failures with the engine's reasons (no timespan,
     * a count it can never reach, a cycle of references, two with one name).
     */
    private static List<Correlation> evaluable(List<Correlation> correlations, List<Failure> failures) {
        try {
            new CorrelationEngine(correlations, CorrelationEngine.Limits.defaults());
            return correlations;
        } catch (SigmaRuleException all) {
            List<Correlation> good = new ArrayList<>();
            for (Correlation c : correlations) {
                try {
                    List<Correlation> trial = new ArrayList<>(good);
                    trial.add(c);
                    new CorrelationEngine(trial, CorrelationEngine.Limits.defaults());
                    good.add(c);
                } catch (SigmaRuleException e) {
                    failures.add(new Failure(c.meta().source(), c.meta().reference(),
                            String.join("; ", e.problems())));
                }
            }
            return good;
        }
    }

    static String describe(SigmaDocument.LogSource ls) {
        List<String> parts = new ArrayList<>();
        if (ls.product() != null) {
            parts.add("product=" + ls.product());
        }
        if (ls.category() != null) {
            parts.add("category=" + ls.category());
        }
        if (ls.service() != null) {
            parts.add("service=" + ls.service());
        }
        return parts.isEmpty() ? "(none)" : String.join(" ", parts);
    }

    private static boolean names(Filter filter, Rule rule) {
        return filter.rules().stream().anyMatch(r -> r.equals(rule.meta().id()) || r.equals(rule.meta().name()));
    }

    public List<CompiledRule> rules() {
        return rules;
    }

    public List<Correlation> correlations() {
        return correlations;
    }

    public List<Failure> failures() {
        return failures;
    }

    public List<Inactive> inactive() {
        return inactive;
    }

    public Evaluator evaluator() {
        return new Evaluator();
    }

    /** A rule that matched an event: the fields and values that made it match are the alert's evidence. */
    public record Match(CompiledRule rule, Map<String, String> matchedFields) {}

    /** Matches events against the set; one per thread. Keeps per-rule evaluation and hit counts. */
    public final class Evaluator {
        private final int[] seen = new int[plans.length];
        private final LiteralIndex.Hits found = new LiteralIndex.Hits();
        /** Plans whose literal occurred in the event, each once. */
        private final LiteralIndex.Hits candidates = new LiteralIndex.Hits();
        private int epoch;
        private final long[] evaluations = new long[rules.size()];
        private final long[] hits = new long[rules.size()];
        private final long[] sampledNanos = new long[rules.size()];
        private final long[] samples = new long[rules.size()];
        private long events;
        private long fullChecks;

        public List<Match> match(EventView event) {
            events++;
            TableIndex index = tables.get(event.table());
            if (index == null) {
                return List.of();
            }
            String key = selectorKey(event);
            List<Match> matches = check(index.ungatedAny, event, null);
            int[] ungated = index.ungatedBySelector.get(key);
            if (ungated != null) {
                matches = check(ungated, event, matches);
            }
            if (index.gatedAny || index.gatedSelectors.contains(key)) {
                if (++epoch == 0) {
                    java.util.Arrays.fill(seen, 0);
                    epoch = 1;
                }
                candidates.clear();
                index.scan(event, seen, epoch, found, candidates);
                for (int k = 0; k < candidates.size; k++) {
                    int p = candidates.ids[k];
                    List<String> selector = plans[p].selector();
                    if (selector.isEmpty() || selector.contains(key)) {
                        matches = check(p, event, matches);
                    }
                }
            }
            return matches == null ? List.of() : matches;
        }

        private List<Match> check(int[] ids, EventView event, List<Match> matches) {
            for (int p : ids) {
                matches = check(p, event, matches);
            }
            return matches;
        }

        private List<Match> check(int p, EventView event, List<Match> matches) {
            CompiledRule.Plan plan = plans[p];
            int r = planRule[p];
            evaluations[r]++;
            fullChecks++;
            boolean matched;
            if ((evaluations[r] & 255) == 1) {
                long start = System.nanoTime();
                matched = plan.matches(event);
                sampledNanos[r] += System.nanoTime() - start;
                samples[r]++;
            } else {
                matched = plan.matches(event);
            }
            if (!matched) {
                return matches;
            }
            hits[r]++;
            List<Match> out = matches == null ? new ArrayList<>(2) : matches;
            out.add(new Match(rules.get(r), plan.matchedFields(event)));
            return out;
        }

        /** Matches without the candidate index: every rule of the table checked in full (the benchmark's baseline). */
        public List<Match> matchExhaustively(EventView event) {
            List<Match> matches = new ArrayList<>();
            for (int p = 0; p < plans.length; p++) {
                if (plans[p].table().equals(event.table()) && plans[p].matches(event)) {
                    matches.add(new Match(rules.get(planRule[p]), plans[p].matchedFields(event)));
                }
            }
            return matches;
        }

        /** Per-rule statistics since this evaluator was made. */
        public List<RuleStats> stats() {
            List<RuleStats> out = new ArrayList<>();
            for (int r = 0; r < rules.size(); r++) {
                double meanNanos = samples[r] == 0 ? 0 : (double) sampledNanos[r] / samples[r];
                out.add(new RuleStats(rules.get(r).id(), evaluations[r], hits[r], meanNanos));
            }
            return out;
        }

        public long events() {
            return events;
        }

        /** Full rule checks made, after the index ruled out the rest. */
        public long fullChecks() {
            return fullChecks;
        }
    }

    /** @param meanNanos mean cost of one full check of the rule, sampled */
    public record RuleStats(String ruleId, long evaluations, long hits, double meanNanos) {}

    private static String selectorKey(EventView event) {
        String v = event.lower("EventID");
        return v == null ? "" : v;
    }

    /** The candidate index of one table. */
    private static final class TableIndex {
        /** Plans without a usable literal, by the EventID their log source selects, and those for any event. */
        final Map<String, int[]> ungatedBySelector = new HashMap<>();
        final int[] ungatedAny;
        /** The EventIDs for which some plan needs a literal, and whether a plan for any EventID does. */
        final java.util.Set<String> gatedSelectors = new java.util.HashSet<>();
        final boolean gatedAny;
        final Map<String, LiteralIndex> automata = new LinkedHashMap<>();
        final Map<String, int[][]> literalPlans = new HashMap<>();
        final LiteralIndex anyField;
        final int[][] anyFieldPlans;


        TableIndex(CompiledRule.Plan[] plans, List<Integer> ids) {
            Map<String, List<Integer>> selectors = new HashMap<>();
            List<Integer> any = new ArrayList<>();
            Map<String, Map<String, List<Integer>>> literals = new LinkedHashMap<>();
            boolean anyGated = false;
            for (int id : ids) {
                CompiledRule.Plan plan = plans[id];
                if (plan.requirement() != null) {
                    if (plan.selector().isEmpty()) {
                        anyGated = true;
                    } else {
                        plan.selector().forEach(s -> gatedSelectors.add(s.toLowerCase(Locale.ROOT)));
                    }
                } else if (plan.selector().isEmpty()) {
                    any.add(id);
                } else {
                    plan.selector().forEach(s -> selectors.computeIfAbsent(s.toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(id));
                }
                if (plan.requirement() != null) {
                    plan.requirement().forEach((field, lits) -> lits.forEach(l -> literals
                            .computeIfAbsent(field, f -> new LinkedHashMap<>())
                            .computeIfAbsent(l, k -> new ArrayList<>()).add(id)));
                }
            }
            selectors.forEach((k, v) -> ungatedBySelector.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
            ungatedAny = any.stream().mapToInt(Integer::intValue).toArray();
            gatedAny = anyGated;
            // Keyword literals may occur in any field: every field's automaton holds them too, and fields without
            // literals of their own are scanned with an automaton of the keyword literals alone. Each field of an
            // event is then scanned once.
            Map<String, List<Integer>> keywords = literals.getOrDefault(LiteralIndex.ANY_FIELD, Map.of());
            for (Map.Entry<String, Map<String, List<Integer>>> e : literals.entrySet()) {
                if (!e.getKey().equals(LiteralIndex.ANY_FIELD)) {
                    Map<String, List<Integer>> merged = new LinkedHashMap<>(e.getValue());
                    keywords.forEach((lit, owners) -> merged.merge(lit, owners, (a, b) -> {
                        List<Integer> both = new ArrayList<>(a);
                        both.addAll(b);
                        return both;
                    }));
                    add(e.getKey(), merged);
                }
            }
            if (!keywords.isEmpty()) {
                add(LiteralIndex.ANY_FIELD, keywords);
            }
            LiteralIndex keywordIndex = automata.remove(LiteralIndex.ANY_FIELD);
            anyField = keywordIndex;
            anyFieldPlans = keywordIndex == null ? null : literalPlans.remove(LiteralIndex.ANY_FIELD);
        }

        private void add(String field, Map<String, List<Integer>> literalOwners) {
            LiteralIndex automaton = new LiteralIndex();
            int[][] owners = new int[literalOwners.size()][];
            for (Map.Entry<String, List<Integer>> lit : literalOwners.entrySet()) {
                owners[automaton.add(lit.getKey())] = lit.getValue().stream().mapToInt(Integer::intValue)
                        .distinct().toArray();
            }
            automaton.build();
            automata.put(field, automaton);
            literalPlans.put(field, owners);
        }

        /**
         * Stamps {@code seen[plan] = epoch} for every plan one of whose literals occurs in the event. Fields are read
         * as they are: the automata fold case themselves.
         */
        void scan(EventView event, int[] seen, int epoch, LiteralIndex.Hits hits, LiteralIndex.Hits candidates) {
            if (anyField == null) {
                for (Map.Entry<String, LiteralIndex> e : automata.entrySet()) {
                    String text = event.text(e.getKey());
                    if (text != null) {
                        hits.clear();
                        e.getValue().scan(text, hits);
                        stamp(hits, literalPlans.get(e.getKey()), seen, epoch, candidates);
                    }
                }
                return;
            }
            // forEach reaches the event's own map, without an entry wrapper per field
            event.fields().forEach((name, value) -> {
                String text = EventView.text(value);
                if (text != null) {
                    LiteralIndex automaton = automata.get(name);
                    hits.clear();
                    (automaton == null ? anyField : automaton).scan(text, hits);
                    stamp(hits, automaton == null ? anyFieldPlans : literalPlans.get(name), seen, epoch, candidates);
                }
            });
        }

        private static void stamp(LiteralIndex.Hits hits, int[][] owners, int[] seen, int epoch,
                LiteralIndex.Hits candidates) {
            int[] ids = hits.ids;
            for (int k = 0; k < hits.size; k++) {
                for (int p : owners[ids[k]]) {
                    if (seen[p] != epoch) {
                        seen[p] = epoch;
                        candidates.add(p);
                    }
                }
            }
        }
    }
}
