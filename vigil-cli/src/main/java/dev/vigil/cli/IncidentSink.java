package dev.vigil.cli;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import dev.vigil.store.AlertRepository;
import dev.vigil.store.IncidentFeed;
import dev.vigil.store.PostgresState;
import dev.vigil.store.TenantStore;
import dev.vigil.stream.StreamJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies records of the pipeline's incidents topic to the tenants' incidents, as {@code vigil stream incidents}
 * reads them: each placement's alert is stored (once per id) where {@code store.state} keeps the pipeline's alerts
 * and incidents, PostgreSQL ({@link AlertRepository}, beside the incidents, so that every API node reads them) or the
 * tenant's store in the data directory; then the placements are applied with {@link IncidentFeed} to the incidents
 * there. The alerts are durable before the placements that name them, and the placements before the consumer
 * commits its offsets: a crash in between delivers the batch again, whose alerts are stored already (keyed by id)
 * and whose placements are at or before the incidents' cursor, so nothing is lost and nothing is stored twice.
 */
final class IncidentSink {
    private final VigilConfig config;

    IncidentSink(VigilConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** One record of the incidents topic: its offset in its partition, and its value. */
    record Input(long offset, byte[] value) {}

    /** What a batch did, over every tenant in it. */
    record Applied(int placed, int skipped, int opened, int merged, int unreadable) {
        Applied plus(IncidentFeed.Applied other) {
            return new Applied(placed + other.placed(), skipped + other.skipped(), opened + other.opened(),
                    merged + other.merged(), unreadable);
        }
    }

    /** Applies the records of one partition, in their order. */
    Applied apply(List<Input> records, Instant now) {
        Map<TenantId, List<StreamJson.Placement>> byTenant = new LinkedHashMap<>();
        Map<TenantId, List<IncidentFeed.Placed>> placedByTenant = new LinkedHashMap<>();
        int unreadable = 0;
        for (Input record : records) {
            StreamJson.Placement placement;
            try {
                placement = StreamJson.placement(record.value());
            } catch (RuntimeException e) {
                unreadable++; // written by a pipeline whose placements did not carry their alert: nothing to apply
                Logging.logger().atWarn().addKeyValue("offset", record.offset()).log("skipping a placement: "
                        + e.getMessage());
                continue;
            }
            TenantId tenant = placement.alert().tenant();
            byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(placement);
            placedByTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new IncidentFeed.Placed(
                    placement.alert().id(), placement.assignment().incident(), placement.assignment().opened(),
                    placement.assignment().reason(), placement.assignment().merged(), record.offset()));
        }
        Applied applied = new Applied(0, 0, 0, 0, unreadable);
        Optional<PostgresState> shared = SharedState.postgres(config);
        for (Map.Entry<TenantId, List<StreamJson.Placement>> tenant : byTenant.entrySet()) {
            List<Alert> alerts = tenant.getValue().stream().map(StreamJson.Placement::alert).toList();
            List<IncidentFeed.Placed> placed = placedByTenant.get(tenant.getKey());
            if (shared.isPresent()) {
                AlertRepository stored = shared.get().alerts(tenant.getKey());
                stored.append(alerts); // one transaction, before the placements that name them
                IncidentFeed feed = new IncidentFeed(shared.get().incidents(tenant.getKey()), stored::byIds);
                applied = applied.plus(feed.apply(placed, now));
                continue;
            }
            try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant.getKey(),
                    TenantStore.Mode.READ_WRITE)) {
                store.appendAlerts(alerts);
                store.commit(); // the alerts before the placements that name them
                IncidentFeed feed = new IncidentFeed(store.incidents().repository(), store::alertsById);
                applied = applied.plus(feed.apply(placed, now));
                store.commit(); // the placements
            }
        }
        return applied;
    }
}
