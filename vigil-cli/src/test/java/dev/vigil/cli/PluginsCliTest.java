package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Specifications of {@code vigil plugins}: install, list, show, enable, disable, remove and validate. */
class PluginsCliTest {
    private static final Path SAMPLES = Path.of("..", "plugins", "samples");

    @TempDir
    Path data;

    @Test
    void aSamplePluginInstallsForTheTenantAndIsListed() {
        Run install = vigil(data, "plugins", "install", SAMPLES.resolve("lateral-movement").toString(),
                "--tenant", "acme");
        Run list = vigil(data, "plugins", "list", "--json", "--tenant", "acme");
        Run other = vigil(data, "plugins", "list", "--json", "--tenant", "globex");

        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(install.out()).isEqualTo("Installed plugin lateral-movement-hunts for tenant acme, enabled: 2 skills"
                + " (lateral-movement-hunts-remote-logons-from-device, lateral-movement-hunts-remote-logons-to-device)."
                + System.lineSeparator());
        JsonNode plugin = list.json().get(0);
        assertThat(plugin.get("name").asString()).isEqualTo("lateral-movement-hunts");
        assertThat(plugin.get("enabled").asBoolean()).isTrue();
        assertThat(plugin.get("formats").get(0).asString()).isEqualTo("KQL");
        assertThat(other.json()).isEmpty();
        assertThat(data.resolve("plugins/acme/lateral-movement-hunts/plugin.yaml")).exists();
    }

    @Test
    void secretSettingsAreStoredButNeverPrinted() {
        Run install = vigil(data, "plugins", "install", SAMPLES.resolve("device-risk").toString(),
                "--setting", "BaseUrl=http://localhost:8089", "--setting", "ApiKey=k-123");
        Run list = vigil(data, "plugins", "list");
        Run show = vigil(data, "plugins", "show", "device-risk");

        assertThat(install.exit()).as(install.toString()).isZero();
        assertThat(list.out()).contains("device-risk").contains("ApiKey=********").contains("BaseUrl=http://localhost:8089")
                .doesNotContain("k-123");
        assertThat(show.out()).contains("setting ApiKey = ********")
                .contains("skill device-risk-get-device-risk [API GET {{BaseUrl}}/devices/{deviceName}/risk]")
                .contains("input device_name (host, path, required): The device's host name").doesNotContain("k-123");
    }

    @Test
    void aRequiredSettingLeftOutIsRefusedWithTheFlagToGiveIt() {
        Run install = vigil(data, "plugins", "install", SAMPLES.resolve("device-risk").toString());

        assertThat(install.exit()).isEqualTo(2);
        assertThat(install.err()).contains("plugin device-risk needs its setting BaseUrl")
                .contains("--setting BaseUrl=VALUE");
    }

    @Test
    void disableEnableAndRemoveChangeTheTenantsPlugins() {
        vigil(data, "plugins", "install", SAMPLES.resolve("logon-stats").toString());

        Run disable = vigil(data, "plugins", "disable", "logon-stats");
        boolean disabled = !vigil(data, "plugins", "list", "--json").json().get(0).get("enabled").asBoolean();
        Run enable = vigil(data, "plugins", "enable", "logon-stats");
        boolean enabled = vigil(data, "plugins", "list", "--json").json().get(0).get("enabled").asBoolean();
        Run remove = vigil(data, "plugins", "remove", "logon-stats");
        Run missing = vigil(data, "plugins", "show", "logon-stats");

        assertThat(disable.out()).contains("Disabled plugin logon-stats for tenant default.");
        assertThat(disabled).isTrue();
        assertThat(enable.exit()).isZero();
        assertThat(enabled).isTrue();
        assertThat(remove.out()).contains("Removed plugin logon-stats");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("tenant 'default' has no plugin 'logon-stats'");
    }

    @Test
    void validateNamesEachProblemAtItsLineAndColumn() throws Exception {
        Path manifest = data.resolve("plugin.yaml");
        Files.writeString(manifest, """
                Descriptor:
                  Name: Broken
                  Description: A broken plugin
                SkillGroups:
                  - Format: GPT
                """);

        Run valid = vigil("plugins", "validate", SAMPLES.resolve("logon-stats").toString());
        Run invalid = vigil("plugins", "validate", manifest.toString());

        assertThat(valid.exit()).as(valid.toString()).isZero();
        assertThat(valid.out()).contains("is a valid plugin: logon-stats with 1 skills (logon-stats-logons-of-account).");
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("plugin_invalid").contains(manifest + ":5:13: SkillGroups[0].Format:"
                + " unknown format 'GPT'");
    }
}
