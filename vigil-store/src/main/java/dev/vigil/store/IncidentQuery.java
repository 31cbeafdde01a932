package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentNaming;
import dev.vigil.incident.Lifecycle;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which of a tenant's incidents to read ({@link IncidentRepository#query}): those not merged into another that are in
 * one of the statuses, at least as severe as a level, active in a time range and among given numbers, in an order,
 * at most so many. Each condition left out keeps every incident; {@link #all()} is the query without any.
 *
 * <p>The same query gives the same incidents from the embedded store and from PostgreSQL: the repository contract
 * test runs it against both.
 *
 * @param statuses the statuses kept; all three when every incident is wanted
 * @param minimumSeverity only incidents at least this severe ({@code informational} ... {@code critical})
 * @param activeFrom only incidents last seen at or after this time
 * @param activeUntil only incidents first seen before this time
 * @param numbers only incidents with one of these numbers (the incidents that hold given alerts, say)
 * @param order the order of {@link Matches#incidents()}
 * @param limit at most this many incidents are read (the total counts them all)
 */
public record IncidentQuery(Set<Incident.Status> statuses, Optional<String> minimumSeverity,
        Optional<Instant> activeFrom, Optional<Instant> activeUntil, Optional<Set<Long>> numbers, Order order,
        int limit) {
    /** The most incidents one query reads. */
    public static final int MAX_LIMIT = 10_000;

    /** How the incidents read are ordered; ties go to the most recently active, then the highest number. */
    public enum Order {
        /** Most recently active first (the last alert's time). */
        MOST_RECENT,
        /** Most severe first. */
        MOST_SEVERE
    }

    /**
     * @throws IllegalArgumentException when no status is kept, the severity is not a level, the limit is not in
     *     {@code 1..MAX_LIMIT}
     */
    public IncidentQuery {
        statuses = Set.copyOf(requireNonNull(statuses, "statuses is null"));
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException("an incident query keeps at least one status");
        }
        requireNonNull(minimumSeverity, "minimumSeverity is null").ifPresent(level -> {
            if (IncidentNaming.rank(level) < 0) {
                throw new IllegalArgumentException("'" + level + "' is not a severity: use one of "
                        + Lifecycle.SEVERITIES);
            }
        });
        requireNonNull(activeFrom, "activeFrom is null");
        requireNonNull(activeUntil, "activeUntil is null");
        numbers = requireNonNull(numbers, "numbers is null").map(Set::copyOf);
        requireNonNull(order, "order is null");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("an incident query reads 1 to " + MAX_LIMIT + " incidents, not " + limit);
        }
    }

    /** Every incident not merged into another, most recently active first, at most 100. */
    public static IncidentQuery all() {
        return new IncidentQuery(EnumSet.allOf(Incident.Status.class), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Order.MOST_RECENT, 100);
    }

    /** Only incidents in one of these statuses. */
    public IncidentQuery statuses(Set<Incident.Status> kept) {
        return new IncidentQuery(kept, minimumSeverity, activeFrom, activeUntil, numbers, order, limit);
    }

    /** Only incidents in this status. */
    public IncidentQuery status(Incident.Status kept) {
        return statuses(EnumSet.of(kept));
    }

    /** Only open incidents: new or active. */
    public IncidentQuery open() {
        return statuses(EnumSet.of(Incident.Status.NEW, Incident.Status.ACTIVE));
    }

    /** Only incidents at least this severe. */
    public IncidentQuery minimumSeverity(String level) {
        return new IncidentQuery(statuses, Optional.of(level), activeFrom, activeUntil, numbers, order, limit);
    }

    /** Only incidents active in {@code [from, until)}: last seen at or after {@code from}, first seen before {@code until}. */
    public IncidentQuery activeIn(Instant from, Instant until) {
        return new IncidentQuery(statuses, minimumSeverity, Optional.of(from), Optional.of(until), numbers, order,
                limit);
    }

    /** Only incidents with one of these numbers. */
    public IncidentQuery numbers(Set<Long> kept) {
        return new IncidentQuery(statuses, minimumSeverity, activeFrom, activeUntil, Optional.of(kept), order, limit);
    }

    /** In this order. */
    public IncidentQuery orderBy(Order by) {
        return new IncidentQuery(statuses, minimumSeverity, activeFrom, activeUntil, numbers, by, limit);
    }

    /** At most this many. */
    public IncidentQuery limit(int most) {
        return new IncidentQuery(statuses, minimumSeverity, activeFrom, activeUntil, numbers, order, most);
    }

    /**
     * The query in words for a process log: {@code incidents where status in (active, new) and severity >= high
     * and active from 2024-05-02T09:00:00Z until ... order by severity limit 20}.
     */
    public String text() {
        List<String> conditions = new java.util.ArrayList<>();
        if (!everyStatus()) {
            conditions.add("status in (" + String.join(", ", statusNames()) + ")");
        }
        minimumSeverity.ifPresent(level -> conditions.add("severity >= " + level.toLowerCase(java.util.Locale.ROOT)));
        activeFrom.ifPresent(from -> conditions.add("active from " + from));
        activeUntil.ifPresent(until -> conditions.add("active until " + until));
        numbers.ifPresent(kept -> conditions.add("number in (" + kept.stream().sorted().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ")"));
        return "incidents" + (conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions))
                + " order by " + (order == Order.MOST_SEVERE ? "severity, " : "") + "last seen limit " + limit;
    }

    /** Whether every status is kept. */
    boolean everyStatus() {
        return statuses.size() == Incident.Status.values().length;
    }

    /** The statuses kept, as stored ({@code new}, {@code active}, {@code resolved}), in a stable order. */
    List<String> statusNames() {
        return statuses.stream().map(Incident.Status::toString).sorted().toList();
    }

    /** The rank (1 = informational ... 5 = critical) an incident's severity must reach, when a minimum is set. */
    Optional<Integer> minimumRank() {
        return minimumSeverity.map(level -> IncidentNaming.rank(level) + 1);
    }

    /**
     * The query's conditions over {@code vigil_incidents} (its tenant aside), with the values of its {@code ?}
     * parameters appended to {@code parameters}. Statuses and numbers are typed values written into the text.
     *
     * @param rankOf the SQL that ranks a severity 1 (informational) to 5 (critical), {@code %s} standing for it
     * @param at the SQL of a time parameter
     * @param bind a time as that parameter's value
     */
    String where(String rankOf, String at, Function<Instant, Object> bind, List<Object> parameters) {
        StringBuilder where = new StringBuilder("merged_into IS NULL");
        if (!everyStatus()) {
            where.append(" AND status IN (").append(statusNames().stream().map(s -> "'" + s + "'")
                    .collect(Collectors.joining(", "))).append(')');
        }
        minimumRank().ifPresent(rank -> {
            where.append(" AND ").append(rankOf.formatted("severity")).append(" >= ?");
            parameters.add(rank);
        });
        activeFrom.ifPresent(from -> {
            where.append(" AND last_seen >= ").append(at);
            parameters.add(bind.apply(from));
        });
        activeUntil.ifPresent(until -> {
            where.append(" AND first_seen < ").append(at);
            parameters.add(bind.apply(until));
        });
        numbers.ifPresent(kept -> where.append(" AND number IN (").append(kept.stream().sorted()
                .map(String::valueOf).collect(Collectors.joining(", "))).append(')'));
        return where.toString();
    }

    /** The query's order as SQL; {@code rankOf} as for {@link #where}. */
    String orderBy(String rankOf) {
        return (order == Order.MOST_SEVERE ? rankOf.formatted("severity") + " DESC, " : "")
                + "last_seen DESC, number DESC";
    }

    /** Whether the query can match nothing whatever is stored: it keeps no number. */
    boolean matchesNothing() {
        return numbers.map(Set::isEmpty).orElse(false);
    }

    /**
     * What a query read: the incidents in its order (at most its limit), how many match in all, and the earliest
     * first-seen and latest last-seen time among all of them (empty when none matches).
     */
    public record Matches(List<Incident> incidents, long total, Optional<Instant> firstSeen,
            Optional<Instant> lastSeen) {
        public Matches {
            incidents = List.copyOf(requireNonNull(incidents, "incidents is null"));
            requireNonNull(firstSeen, "firstSeen is null");
            requireNonNull(lastSeen, "lastSeen is null");
        }

        /** Nothing matched. */
        public static Matches none() {
            return new Matches(List.of(), 0, Optional.empty(), Optional.empty());
        }
    }
}
