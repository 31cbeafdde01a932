package dev.vigil.cli;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ai.MiniLmEmbedder;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The copilot over the Kestrel Freight demo organization, as the copilot's evaluation and golden tests ask it: the
 * demo seeded as of {@link #AS_OF} with {@code vigil demo} (in-process), the tenant opened read-only, and the copilot
 * ranking skills with the real MiniLM embedder. Questions are asked at {@link #NOW}, the evening of the demo's last
 * day, so that "today" and "the last 24 hours" always mean the same events.
 *
 * <p>The demo imports MITRE ATT&amp;CK itself when the shared data has it; other public knowledge (such as CISA's
 * KEV catalog) is imported with {@code vigil vulns import} before the store is opened, as an analyst would.
 */
final class DemoCopilot implements AutoCloseable {
    static final String AS_OF = "2026-11-29";
    static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");
    static final ZoneId UTC = ZoneId.of("UTC");
    static final String TENANT = "demo";
    /** The demo's size for the fixtures: small and fast; the storyline is the same at every scale. */
    static final String SCALE = "0.05";

    private final TenantStore store;
    private final Copilot copilot;

    private DemoCopilot(TenantStore store, Copilot copilot) {
        this.store = requireNonNull(store, "store is null");
        this.copilot = requireNonNull(copilot, "copilot is null");
    }

    /** Seeds the demo into {@code data} and opens the copilot over it. */
    static DemoCopilot seed(Path data) {
        seedFiles(data, List.of());
        return open(data);
    }

    /**
     * Seeds the demo into {@code data} and imports vulnerability knowledge files (CVE JSON 5, OSV, KEV, EPSS) into the
     * data directory, without opening the store: the caller may copy the directory before {@link #open}ing it.
     */
    static void seedFiles(Path data, List<Path> vulnerabilityFiles) {
        CliTesting.Run demo = CliTesting.vigil(data, "demo", "--no-serve", "--scale", SCALE, "--as-of", AS_OF, "--json");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        if (!vulnerabilityFiles.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("vulns", "import"));
            vulnerabilityFiles.forEach(f -> args.add(f.toString()));
            CliTesting.Run vulns = CliTesting.vigil(data, args.toArray(String[]::new));
            assertThat(vulns.exit()).as(vulns.toString()).isZero();
        }
    }

    /** The copilot over the demo tenant of a seeded data directory, read-only. */
    static DemoCopilot open(Path data) {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant", TENANT));
        TenantStore store = TenantStore.open(data, TenantId.of(TENANT), TenantStore.Mode.READ_ONLY);
        return new DemoCopilot(store,
                Copilots.embedded(new Workspace(config, store), Optional.of(MiniLmEmbedder.shared())));
    }

    Copilot copilot() {
        return copilot;
    }

    @Override
    public void close() {
        store.close();
    }
}
