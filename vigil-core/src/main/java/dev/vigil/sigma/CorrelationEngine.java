package dev.vigil.sigma;

import static java.util.Objects.requireNonNull;

import dev.vigil.sigma.SigmaDocument.Correlation;
import dev.vigil.sigma.SigmaDocument.CorrelationType;
import dev.vigil.sigma.SigmaDocument.Threshold;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates Sigma correlation rules over a stream of rule matches ({@link Signal}s), in event time, with bounded
 * memory. It is not thread-safe: each ingest thread owns its engine, and reads no clock but the signals' times.
 *
 * <h2>References and chaining</h2>
 * A correlation's {@code rules} name rules, or other correlations, by {@code id} or {@code name}; a signal is routed
 * to every correlation that names its rule's id or name. When a correlation fires, its firing is itself a signal, for
 * the correlations that name it (chaining, as in the specification's brute-force example). Such a signal's only
 * fields are the group the correlation fired for: a chained correlation groups by fields its inner one groups by
 * ("the correlation rule only uses its own {@code group-by}"). Its time is that of the latest signal behind it, or,
 * for a correlation evaluated at its window's end, that end. Cycles are refused when the engine is built.
 *
 * <h2>Groups</h2>
 * Each correlation keeps one window per combination of its {@code group-by} values (all fields, linked by AND). A
 * group-by name that is an alias is read, for each rule, from the field the alias maps that rule's name (or id) to,
 * and from the alias name itself for a rule the alias does not list; so is the field a value_* condition aggregates.
 * A signal that lacks a group-by value, or the value a value_* correlation aggregates, is skipped by that correlation
 * and counted in {@link Stats#skippedSignals()}: putting every event without a user into one "null user" group would
 * count unrelated events together, which is also why a SIEM's {@code stats ... by user} drops them.
 *
 * <h2>Time</h2>
 * The watermark is the newest signal time seen. A correlation's window covers its {@code timespan} up to the
 * watermark, both ends included: signals at most {@code timespan} apart correlate. A signal older than
 * watermark&nbsp;&minus;&nbsp;timespan can no longer share a window with the newest ones; it is dropped and counted in
 * {@link Stats#lateSignals()}. Signals that arrive a little out of order are placed by their time, so order (for
 * temporal_ordered) is event order, not arrival order. {@link #advanceTo(long)} moves event time on without a signal.
 *
 * <h2>When a correlation fires</h2>
 * How a window is evaluated depends on whether its condition can only become true as signals arrive:
 * <ul>
 *   <li><b>As soon as it holds</b>: event_count, value_count, temporal, temporal_ordered and value_sum whose condition
 *       compares with {@code gt}/{@code gte} only, and temporal types without a condition (all rules). The sliding
 *       window ending at each signal is evaluated when the signal arrives. After firing, the group's window is reset
 *       (emptied), as the common streaming engines do: a burst of 30 failed logins against {@code gte: 10} fires three
 *       times, each with its own ten events, not 21 times.
 *   <li><b>At the window's end</b>: every other condition ({@code lt}, {@code lte}, {@code eq}, {@code neq}),
 *       value_avg, and value_percentile with a {@code percentile} rank. "Fewer than 3 in an hour" or "an hour's
 *       average" is known only once the hour is over, and evaluating such a condition on each arrival fires on
 *       every first event. The window opens at the group's first signal and closes {@code timespan} later, when the
 *       watermark passes its end; it is evaluated once, and the group's next signal opens a new window.
 *   <li><b>Per value</b>: value_percentile without a {@code percentile} rank, as the specification's text reads it:
 *       "Check when a certain percentage of observed values occur", with the example titled "A computer spawned a
 *       processes name in the last 24h than 1% of all the processes." ({@code group-by: ComputerName},
 *       {@code field: image}, {@code lte: 1}): a process name seen in at most 1% of the computer's process
 *       creations. On each signal, the value is the percentage of the group's signals in the window whose field has
 *       this signal's value; the correlation fires once for each value that satisfies the condition while that value
 *       stays in the window, with the field and its value added to the fired group. The window is not reset: it is
 *       the baseline.
 * </ul>
 * For temporal types a condition counts distinct rules ("the count of different event types (Sigma rules
 * matching)"); for temporal_ordered it counts the longest run of distinct rules seen in the listed order. Without a
 * condition all listed rules must be seen (in order, for temporal_ordered, where signals with equal times keep their
 * arrival order). value_percentile with a rank (the model's {@code percentile}, as other engines read a
 * {@code percentile} condition key) compares the rank-th percentile of the numeric field, interpolated linearly.
 *
 * <h2>Memory</h2>
 * Each correlation holds at most {@link Limits#maxGroupsPerCorrelation()} groups; a new group beyond it evicts the
 * least recently updated one ({@link Stats#groupEvictions()}). Groups whose window has passed are dropped
 * ({@link Stats#groupExpirations()}). A window holds at most {@link Limits#maxEventsPerGroup()} signals; beyond it the
 * oldest is dropped ({@link Stats#droppedEvents()}) and the aggregates cover the newest ones, so the constructor
 * refuses a count that could never be reached.
 */
public final class CorrelationEngine {

    /**
     * Bounds on the state kept per correlation, which together bound the engine's memory. A held signal costs about
     * 40 bytes plus its event id, so the worst case per correlation is the product of both limits times that (40 GB
     * with the defaults, were 100,000 groups each to hold 10,000 signals within one timespan); in practice windows
     * empty as event time passes, and {@link Stats#eventsHeld()} tells what is held.
     *
     * @param maxGroupsPerCorrelation groups (combinations of group-by values) held per correlation; the least recently
     *     updated group is evicted beyond it
     * @param maxEventsPerGroup signals held per group's window, the oldest dropped beyond it; also the most event ids
     *     a {@link Fired} carries
     */
    public record Limits(int maxGroupsPerCorrelation, int maxEventsPerGroup) {
        public Limits {
            if (maxGroupsPerCorrelation < 1) {
                throw new IllegalArgumentException("maxGroupsPerCorrelation must be at least 1, not "
                        + maxGroupsPerCorrelation);
            }
            if (maxEventsPerGroup < 1) {
                throw new IllegalArgumentException("maxEventsPerGroup must be at least 1, not " + maxEventsPerGroup);
            }
        }

        /** 100,000 groups per correlation and 10,000 signals per group. */
        public static Limits defaults() {
            return new Limits(100_000, 10_000);
        }
    }

    /**
     * A base rule's match, fed in roughly event-time order.
     *
     * @param ruleId the rule's id, or null when it has none
     * @param ruleName the rule's name, or null when it has none; one of id and name is needed
     * @param timeMicros the event's time, microseconds since the epoch
     * @param field the event's field values by name, null for a field it does not have
     * @param eventId the event's id, reported in {@link Fired#eventIds()}; may be null
     */
    public record Signal(String ruleId, String ruleName, long timeMicros, Function<String, String> field,
            String eventId) {
        public Signal {
            if (ruleId == null && ruleName == null) {
                throw new IllegalArgumentException("a signal needs its rule's id or name, by which correlations"
                        + " refer to the rule");
            }
            requireNonNull(field, "field is null");
        }
    }

    /**
     * A correlation that fired.
     *
     * @param group the group-by values (by group-by name, aliases included) the correlation fired for; for
     *     value_percentile per value, also the condition's field and the value found rare (or common)
     * @param firstMicros the time of the earliest signal behind the firing
     * @param lastMicros the time of the latest signal behind the firing
     * @param value what the condition compared: the count of events, of distinct values or of rules, the longest
     *     in-order run of rules, the sum, the average, the percentile, or the percentage of the value
     * @param ruleRefs the correlation's references (as written in {@code rules}) whose signals are behind the firing,
     *     in the listed order
     * @param eventIds the ids of the events behind the firing, through chained correlations too, oldest first, at
     *     most {@link Limits#maxEventsPerGroup()}
     */
    public record Fired(Correlation correlation, Map<String, String> group, long firstMicros, long lastMicros,
            double value, List<String> ruleRefs, List<String> eventIds) {
        public Fired {
            requireNonNull(correlation, "correlation is null");
            group = Collections.unmodifiableMap(new LinkedHashMap<>(group));
            ruleRefs = List.copyOf(ruleRefs);
            eventIds = List.copyOf(eventIds);
        }
    }

    /**
     * What the engine has done and holds, for the benchmark and the rules' cost figures.
     *
     * @param signals signals accepted through {@link #accept(Signal)}
     * @param lateSignals signals a correlation dropped because they were older than its window
     * @param skippedSignals signals a correlation skipped because they lacked a group-by value or the aggregated value
     *     (or it was not a number for value_sum, value_avg and value_percentile with a rank)
     * @param fired firings, chained ones included
     * @param groupsHeld groups held now, over all correlations
     * @param eventsHeld signals held now in windows, over all correlations
     * @param groupEvictions groups evicted because a correlation held {@link Limits#maxGroupsPerCorrelation()}
     * @param groupExpirations groups dropped because their window had passed
     * @param droppedEvents signals dropped from a window that held {@link Limits#maxEventsPerGroup()}
     */
    public record Stats(long signals, long lateSignals, long skippedSignals, long fired, int groupsHeld,
            long eventsHeld, long groupEvictions, long groupExpirations, long droppedEvents) {}

    /** How often, in signals, every correlation's passed groups are dropped, besides those touched by a signal. */
    private static final int SWEEP_INTERVAL = 4096;
    private static final Set<String> COMPARISONS = Set.of("gt", "gte", "lt", "lte", "eq", "neq");
    private static final Set<String> RISING_COMPARISONS = Set.of("gt", "gte");

    private final Limits limits;
    private final List<State> states = new ArrayList<>();
    /** The correlations to feed a signal to, by the rule id or name they refer to. */
    private final Map<String, List<Subscription>> subscribers = new HashMap<>();
    /** For every referenced id or name: whether some correlation referring to it has generate: true. */
    private final Map<String, Boolean> generatedByReference = new HashMap<>();
    private final PriorityQueue<Deadline> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.atMicros(), b.atMicros()));

    private long watermark = Long.MIN_VALUE;
    /** Windows evaluated at their end that are open now; the deadlines beyond them are stale. */
    private long openWindows;
    private long routeStamp;
    private int sinceSweep;
    private long signals;
    private long lateSignals;
    private long skippedSignals;
    private long fired;
    private long eventsHeld;
    private long groupEvictions;
    private long groupExpirations;
    private long droppedEvents;

    /**
     * @throws SigmaRuleException naming each correlation that cannot be evaluated (no timespan, no condition or field
     *     where its type needs one, a count it can never reach, a cycle of references) and how to fix it
     */
    public CorrelationEngine(List<Correlation> correlations, Limits limits) {
        requireNonNull(correlations, "correlations is null");
        this.limits = requireNonNull(limits, "limits is null");
        List<String> problems = new ArrayList<>();
        Map<String, Correlation> byReference = new LinkedHashMap<>();
        for (Correlation correlation : List.copyOf(correlations)) {
            int before = problems.size();
            check(correlation, problems);
            for (String reference : identities(correlation)) {
                Correlation other = byReference.putIfAbsent(reference, correlation);
                if (other != null && other != correlation) {
                    problems.add(describe(correlation) + ": another correlation (" + describe(other)
                            + ") is also called '" + reference + "'; give each correlation its own id and name");
                }
            }
            if (problems.size() == before) {
                states.add(new State(correlation));
            }
        }
        findCycles(byReference, problems);
        if (!problems.isEmpty()) {
            throw new SigmaRuleException(problems);
        }
        for (State state : states) {
            List<String> rules = state.correlation.rules();
            for (int i = 0; i < rules.size(); i++) {
                subscribers.computeIfAbsent(rules.get(i), r -> new ArrayList<>()).add(new Subscription(state, i));
                generatedByReference.merge(rules.get(i), state.correlation.generate(), Boolean::logicalOr);
            }
        }
    }

    /**
     * Feeds one signal.
     *
     * @return the correlations that fire because of it, inner ones before the correlations chained over them; this
     *     includes windows of other groups that its time closed (evaluated at the window's end). Empty mostly.
     */
    public List<Fired> accept(Signal signal) {
        requireNonNull(signal, "signal is null");
        signals++;
        Output output = new Output();
        advance(signal.timeMicros(), output);
        route(new Input(signal.ruleId(), signal.ruleName(), signal.timeMicros(), signal.field(), signal.eventId()),
                output);
        output.drain();
        if (++sinceSweep >= SWEEP_INTERVAL) {
            sinceSweep = 0;
            states.forEach(State::dropPassedGroups);
        }
        return output.fired == null ? List.of() : Collections.unmodifiableList(output.fired);
    }

    /**
     * Moves event time on to {@code timeMicros} without a signal, when a source is idle or its input has ended: the
     * windows that end before it are evaluated and passed state is dropped. {@code advanceTo(Long.MAX_VALUE)} closes
     * every window. Event time never goes back: an earlier time changes nothing.
     *
     * @return the correlations that fire as their windows close
     */
    public List<Fired> advanceTo(long timeMicros) {
        Output output = new Output();
        advance(timeMicros, output);
        output.drain();
        states.forEach(State::dropPassedGroups);
        return output.fired == null ? List.of() : Collections.unmodifiableList(output.fired);
    }

    /**
     * Whether a rule's (or a correlation's) own matches should be reported as alerts. The specification's
     * {@code generate} "defines if the rules referred from the correlation rule should be converted as stand-alone
     * rules or if only the correlation query should be generated (default)": so a rule that no correlation refers to
     * alerts on its own; one that correlations refer to alerts on its own only when one of them sets
     * {@code generate: true}. Pass a fired correlation's id and name to decide whether to report it, too.
     */
    public boolean generatesOwnAlerts(String ruleId, String ruleName) {
        Boolean byId = ruleId == null ? null : generatedByReference.get(ruleId);
        Boolean byName = ruleName == null ? null : generatedByReference.get(ruleName);
        if (byId == null && byName == null) {
            return true;
        }
        return Boolean.TRUE.equals(byId) || Boolean.TRUE.equals(byName);
    }

    public Stats stats() {
        int groups = 0;
        for (State state : states) {
            groups += state.groups.size();
        }
        return new Stats(signals, lateSignals, skippedSignals, fired, groups, eventsHeld, groupEvictions,
                groupExpirations, droppedEvents);
    }

    // ---- routing

    private void advance(long timeMicros, Output output) {
        if (timeMicros <= watermark) {
            return;
        }
        watermark = timeMicros;
        while (!deadlines.isEmpty()
                && (deadlines.peek().atMicros() < watermark || watermark == Long.MAX_VALUE)) {
            Deadline deadline = deadlines.poll();
            if (!deadline.isStale()) {
                deadline.state().close(deadline.group(), output);
            }
        }
    }

    private void route(Input input, Output output) {
        long stamp = ++routeStamp;
        offer(subscribers.get(input.ruleId()), input, stamp, output);
        if (input.ruleName() != null && !input.ruleName().equals(input.ruleId())) {
            offer(subscribers.get(input.ruleName()), input, stamp, output);
        }
    }

    private void offer(List<Subscription> subscriptions, Input input, long stamp, Output output) {
        if (subscriptions == null) {
            return;
        }
        for (Subscription subscription : subscriptions) {
            State state = subscription.state();
            // A correlation that names the rule twice (by id and by name) counts its signal once.
            if (state.stamp != stamp) {
                state.stamp = stamp;
                state.offer(input, subscription.ruleIndex(), output);
            }
        }
    }

    /**
     * The firings of one call, and the chained signals they still have to be routed as. Both lists are made on the
     * first firing: most signals fire nothing.
     */
    private final class Output {
        List<Fired> fired;
        ArrayDeque<Input> chained;

        void add(State state, Fired result, long chainedMicros) {
            if (fired == null) {
                fired = new ArrayList<>(2);
                chained = new ArrayDeque<>(2);
            }
            fired.add(result);
            CorrelationEngine.this.fired++;
            Map<String, String> group = result.group();
            chained.add(new Input(state.chainedId, state.correlation.meta().name(), chainedMicros, group::get,
                    result.eventIds()));
        }

        void drain() {
            while (chained != null && !chained.isEmpty()) {
                route(chained.poll(), this);
            }
        }
    }

    /**
     * What a correlation is fed: a base signal, or a correlation that fired. {@code evidence} is the event id (a
     * String, or null) of a base signal, or the event ids (a List) behind a fired correlation: most signals are base
     * signals, and a bare String spares a list per held signal.
     */
    private record Input(String ruleId, String ruleName, long timeMicros, Function<String, String> field,
            Object evidence) {}

    private record Subscription(State state, int ruleIndex) {}

    /** When a window evaluated at its end closes; stale once the group is gone or has opened another window. */
    private record Deadline(long atMicros, State state, Group group, long windowStart) {
        boolean isStale() {
            return !group.alive || group.windowStart != windowStart;
        }
    }

    /** When a correlation's condition is evaluated; the class comment says which correlations take which. */
    private enum Evaluation { AS_SOON_AS_HOLDS, AT_WINDOW_END, PER_VALUE }

    // ---- one correlation

    /** A correlation with its groups. */
    private final class State {
        final Correlation correlation;
        final CorrelationType type;
        final Evaluation evaluation;
        final long spanMicros;
        final String[] groupBy;
        final Map<String, Map<String, String>> aliases;
        final List<String> rules;
        /** condition.field for value_* types, else null. */
        final String valueField;
        /** The percentile rank for value_percentile with one, else NaN. */
        final double rank;
        final boolean textValues;
        final boolean numberValues;
        /**
         * The rule id a firing of this correlation carries as a signal: its id; null when it has a name, which the
         * signal carries as its rule name; else its title, so that the signal names its rule.
         */
        final String chainedId;
        /** Least recently updated first. */
        final LinkedHashMap<Object, Group> groups = new LinkedHashMap<>(16, 0.75f, true);
        final int[] chainScratch;
        long stamp;

        State(Correlation correlation) {
            this.correlation = correlation;
            this.type = correlation.type();
            this.spanMicros = micros(correlation.timespan());
            this.groupBy = correlation.groupBy().toArray(String[]::new);
            this.aliases = correlation.aliases();
            this.rules = correlation.rules();
            Threshold condition = correlation.condition();
            this.valueField = switch (type) {
                case EVENT_COUNT, TEMPORAL, TEMPORAL_ORDERED -> null;
                case VALUE_COUNT, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE -> condition.field();
            };
            this.rank = type == CorrelationType.VALUE_PERCENTILE && condition.percentile() != null
                    ? condition.percentile().doubleValue() : Double.NaN;
            this.evaluation = evaluation(correlation, !Double.isNaN(rank));
            this.textValues = type == CorrelationType.VALUE_COUNT || evaluation == Evaluation.PER_VALUE;
            this.numberValues = valueField != null && !textValues;
            this.chainedId = correlation.meta().id() != null ? correlation.meta().id()
                    : correlation.meta().name() != null ? null : correlation.meta().title();
            this.chainScratch = new int[rules.size()];
        }

        long cutoff() {
            return minus(watermark, spanMicros);
        }

        void offer(Input input, int ruleIndex, Output output) {
            if (input.timeMicros() < cutoff()) {
                lateSignals++;
                return;
            }
            String[] values = new String[groupBy.length];
            for (int i = 0; i < groupBy.length; i++) {
                values[i] = input.field().apply(fieldFor(groupBy[i], input, ruleIndex));
                if (values[i] == null) {
                    skippedSignals++;
                    return;
                }
            }
            String text = null;
            double number = Double.NaN;
            if (valueField != null) {
                text = input.field().apply(fieldFor(valueField, input, ruleIndex));
                if (numberValues) {
                    number = parseNumber(text);
                }
                if (text == null || numberValues && Double.isNaN(number)) {
                    skippedSignals++;
                    return;
                }
            }
            Object key = groupKey(values);
            Group group = groups.get(key);
            boolean opened = group == null;
            if (opened) {
                group = new Group(key, values, rules.size(), textValues, numberValues, limits.maxEventsPerGroup());
                groups.put(key, group);
                if (groups.size() > limits.maxGroupsPerCorrelation()) {
                    Iterator<Group> eldest = groups.values().iterator();
                    release(eldest.next());
                    eldest.remove();
                    groupEvictions++;
                }
            } else if (evaluation != Evaluation.AT_WINDOW_END) {
                eventsHeld -= group.expire(cutoff());
            }
            if (group.add(input.timeMicros(), ruleIndex, input.evidence(), text, number)) {
                droppedEvents++;
            } else {
                eventsHeld++;
            }
            switch (evaluation) {
                case AS_SOON_AS_HOLDS -> {
                    double value = measure(group);
                    if (holds(value)) {
                        output.add(this, fired(group, value, null), group.newest());
                        groups.remove(key);
                        release(group);
                    }
                }
                case AT_WINDOW_END -> {
                    if (opened) {
                        group.windowStart = input.timeMicros();
                        openWindows++;
                        deadlines.add(new Deadline(plus(input.timeMicros(), spanMicros), this, group,
                                group.windowStart));
                        // An evicted group's deadline stays queued until its time, holding the group: drop such stale
                        // deadlines once they outnumber the open windows, so a flood of new groups stays bounded.
                        if (deadlines.size() > 2 * openWindows + 1024) {
                            deadlines.removeIf(Deadline::isStale);
                        }
                    }
                }
                case PER_VALUE -> {
                    Group.Tally tally = group.tallies.get(text);
                    double share = 100.0 * tally.count / group.size;
                    if (!tally.reported && holds(share)) {
                        tally.reported = true;
                        Fired result = fired(group, share, text);
                        output.add(this, result, result.lastMicros());
                    }
                }
            }
            dropPassedGroups();
        }

        /** Evaluates a window at its end, then forgets it; the group's next signal opens a new one. */
        void close(Group group, Output output) {
            groups.remove(group.key);
            release(group);
            if (group.size == 0) {
                return;
            }
            double value = measure(group);
            if (holds(value)) {
                output.add(this, fired(group, value, null), plus(group.windowStart, spanMicros));
            }
        }

        /** Drops groups, least recently updated first, whose newest signal is older than the window. */
        void dropPassedGroups() {
            if (evaluation == Evaluation.AT_WINDOW_END) {
                return; // their deadlines close them
            }
            long cutoff = cutoff();
            Iterator<Group> it = groups.values().iterator();
            while (it.hasNext()) {
                Group group = it.next();
                if (group.size > 0 && group.newest() >= cutoff) {
                    return;
                }
                it.remove();
                release(group);
                groupExpirations++;
            }
        }

        void release(Group group) {
            group.alive = false;
            eventsHeld -= group.size;
            if (evaluation == Evaluation.AT_WINDOW_END) {
                openWindows--;
            }
        }

        String fieldFor(String name, Input input, int ruleIndex) {
            Map<String, String> byRule = aliases.get(name);
            if (byRule == null) {
                return name;
            }
            String field = input.ruleName() == null ? null : byRule.get(input.ruleName());
            if (field == null && input.ruleId() != null) {
                field = byRule.get(input.ruleId());
            }
            if (field == null) {
                field = byRule.get(rules.get(ruleIndex));
            }
            return field != null ? field : name;
        }

        boolean holds(double value) {
            Threshold condition = correlation.condition();
            if (condition == null || condition.comparisons().isEmpty()) {
                return value >= rules.size(); // temporal types without a condition: every rule
            }
            return condition.holds(value);
        }

        double measure(Group group) {
            return switch (type) {
                case EVENT_COUNT -> group.size;
                case VALUE_COUNT -> group.tallies.size();
                case TEMPORAL -> group.rulesPresent;
                case TEMPORAL_ORDERED -> group.longestOrderedRun(chainScratch);
                case VALUE_SUM -> group.sum;
                case VALUE_AVG -> group.sum / group.size;
                case VALUE_PERCENTILE -> group.percentile(rank);
            };
        }

        /** The firing for the group's window; with {@code onlyValue}, for that value's signals only (per value). */
        Fired fired(Group group, double value, String onlyValue) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < groupBy.length; i++) {
                fields.put(groupBy[i], group.groupValues[i]);
            }
            if (onlyValue != null) {
                fields.put(valueField, onlyValue);
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            boolean[] present = new boolean[rules.size()];
            List<String> eventIds = new ArrayList<>();
            for (int i = 0; i < group.size; i++) {
                int at = group.slot(i);
                if (onlyValue != null && !onlyValue.equals(group.texts[at])) {
                    continue;
                }
                first = Math.min(first, group.times[at]);
                last = Math.max(last, group.times[at]);
                present[group.rules[at]] = true;
                addEvidence(group.evidence[at], eventIds, limits.maxEventsPerGroup());
            }
            List<String> ruleRefs = new ArrayList<>();
            for (int i = 0; i < present.length; i++) {
                if (present[i]) {
                    ruleRefs.add(rules.get(i));
                }
            }
            return new Fired(correlation, fields, first, last, value, ruleRefs, eventIds);
        }
    }

    private static Evaluation evaluation(Correlation correlation, boolean ranked) {
        Threshold condition = correlation.condition();
        boolean rising = condition == null || RISING_COMPARISONS.containsAll(condition.comparisons().keySet());
        return switch (correlation.type()) {
            case EVENT_COUNT, VALUE_COUNT, TEMPORAL, TEMPORAL_ORDERED, VALUE_SUM ->
                    rising ? Evaluation.AS_SOON_AS_HOLDS : Evaluation.AT_WINDOW_END;
            case VALUE_AVG -> Evaluation.AT_WINDOW_END;
            case VALUE_PERCENTILE -> ranked ? Evaluation.AT_WINDOW_END : Evaluation.PER_VALUE;
        };
    }

    private static void addEvidence(Object evidence, List<String> out, int max) {
        if (evidence instanceof String eventId) {
            if (out.size() < max) {
                out.add(eventId);
            }
        } else if (evidence instanceof List<?> eventIds) {
            for (Object eventId : eventIds) {
                if (out.size() >= max) {
                    return;
                }
                out.add((String) eventId);
            }
        }
    }

    // ---- one group's window

    /**
     * One group's signals in its window, oldest first: a ring of parallel arrays that grows by doubling up to the
     * limit, with the aggregates kept up to date as signals enter and leave.
     */
    private static final class Group {
        final Object key;
        final String[] groupValues;
        final int maxEvents;
        long[] times;
        int[] rules;
        Object[] evidence;
        String[] texts;
        double[] numbers;
        int head;
        int size;
        /** Signals per referenced rule, and how many rules have any. */
        final int[] perRule;
        int rulesPresent;
        /** Signals per value (value_count, per value). */
        final HashMap<String, Tally> tallies;
        double sum;
        long windowStart;
        boolean alive = true;

        static final class Tally {
            int count;
            boolean reported;
        }

        Group(Object key, String[] groupValues, int ruleCount, boolean textValues, boolean numberValues,
                int maxEvents) {
            this.key = key;
            this.groupValues = groupValues;
            this.maxEvents = maxEvents;
            int capacity = Math.min(4, maxEvents);
            this.times = new long[capacity];
            this.rules = new int[capacity];
            this.evidence = new Object[capacity];
            this.texts = textValues ? new String[capacity] : null;
            this.numbers = numberValues ? new double[capacity] : null;
            this.perRule = new int[ruleCount];
            this.tallies = textValues ? new HashMap<>() : null;
        }

        int slot(int index) {
            int at = head + index;
            return at >= times.length ? at - times.length : at;
        }

        long newest() {
            return times[slot(size - 1)];
        }

        /** Adds a signal in time order. Returns whether the oldest signal was dropped to make room. */
        boolean add(long time, int rule, Object eventIds, String text, double number) {
            boolean dropped = false;
            if (size == times.length) {
                if (times.length < maxEvents) {
                    grow((int) Math.min(maxEvents, 2L * times.length));
                } else {
                    removeOldest();
                    dropped = true;
                }
            }
            int position = size;
            while (position > 0 && times[slot(position - 1)] > time) {
                position--;
            }
            for (int i = size; i > position; i--) {
                int to = slot(i);
                int from = slot(i - 1);
                times[to] = times[from];
                rules[to] = rules[from];
                evidence[to] = evidence[from];
                if (texts != null) {
                    texts[to] = texts[from];
                }
                if (numbers != null) {
                    numbers[to] = numbers[from];
                }
            }
            int at = slot(position);
            times[at] = time;
            rules[at] = rule;
            evidence[at] = eventIds;
            if (texts != null) {
                texts[at] = text;
                tallies.computeIfAbsent(text, t -> new Tally()).count++;
            }
            if (numbers != null) {
                numbers[at] = number;
                sum += number;
            }
            if (perRule[rule]++ == 0) {
                rulesPresent++;
            }
            size++;
            return dropped;
        }

        /** Removes the signals older than {@code cutoff}; returns how many. */
        int expire(long cutoff) {
            int removed = 0;
            while (size > 0 && times[head] < cutoff) {
                removeOldest();
                removed++;
            }
            return removed;
        }

        private void removeOldest() {
            int at = head;
            if (--perRule[rules[at]] == 0) {
                rulesPresent--;
            }
            if (texts != null) {
                Tally tally = tallies.get(texts[at]);
                if (--tally.count == 0) {
                    tallies.remove(texts[at]);
                }
                texts[at] = null;
            }
            if (numbers != null) {
                sum -= numbers[at];
            }
            evidence[at] = null;
            head = slot(1);
            size--;
            if (size == 0) {
                head = 0;
                sum = 0; // no drift carried into the next burst
            }
        }

        private void grow(int capacity) {
            long[] newTimes = new long[capacity];
            int[] newRules = new int[capacity];
            Object[] newEvidence = new Object[capacity];
            String[] newTexts = texts == null ? null : new String[capacity];
            double[] newNumbers = numbers == null ? null : new double[capacity];
            for (int i = 0; i < size; i++) {
                int at = slot(i);
                newTimes[i] = times[at];
                newRules[i] = rules[at];
                newEvidence[i] = evidence[at];
                if (newTexts != null) {
                    newTexts[i] = texts[at];
                }
                if (newNumbers != null) {
                    newNumbers[i] = numbers[at];
                }
            }
            times = newTimes;
            rules = newRules;
            evidence = newEvidence;
            texts = newTexts;
            numbers = newNumbers;
            head = 0;
        }

        /**
         * The most distinct rules seen in the listed order: for each rule, the longest in-order run ending with it
         * is one more than the longest ending with an earlier-listed rule before it. A stretch of one rule's signals
         * extends runs no further than its first signal, so it is skipped.
         */
        int longestOrderedRun(int[] best) {
            Arrays.fill(best, 0);
            int longest = 0;
            int previous = -1;
            for (int i = 0; i < size; i++) {
                int rule = rules[slot(i)];
                if (rule == previous) {
                    continue;
                }
                previous = rule;
                int before = 0;
                for (int earlier = 0; earlier < rule; earlier++) {
                    before = Math.max(before, best[earlier]);
                }
                best[rule] = Math.max(best[rule], before + 1);
                longest = Math.max(longest, best[rule]);
            }
            return longest;
        }

        /** The {@code rank}-th percentile of the numbers, interpolated linearly between the nearest two. */
        double percentile(double rank) {
            double[] sorted = new double[size];
            for (int i = 0; i < size; i++) {
                sorted[i] = numbers[slot(i)];
            }
            Arrays.sort(sorted);
            double position = rank / 100.0 * (size - 1);
            int below = (int) Math.floor(position);
            int above = (int) Math.ceil(position);
            return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
        }
    }

    /** The map key of a group: no allocation beyond the values for the common single field. */
    private static Object groupKey(String[] values) {
        return switch (values.length) {
            case 0 -> "";
            case 1 -> values[0];
            default -> List.of(values);
        };
    }

    private static double parseNumber(String text) {
        if (text == null) {
            return Double.NaN;
        }
        try {
            double number = Double.parseDouble(text.trim());
            return Double.isFinite(number) ? number : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---- checks

    private void check(Correlation correlation, List<String> problems) {
        String name = describe(correlation);
        Duration timespan = correlation.timespan();
        if (timespan == null || timespan.isNegative() || timespan.isZero()) {
            problems.add(name + ": has no timespan; add one, e.g. 'timespan: 10m'");
        }
        if (correlation.rules().isEmpty()) {
            problems.add(name + ": refers to no rules; list the ids or names of the correlated rules");
        }
        Threshold condition = correlation.condition();
        boolean temporal = correlation.type() == CorrelationType.TEMPORAL
                || correlation.type() == CorrelationType.TEMPORAL_ORDERED;
        if (condition == null || condition.comparisons().isEmpty()) {
            if (!temporal) {
                problems.add(name + ": " + correlation.type().sigmaName() + " needs a condition that compares,"
                        + " e.g. 'condition: {gte: 10}'");
            }
            return;
        }
        for (String comparison : condition.comparisons().keySet()) {
            if (!COMPARISONS.contains(comparison)) {
                problems.add(name + ": condition compares with '" + comparison + "'; use gt, gte, lt, lte, eq or neq");
                return;
            }
        }
        switch (correlation.type()) {
            case EVENT_COUNT, VALUE_COUNT -> {
                double needed = leastNeeded(condition);
                if (needed > limits.maxEventsPerGroup()) {
                    problems.add(name + ": needs " + (long) needed + " events in one group's window, but a window"
                            + " holds at most " + limits.maxEventsPerGroup() + " (Limits.maxEventsPerGroup); raise"
                            + " the limit or lower the condition");
                }
            }
            case TEMPORAL, TEMPORAL_ORDERED -> {
                double needed = leastNeeded(condition);
                if (needed > correlation.rules().size()) {
                    problems.add(name + ": its condition needs " + (long) needed + " distinct rules but it refers"
                            + " to " + correlation.rules().size() + "; lower the condition or list more rules");
                }
            }
            case VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE -> {
                // numbers: any threshold can be reached
            }
        }
        switch (correlation.type()) {
            case VALUE_COUNT, VALUE_SUM, VALUE_AVG, VALUE_PERCENTILE -> {
                if (condition.field() == null || condition.field().isBlank()) {
                    problems.add(name + ": " + correlation.type().sigmaName() + " needs the field it aggregates;"
                            + " add it to the condition, e.g. 'field: TargetUserName'");
                }
            }
            case EVENT_COUNT, TEMPORAL, TEMPORAL_ORDERED -> {
                // counts events or rules, not values
            }
        }
        BigDecimal percentile = condition.percentile();
        if (percentile != null && (percentile.signum() < 0 || percentile.compareTo(BigDecimal.valueOf(100)) > 0)) {
            problems.add(name + ": percentile " + percentile.toPlainString() + " is not a rank from 0 to 100");
        }
    }

    /** The least count a gt/gte condition needs; 0 when it sets no lower bound. */
    private static double leastNeeded(Threshold condition) {
        double needed = 0;
        for (Map.Entry<String, BigDecimal> comparison : condition.comparisons().entrySet()) {
            double limit = comparison.getValue().doubleValue();
            needed = Math.max(needed, switch (comparison.getKey()) {
                case "gt" -> Math.floor(limit) + 1;
                case "gte", "eq" -> Math.ceil(limit);
                default -> 0;
            });
        }
        return needed;
    }

    /** Refuses correlations that refer to themselves, directly or through others: a firing would feed itself. */
    private static void findCycles(Map<String, Correlation> byReference, List<String> problems) {
        Map<Correlation, Integer> colour = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (Correlation start : new LinkedHashSet<>(byReference.values())) {
            if (!colour.containsKey(start)) {
                visit(start, byReference, colour, new ArrayList<>(), problems);
            }
        }
    }

    private static void visit(Correlation correlation, Map<String, Correlation> byReference,
            Map<Correlation, Integer> colour, List<Correlation> path, List<String> problems) {
        colour.put(correlation, 1);
        path.add(correlation);
        for (String reference : correlation.rules()) {
            Correlation next = byReference.get(reference);
            if (next == null) {
                continue;
            }
            Integer seen = colour.get(next);
            if (seen == null) {
                visit(next, byReference, colour, path, problems);
            } else if (seen == 1) {
                List<String> cycle = new ArrayList<>();
                for (Correlation member : path.subList(path.indexOf(next), path.size())) {
                    cycle.add(member.meta().reference());
                }
                cycle.add(next.meta().reference());
                problems.add(describe(next) + ": refers to itself through " + String.join(" -> ", cycle)
                        + "; a correlation cannot correlate its own firings, so remove one of these references");
            }
        }
        path.removeLast();
        colour.put(correlation, 2);
    }

    private static List<String> identities(Correlation correlation) {
        List<String> identities = new ArrayList<>(2);
        if (correlation.meta().id() != null) {
            identities.add(correlation.meta().id());
        }
        if (correlation.meta().name() != null) {
            identities.add(correlation.meta().name());
        }
        return identities;
    }

    private static String describe(Correlation correlation) {
        String source = correlation.meta().source();
        return (source == null ? "" : source + ": ") + "correlation '" + correlation.meta().reference() + "'";
    }

    private static long micros(Duration timespan) {
        try {
            return Math.addExact(Math.multiplyExact(timespan.getSeconds(), 1_000_000L), timespan.getNano() / 1000);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long minus(long time, long span) {
        return time < Long.MIN_VALUE + span ? Long.MIN_VALUE : time - span;
    }

    private static long plus(long time, long span) {
        return time > Long.MAX_VALUE - span ? Long.MAX_VALUE : time + span;
    }
}
