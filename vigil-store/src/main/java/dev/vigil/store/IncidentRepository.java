package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.IncidentNaming;
import dev.vigil.incident.JoinReason;
import dev.vigil.incident.Lifecycle;
import dev.vigil.incident.ResponseAction;
import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * One tenant's incidents as state: each incident's lifecycle (status, severity, verdict, owner, tags, times), which
 * alert is in which incident and why (placements, keyed by alert id), merges, the history of changes with who made
 * them and when, the decisions on response actions, and the cursor correlation resumes from. An instance is bound to
 * one tenant when it is made and reads and writes that tenant's incidents only.
 *
 * <p>Two implementations keep the same contract: the tenant's embedded DuckDB database ({@link TenantStore#incidents()}
 * by default), and {@link PostgresState#incidents} in a PostgreSQL database shared by the nodes of a scale-out
 * deployment. What incidents are made of (alerts, their events, the prevalence baseline) belongs to the event store;
 * {@link IncidentStore} reads it there and keeps the incidents here.
 *
 * <p>This is state, not policy: roles are checked and lifecycle rules applied by {@link IncidentStore} before it
 * writes. Writes to the embedded store join the store's open unit of work and are durable at its
 * {@link TenantStore#commit()}; writes to PostgreSQL are each one transaction, durable when they return. Times are
 * kept to the microsecond.
 */
public interface IncidentRepository {
    /** The tenant whose incidents these are. */
    TenantId tenant();

    // --- reading -------------------------------------------------------------------------------------------------

    /**
     * Incidents not merged into another, most recently active first (then highest number).
     *
     * @param status only incidents in this status, or all when empty
     * @param minimumSeverity only incidents at least this severe ({@code informational} ... {@code critical}), or all
     * @param limit at most this many (at least one)
     */
    default List<Incident> list(Optional<Incident.Status> status, Optional<String> minimumSeverity, int limit) {
        IncidentQuery query = IncidentQuery.all().limit(Math.min(Math.max(1, limit), IncidentQuery.MAX_LIMIT));
        query = status.map(query::status).orElse(query);
        query = minimumSeverity.map(query::minimumSeverity).orElse(query);
        return query(query).incidents();
    }

    /**
     * The incidents not merged into another that match the query, in its order and at most its limit, with how many
     * match in all and the span of their activity.
     */
    IncidentQuery.Matches query(IncidentQuery query);

    /** The incident with this number, unless there is none or it was merged into another. */
    Optional<Incident> find(long number);

    /** The incident a merged incident went into (after every later merge), or empty when it was not merged. */
    OptionalLong mergedInto(long number);

    /** The alerts placed in the incident, each with the reason it is there. */
    Map<UUID, JoinReason> placements(long number);

    /** Of these alerts, those placed in an incident, with the (unmerged) incident each is in now. */
    Map<UUID, Long> incidentsOf(Collection<UUID> alerts);

    /** The incident's recorded changes and comments, oldest first (in the order recorded when times tie). */
    List<IncidentChange> changes(long number);

    /** The decisions recorded on the incident's response actions, the latest per action, in the order each action was first
     * recorded. */
    Map<UUID, ResponseAction> decisions(long number);

    // --- changing ------------------------------------------------------------------------------------------------

    /**
     * Changes an incident's lifecycle (status, severity, verdict, owner, tags, acknowledged and resolved times):
     * {@code change} is given the incident as stored and returns its new lifecycle with the changes that lead to it,
     * which are stored together. Nothing else changes the incident in between (PostgreSQL holds its row lock
     * meanwhile), so updates made at once on two nodes both count. Its title, times seen, size and reference are
     * correlation's.
     *
     * @param severitySet whether the change sets the severity: from then on correlation keeps it
     * @return the incident as changed
     * @throws VigilException {@link ErrorCode#INCIDENT_NOT_FOUND} when there is no such incident, or it was merged;
     *     what {@code change} throws passes through, and nothing is stored
     */
    Incident update(long number, boolean severitySet, Function<Incident, Lifecycle.Updated> change);

    /** Records a decision on, or the outcome of, a response action, with the change it makes to the history. */
    void record(ResponseAction action, IncidentChange change, Instant now);

    // --- correlation ---------------------------------------------------------------------------------------------

    /**
     * Where correlation stands: the last stored alert (by the event store's row number) it has placed, or -1, and
     * the number the next incident opened gets.
     */
    Cursor cursor();

    /** Every placement in an unmerged incident last seen at or after {@code horizon}: alert to incident. */
    Map<UUID, Active> activeSince(Instant horizon);

    /**
     * Applies one correlation run together: opened incidents, placements, merges, their history, refreshed
     * summaries and the new cursor. A run begun from a cursor that is no longer current (another node correlated
     * the tenant meanwhile) is refused and nothing of it is written.
     *
     * @throws VigilException {@link ErrorCode#CORRELATION_CONFLICT} when the cursor moved since {@link #cursor()},
     *     or an alert of the run is placed already
     */
    void apply(Run run);

    /** Where correlation stands; see {@link #cursor()}. */
    record Cursor(long alertRowid, long nextNumber) {}

    /**
     * A placement restored for correlation: the incident the alert is in, whether it is resolved, and whether the alert
     * joined it through a shared host alone (such an alert does not stretch the incident's hold on the host).
     */
    record Active(long incident, boolean resolved, boolean throughHostAlone) {
        /** A placement through more than a shared host, or none. */
        public Active(long incident, boolean resolved) {
            this(incident, resolved, false);
        }
    }

    /** An alert placed in an incident, and why. */
    record Placement(UUID alert, long incident, JoinReason reason) {
        public Placement {
            requireNonNull(alert, "alert is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * An incident opened by a run: new, informational, undetermined and empty until refreshed.
     *
     * @param mergedInto the incident it was merged into within the same run, or empty
     */
    record Opened(long number, OptionalLong mergedInto) {
        public Opened {
            requireNonNull(mergedInto, "mergedInto is null");
        }
    }

    /** What correlation derives from an incident's alerts; the severity stands unless an analyst set one. */
    record Summary(long number, String title, String severity, Instant firstSeen, Instant lastSeen, int alertCount,
            String reference) {
        public Summary {
            requireNonNull(title, "title is null");
            requireNonNull(severity, "severity is null");
            requireNonNull(firstSeen, "firstSeen is null");
            requireNonNull(lastSeen, "lastSeen is null");
            requireNonNull(reference, "reference is null");
        }

        /**
         * The summary of an incident holding these alerts (at least one): the title and severity
         * {@link IncidentNaming} gives, the times of the earliest and latest, how many, and the first product
         * reference among them in time order.
         */
        public static Summary of(long number, Collection<Alert> alerts) {
            if (alerts.isEmpty()) {
                throw new IllegalArgumentException("incident " + number + " has no alert to summarize");
            }
            List<Alert> sorted = new java.util.ArrayList<>(alerts);
            sorted.sort(java.util.Comparator.comparingLong(Alert::timeMicros).thenComparing(Alert::id));
            return new Summary(number, IncidentNaming.title(sorted), IncidentNaming.severity(sorted),
                    IncidentStore.instant(sorted.getFirst().timeMicros()),
                    IncidentStore.instant(sorted.getLast().timeMicros()), sorted.size(), sorted.stream()
                            .map(Alert::incidentRef).filter(r -> !r.isEmpty()).findFirst().orElse(""));
        }
    }

    /**
     * One correlation run, to apply together.
     *
     * @param from the cursor the run began from; the run is refused unless it is still current
     * @param alertRowid the last stored alert the run read, the next run's start
     * @param at when the run placed its alerts
     * @param opened incidents opened, numbered from {@code from.nextNumber()} without gaps
     * @param placements every alert of the run, in the incident it ended in (after the run's merges)
     * @param merged earlier incidents merged into others by this run: merged to where it went; their placements
     *     move with them
     * @param changes the history the run adds (one change per merge)
     * @param summaries the refreshed summaries of the incidents the run touched
     */
    record Run(Cursor from, long alertRowid, Instant at, List<Opened> opened, List<Placement> placements,
            Map<Long, Long> merged, List<IncidentChange> changes, List<Summary> summaries) {
        public Run {
            requireNonNull(from, "from is null");
            requireNonNull(at, "at is null");
            opened = List.copyOf(opened);
            placements = List.copyOf(placements);
            merged = Map.copyOf(merged);
            changes = List.copyOf(changes);
            summaries = List.copyOf(summaries);
        }
    }

    /** The refusal of a run that began from a stale cursor, naming the tenant. */
    static VigilException conflict(TenantId tenant, String what) {
        return new VigilException(ErrorCode.CORRELATION_CONFLICT, "correlating tenant '" + tenant + "' conflicted: "
                + what);
    }
}
