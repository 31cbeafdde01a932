package dev.vigil.copilot.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.model.TenantId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins in the data directory: the contract, and the folder layout that stays as it was. */
@DisplayName("plugins in the data directory")
class FolderPluginsTest extends PluginRepositoryContract {
    @TempDir
    Path data;

    @Override
    PluginRepository pluginsOf(TenantId tenant) {
        return new InstalledPlugins(data, tenant);
    }

    @Test
    void eachPluginIsAFolderOfItsFilesWithItsStateBeside() throws IOException {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");

        Path folder = data.resolve("plugins").resolve("acme").resolve("device-risk");
        assertThat(folder.resolve("plugin.yaml")).hasSameTextualContentAs(DEVICE_RISK.resolve("plugin.yaml"));
        assertThat(folder.resolve("openapi.yaml")).hasSameTextualContentAs(DEVICE_RISK.resolve("openapi.yaml"));
        assertThat(Files.readString(folder.resolve(InstalledPlugins.STATE_FILE))).contains("\"manifest\" : \"plugin.yaml\"",
                "\"enabled\" : true", "\"installedBy\" : \"olga\"", "\"ApiKey\" : \"k-123\"");
        try (var entries = Files.list(data.resolve("plugins").resolve("acme"))) {
            assertThat(entries).containsExactly(folder);
        }
    }

    @Test
    void aPluginInstalledBeforeVigilRecordedWhoInstalledItReadsAsInstalledByNobodyKnown() throws IOException {
        acme().install(LATERAL_MOVEMENT, Map.of(), "olga");
        Path state = data.resolve("plugins/acme/lateral-movement-hunts").resolve(InstalledPlugins.STATE_FILE);
        Files.writeString(state, Files.readString(state).replaceAll("\\s*\"installedBy\" : \"olga\",", ""));

        assertThat(Files.readString(state)).doesNotContain("installedBy");
        assertThat(acme().get("lateral-movement-hunts").installedBy()).isEmpty();
        assertThat(acme().get("lateral-movement-hunts").enabled()).isTrue();
    }
}
