package dev.vigil.copilot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.copilot.understand.KnowledgeNames;
import dev.vigil.ingest.SharedData;
import dev.vigil.model.TenantId;
import dev.vigil.store.Knowledge;
import dev.vigil.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ATT&CK names the prompt reader needs are kept beside the bundle, so a one-shot question need not parse it. */
class AttackNamesCacheTest {
    @TempDir
    Path data;

    @Test
    void theNamesAreKeptBesideTheBundleReadBackEqualAndRefreshedWhenTheBundleChanges() throws Exception {
        Path bundle = Knowledge.attackFile(data);
        Files.createDirectories(bundle.getParent());
        Files.copy(SharedData.require("mitre-attack", "https://github.com/mitre/cti")
                .resolve("enterprise-attack.json"), bundle);
        try (TenantStore store = TenantStore.open(data, TenantId.of("acme"), TenantStore.Mode.READ_WRITE)) {
            Workspace workspace = new Workspace(ConfigLoader.load(null, Map.of(),
                    Map.of("data-dir", data.toString(), "tenant", "acme")), store);
            KnowledgeNames parsed = Copilots.readAttackNames(workspace, bundle);
            Path cache = bundle.resolveSibling("attack-names.json");
            assertThat(cache).exists();
            assertThat(parsed.names(EntityType.ACTOR)).containsEntry("cozy bear", "G0016");

            KnowledgeNames cached = Copilots.readAttackNames(workspace, bundle);
            for (EntityType type : KnowledgeNames.TYPES) {
                assertThat(cached.names(type)).as(type.key()).isEqualTo(parsed.names(type));
            }

            Files.writeString(cache, "{\"ACTOR\":{\"stale name\":\"G9999\"}}");
            Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
            assertThat(Copilots.readAttackNames(workspace, bundle).names(EntityType.ACTOR)).doesNotContainKey("stale name")
                    .containsEntry("cozy bear", "G0016");
        }
    }
}
