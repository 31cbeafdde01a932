package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Alert;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertJsonTest {
    @Test
    void writesEveryFieldInAFixedOrder() {
        TenantId tenant = TenantId.of("acme");
        EventId event = EventId.derive(tenant, 0, "x".getBytes(StandardCharsets.UTF_8), 0);
        Alert alert = new Alert(Alert.idFor(tenant, "r1", List.of(event)), tenant, "sigma", "r1", "Encoded PowerShell",
                "high", "new", 1_700_000_000_123_456L, List.of("T1059.001"), Map.of("b", "2", "a", "1"),
                List.of(new Alert.Entity("host", "ws-01"), new Alert.Entity("user", "alice")), List.of(event),
                "DeviceProcessEvents", "");

        Map<String, Object> json = AlertJson.of(alert);

        assertThat(json.keySet()).containsExactly("id", "rule_id", "title", "level", "status", "time", "techniques",
                "event_ids", "table", "matched_fields", "entities", "source");
        assertThat(json.get("time")).isEqualTo("2023-11-14T22:13:20.123456Z");
        assertThat(json.get("event_ids")).isEqualTo(List.of(event.toString()));
        assertThat(List.copyOf(((Map<?, ?>) json.get("matched_fields")).keySet())).isEqualTo(List.of("a", "b"));
        assertThat(json.get("entities")).isEqualTo(List.of(Map.of("kind", "host", "value", "ws-01"),
                Map.of("kind", "user", "value", "alice")));
        assertThat(List.copyOf(((Map<?, ?>) ((List<?>) json.get("entities")).get(0)).keySet()))
                .isEqualTo(List.of("kind", "value"));
    }
}
