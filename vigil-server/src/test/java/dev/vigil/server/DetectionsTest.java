package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.TenantId;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled rule sets the ingest API detects with: one compile per tenant, however many requests come first. */
@DisplayName("Detection's compiled rule sets")
class DetectionsTest {
    static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path data;

    @Test
    void requestsArrivingTogetherBeforeTheFirstCompileShareOneCompile() throws Exception {
        try (TenantStore store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            store.putRuleFile("breakglass.yml", IngestDetectionTest.RULE, List.of(RuleRow.imported(
                    IngestDetectionTest.RULE_ID, RuleRow.Kind.RULE, "Logon failure of the break-glass account", "high",
                    "stable", "breakglass.yml", List.of("SecurityEvent"), RuleRow.State.ACTIVE, "")));
            store.commit();
        }
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString()));
        try (TenantStores stores = new TenantStores(data);
                ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            Detections detections = new Detections(config, stores, Clock.systemUTC());
            CountDownLatch together = new CountDownLatch(1);
            List<Future<Detections.Run>> opened = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                opened.add(requests.submit(() -> {
                    together.await();
                    return detections.open(ACME);
                }));
            }
            together.countDown();
            for (Future<Detections.Run> run : opened) {
                assertThat(run.get()).isNotNull();
            }

            assertThat(detections.compilations()).isEqualTo(1);
        }
    }
}
