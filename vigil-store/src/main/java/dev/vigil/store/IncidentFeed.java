package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.Assignment;
import dev.vigil.incident.IncidentChange;
import dev.vigil.incident.JoinReason;
import dev.vigil.model.Alert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies placements that a correlator elsewhere made (the Kafka pipeline's correlation, which writes them to the
 * {@code vigil.incidents} topic) to a tenant's {@link IncidentRepository}, so that the incidents the pipeline opens
 * are listed, shown and updated like those {@link IncidentStore#correlate} opens.
 *
 * <p>The pipeline numbers the incidents and decides the merges; this keeps its numbers and moves the placements of a
 * merged incident to where it went. Each batch is one {@link IncidentRepository#apply run} of the repository, its
 * cursor the position of the batch's last record (the record's offset in its topic partition; a tenant's records
 * share one partition, so their offsets only grow). Applying is idempotent: records at or before the cursor were
 * applied already, and an alert placed already (by id) keeps its first placement, so a consumer that crashed before
 * committing its offsets may deliver a batch again.
 *
 * <p>The summary of each incident a batch touches (title, severity, times, size) is computed from all its alerts, as
 * correlation does, which the alert source must find by id: the tenant's store, or wherever the pipeline's alerts
 * are kept.
 */
public final class IncidentFeed {
    private final IncidentRepository repository;
    private final Function<Collection<UUID>, List<Alert>> alertsById;

    /**
     * @param alertsById the alerts with these ids (the alerts of the batch and of the incidents it touches); ids it
     *     does not know are left out of the summaries
     */
    public IncidentFeed(IncidentRepository repository, Function<Collection<UUID>, List<Alert>> alertsById) {
        this.repository = requireNonNull(repository, "repository is null");
        this.alertsById = requireNonNull(alertsById, "alertsById is null");
    }

    /**
     * Where the pipeline placed one alert.
     *
     * @param position the record's offset in its partition of the incidents topic
     * @param merged the incidents this placement merged into {@code incident}
     */
    public record Placed(UUID alert, long incident, boolean opened, JoinReason reason, List<Assignment.Merge> merged,
            long position) {
        public Placed {
            requireNonNull(alert, "alert is null");
            requireNonNull(reason, "reason is null");
            merged = List.copyOf(merged);
        }
    }

    /** What a batch did: how many of its placements were new, and how many incidents it opened and merged. */
    public record Applied(int placed, int skipped, int opened, int merged) {}

    /**
     * Applies a batch of one tenant's placements, in the order the pipeline made them.
     *
     * @throws dev.vigil.model.VigilException {@link dev.vigil.model.ErrorCode#CORRELATION_CONFLICT} when another
     *     consumer applied to the tenant meanwhile, or the pipeline opens an incident whose number the tenant's
     *     incidents already use (they are numbered by another correlator)
     */
    public Applied apply(List<Placed> batch, Instant now) {
        requireNonNull(batch, "batch is null");
        requireNonNull(now, "now is null");
        IncidentRepository.Cursor cursor = repository.cursor();
        List<Placed> unseen = batch.stream().filter(p -> p.position() > cursor.alertRowid()).toList();
        if (unseen.isEmpty()) {
            return new Applied(0, batch.size(), 0, 0);
        }
        Map<UUID, Long> placedAlready = repository.incidentsOf(unseen.stream().map(Placed::alert).toList());
        Map<Long, Long> mergedInto = new HashMap<>(); // this batch's merges: merged -> the incident it went into
        List<Placed> fresh = new ArrayList<>();
        Set<UUID> inBatch = new HashSet<>();
        for (Placed placed : unseen) {
            if (placedAlready.containsKey(placed.alert()) || !inBatch.add(placed.alert())) {
                continue; // the first placement of an alert stands
            }
            fresh.add(placed);
            for (Assignment.Merge merge : placed.merged()) {
                mergedInto.put(merge.incident(), placed.incident());
            }
        }
        long lastPosition = unseen.getLast().position();
        List<IncidentRepository.Opened> opened = new ArrayList<>();
        List<IncidentRepository.Placement> placements = new ArrayList<>();
        List<IncidentChange> changes = new ArrayList<>();
        Set<Long> touched = new TreeSet<>();
        for (Placed placed : fresh) {
            long root = root(mergedInto, placed.incident());
            if (placed.opened()) {
                if (placed.incident() < cursor.nextNumber()) {
                    throw IncidentRepository.conflict(repository.tenant(), "the pipeline opened incident "
                            + placed.incident() + ", a number the tenant's incidents use already (up to "
                            + (cursor.nextNumber() - 1) + "); keep one correlator per tenant");
                }
                long number = placed.incident();
                opened.add(new IncidentRepository.Opened(number, root == number ? OptionalLong.empty()
                        : OptionalLong.of(root)));
            }
            placements.add(new IncidentRepository.Placement(placed.alert(), root, placed.reason()));
            touched.add(root);
            for (Assignment.Merge merge : placed.merged()) {
                changes.add(new IncidentChange(root, now, "vigil", "merged", "", "incident " + merge.incident()
                        + " merged in: alert " + placed.alert().toString().substring(0, 8) + " belongs to both ("
                        + merge.reason().explain(id -> id.toString().substring(0, 8)) + ")"));
            }
        }
        Map<Long, Long> merges = new TreeMap<>();
        for (long merged : mergedInto.keySet()) {
            merges.put(merged, root(mergedInto, merged));
        }
        repository.apply(new IncidentRepository.Run(cursor, lastPosition, now, opened, placements, merges, changes,
                summaries(touched, merges, placements)));
        return new Applied(fresh.size(), batch.size() - fresh.size(), opened.size(), merges.size());
    }

    /** The touched incidents' summaries over all their alerts: stored, moved in by merges, and placed now. */
    private List<IncidentRepository.Summary> summaries(Set<Long> touched, Map<Long, Long> merges,
            List<IncidentRepository.Placement> placements) {
        Map<Long, Set<UUID>> members = new LinkedHashMap<>();
        for (long number : touched) {
            members.computeIfAbsent(number, n -> new HashSet<>()).addAll(repository.placements(number).keySet());
        }
        merges.forEach((merged, into) -> members.computeIfAbsent(into, n -> new HashSet<>())
                .addAll(repository.placements(merged).keySet()));
        for (IncidentRepository.Placement placement : placements) {
            members.computeIfAbsent(placement.incident(), n -> new HashSet<>()).add(placement.alert());
        }
        Set<UUID> all = new HashSet<>();
        members.values().forEach(all::addAll);
        Map<UUID, Alert> alerts = new HashMap<>();
        for (Alert alert : alertsById.apply(all)) {
            alerts.put(alert.id(), alert);
        }
        List<IncidentRepository.Summary> summaries = new ArrayList<>();
        members.forEach((number, ids) -> {
            List<Alert> known = ids.stream().map(alerts::get).filter(java.util.Objects::nonNull).toList();
            if (!known.isEmpty()) {
                summaries.add(IncidentRepository.Summary.of(number, known));
            }
        });
        return summaries;
    }

    private static long root(Map<Long, Long> mergedInto, long incident) {
        long current = incident;
        for (int hops = 0; mergedInto.containsKey(current) && hops < 10_000; hops++) {
            current = mergedInto.get(current);
        }
        return current;
    }
}
