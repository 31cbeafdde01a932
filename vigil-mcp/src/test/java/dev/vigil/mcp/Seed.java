package dev.vigil.mcp;

import dev.vigil.incident.CorrelationPolicy;
import dev.vigil.incident.TacticStages;
import dev.vigil.ingest.EventSink;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A small real tenant: three events and two alerts on one host, correlated into an incident that carries a marker. */
final class Seed {
    static final long BASE_MILLIS = 1_714_564_800_000L;

    private Seed() {}

    static void tenant(Path data, TenantId tenant, String marker) {
        try (TenantStore store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE)) {
            List<Event> events = new ArrayList<>();
            List<Alert> alerts = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                long millis = BASE_MILLIS + n * 60_000L;
                String raw = "{\"n\":" + n + ",\"cmd\":\"" + marker + "\"}";
                String[] common = new String[CommonColumn.count()];
                common[CommonColumn.HOST.ordinal()] = "ws-" + tenant;
                common[CommonColumn.USER.ordinal()] = "user-" + tenant;
                common[CommonColumn.COMMAND_LINE.ordinal()] = "powershell -c " + marker;
                common[CommonColumn.EVENT_CODE.ordinal()] = "1";
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("EventID", 1L);
                fields.put("Computer", "ws-" + tenant);
                fields.put("CommandLine", "powershell -c " + marker);
                EventId id = EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0);
                events.add(new Event(id, tenant, "SysmonEvent", millis * 1000, common, fields, raw,
                        new SourcePosition("seed.json", n, 0)));
                if (n <= 2) {
                    alerts.add(new Alert(UUID.nameUUIDFromBytes((tenant + "-" + n).getBytes(StandardCharsets.UTF_8)),
                            tenant, "sigma", "rule-" + n, "Suspicious PowerShell " + marker, "high", "",
                            millis * 1000, List.of("T1059.001"), Map.of("CommandLine", "powershell -c " + marker),
                            List.of(new Alert.Entity("host", "ws-" + tenant), new Alert.Entity("user", "user-"
                                    + tenant)), List.of(id), "SysmonEvent", ""));
                }
            }
            store.append(new EventSink.Batch(events, List.of()));
            store.appendAlerts(alerts);
            store.commit();
            store.incidents().correlate(CorrelationPolicy.defaults(), TacticStages.unknown(), Instant.now(), s -> { });
            store.commit();
        }
    }
}
