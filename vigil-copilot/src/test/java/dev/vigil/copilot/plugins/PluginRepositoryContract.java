package dev.vigil.copilot.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginPackage;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of {@link PluginRepository}, run against each store that keeps plugins (the data directory,
 * PostgreSQL): installing with the files a manifest brings, installing again, enabling, settings, removal, the marks
 * of change, and tenant isolation.
 */
abstract class PluginRepositoryContract {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    static final Path SAMPLES = Path.of("..", "plugins", "samples");
    static final Path DEVICE_RISK = SAMPLES.resolve("device-risk");
    static final Path LATERAL_MOVEMENT = SAMPLES.resolve("lateral-movement");
    static final Map<String, String> RISK_SETTINGS = ordered("BaseUrl", "http://localhost:8089", "ApiKey", "k-123");

    @TempDir
    Path sources;

    /** The plugins of the tenant in the store under test: a new instance each call, as each request makes one. */
    abstract PluginRepository pluginsOf(TenantId tenant);

    PluginRepository acme() {
        return pluginsOf(ACME);
    }

    @Test
    void anInstalledPluginIsEnabledWithItsFilesSettingsAndWhoInstalledItWhen() {
        Instant before = Instant.now();
        InstalledPlugin installed = acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");

        InstalledPlugin read = acme().get("device-risk");
        assertThat(read.name()).isEqualTo(installed.name()).isEqualTo("device-risk");
        assertThat(read.enabled()).isTrue();
        assertThat(read.settings()).containsExactlyEntriesOf(RISK_SETTINGS);
        assertThat(read.installedBy()).isEqualTo("olga");
        assertThat(read.installedAt()).isEqualTo(installed.installedAt()).isBetween(before.minusMillis(1),
                Instant.now());
        assertThat(read.manifest().skillNames()).isEqualTo(installed.manifest().skillNames())
                .containsExactly("device-risk-get-device-risk", "device-risk-list-risky-devices");
        assertThat(read.formats()).containsExactly("API");

        PluginPackage files = acme().files("device-risk");
        assertThat(files.files()).containsOnlyKeys("README.md", "openapi.yaml", "plugin.yaml");
        assertThat(files.manifestFile()).isEqualTo("plugin.yaml");
        assertThat(files.text("openapi.yaml")).contains(read("openapi.yaml"));
    }

    @Test
    void secretSettingsAreMaskedInTheSummaryButKeptForTheSkills() {
        InstalledPlugin installed = acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");

        assertThat(acme().get(installed.name()).summary())
                .containsEntry("settings", ordered("BaseUrl", "http://localhost:8089", "ApiKey", "********"))
                .containsEntry("installedBy", "olga").containsEntry("enabled", true);
        assertThat(acme().get(installed.name()).settings()).containsEntry("ApiKey", "k-123");
    }

    @Test
    void aManifestFileBringsOnlyTheFilesItRefersTo() throws IOException {
        Path folder = Files.createDirectories(sources.resolve("risk"));
        Files.copy(DEVICE_RISK.resolve("plugin.yaml"), folder.resolve("plugin.yaml"));
        Files.copy(DEVICE_RISK.resolve("openapi.yaml"), folder.resolve("openapi.yaml"));
        Files.writeString(folder.resolve("notes.txt"), "not part of the plugin");

        acme().install(folder.resolve("plugin.yaml"), RISK_SETTINGS, "olga");

        assertThat(acme().files("device-risk").files()).containsOnlyKeys("openapi.yaml", "plugin.yaml");
    }

    @Test
    void installingAgainReplacesTheFilesAndKeepsTheEnabledFlagAndSettingsWhichTheGivenOnesOverride()
            throws IOException {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        acme().setEnabled("device-risk", false);
        Path folder = Files.createDirectories(sources.resolve("risk-2"));
        Files.writeString(folder.resolve("plugin.yaml"), read("plugin.yaml").replace("openapi.yaml", "spec/risk.yaml"));
        Files.createDirectories(folder.resolve("spec"));
        Files.writeString(folder.resolve("spec/risk.yaml"), read("openapi.yaml"));

        InstalledPlugin again = acme().install(folder, Map.of("ApiKey", "k-456"), "sam");

        InstalledPlugin read = acme().get("device-risk");
        assertThat(read.enabled()).isFalse();
        assertThat(again.enabled()).isFalse();
        assertThat(read.settings()).containsExactlyEntriesOf(ordered("BaseUrl", "http://localhost:8089", "ApiKey",
                "k-456"));
        assertThat(read.installedBy()).isEqualTo("sam");
        assertThat(acme().files("device-risk").files()).containsOnlyKeys("plugin.yaml", "spec/risk.yaml");
        assertThat(acme().names()).containsExactly("device-risk");
    }

    @Test
    void enablingAndConfiguringLastAndChangeOnlyWhatTheyName() {
        InstalledPlugin installed = acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");

        assertThat(acme().setEnabled("device-risk", false).enabled()).isFalse();
        assertThat(acme().get("device-risk").enabled()).isFalse();
        InstalledPlugin configured = acme().configure("device-risk", Map.of("BaseUrl", "http://risk:9000",
                "TimeoutSeconds", "5"));

        InstalledPlugin read = acme().get("device-risk");
        assertThat(read.settings()).isEqualTo(configured.settings()).containsExactlyEntriesOf(ordered(
                "BaseUrl", "http://risk:9000", "ApiKey", "k-123", "TimeoutSeconds", "5"));
        assertThat(read.enabled()).isFalse();
        assertThat(read.installedAt()).isEqualTo(installed.installedAt());
        assertThat(read.installedBy()).isEqualTo("olga");
        assertThat(acme().setEnabled("device-risk", true).enabled()).isTrue();
        assertThat(acme().get("device-risk").enabled()).isTrue();
    }

    @Test
    void settingsTheManifestDoesNotDeclareAndMissingRequiredOnesAreRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> acme().install(DEVICE_RISK, Map.of("BaseUrl", "http://localhost:8089"), "olga"))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_INVALID);
                    assertThat(e.fix()).isEqualTo("Give it at install: --setting ApiKey=VALUE");
                })
                .hasMessage("plugin device-risk needs its setting ApiKey (The key the service issued to Vigil)");
        assertThat(acme().names()).isEmpty();

        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        assertThatThrownBy(() -> acme().configure("device-risk", Map.of("apikey", "x")))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.fix())
                        .isEqualTo("Its settings are BaseUrl, ApiKey; did you mean ApiKey?"))
                .hasMessage("plugin device-risk has no setting 'apikey'");
        assertThat(acme().get("device-risk").settings()).containsExactlyEntriesOf(RISK_SETTINGS);
    }

    @Test
    void anInvalidManifestIsRefusedNamingWhereAndNothingIsStored() throws IOException {
        Path folder = Files.createDirectories(sources.resolve("broken"));
        Files.writeString(folder.resolve("plugin.yaml"), read("plugin.yaml").replace("openapi.yaml", "missing.yaml"));

        assertThatThrownBy(() -> acme().install(folder, RISK_SETTINGS, "olga"))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.PLUGIN_INVALID))
                .hasMessageContaining(folder.resolve("plugin.yaml").toString())
                .hasMessageContaining("SkillGroups[0].Settings.OpenApiSpecUrl");
        assertThat(acme().names()).isEmpty();
    }

    @Test
    void removingAPluginTakesItsFilesAndSettingsAndAnUnknownNameIsNotFoundNamingTheInstalledOnes() {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        acme().install(LATERAL_MOVEMENT, Map.of(), "olga");
        assertThat(acme().names()).containsExactly("device-risk", "lateral-movement-hunts");
        assertThat(acme().list()).extracting(InstalledPlugin::name).containsExactly("device-risk",
                "lateral-movement-hunts");

        acme().remove("device-risk");

        assertThat(acme().find("device-risk")).isEmpty();
        assertThat(acme().names()).containsExactly("lateral-movement-hunts");
        for (Runnable call : java.util.List.<Runnable>of(() -> acme().get("device-risk"),
                () -> acme().remove("device-risk"), () -> acme().setEnabled("device-risk", true),
                () -> acme().configure("device-risk", Map.of()), () -> acme().files("device-risk"))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(VigilException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_NOT_FOUND);
                assertThat(e.fix()).startsWith("Installed: lateral-movement-hunts. ");
            }).hasMessage("tenant 'acme' has no plugin 'device-risk'");
        }
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        assertThat(acme().get("device-risk").settings()).containsExactlyEntriesOf(RISK_SETTINGS);
    }

    @Test
    void namesThatCannotBeAPluginsAreNotFound() {
        acme().install(LATERAL_MOVEMENT, Map.of(), "olga");
        assertThat(acme().find("../globex/lateral-movement-hunts")).isEmpty();
        assertThat(acme().find("Lateral-Movement-Hunts")).isEmpty();
        assertThatThrownBy(() -> acme().remove("../acme/lateral-movement-hunts"))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.PLUGIN_NOT_FOUND));
        assertThat(acme().names()).containsExactly("lateral-movement-hunts");
    }

    @Test
    void everyChangeChangesTheRevisionAndReadingDoesNot() {
        PluginRepository acme = acme();
        String empty = acme.revision();
        acme.install(DEVICE_RISK, RISK_SETTINGS, "olga");
        String installed = acme.revision();
        acme.list();
        acme.get("device-risk");
        assertThat(acme.revision()).isEqualTo(installed).isNotEqualTo(empty);

        java.util.List<String> seen = new java.util.ArrayList<>(java.util.List.of(empty, installed));
        for (Runnable change : java.util.List.<Runnable>of(() -> acme.setEnabled("device-risk", false),
                () -> acme.configure("device-risk", Map.of("TimeoutSeconds", "9")),
                () -> acme.install(DEVICE_RISK, Map.of(), "olga"), () -> acme.remove("device-risk"),
                () -> acme.install(DEVICE_RISK, RISK_SETTINGS, "olga"))) {
            change.run();
            assertThat(acme.revision()).isNotIn(seen.subList(1, seen.size()));
            seen.add(acme.revision());
        }
    }

    @Test
    void aTenantNeverSeesOrChangesAnotherTenantsPlugins() {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        String acmeRevision = acme().revision();
        PluginRepository globex = pluginsOf(GLOBEX);

        assertThat(globex.tenant()).isEqualTo(GLOBEX);
        assertThat(globex.list()).isEmpty();
        assertThat(globex.names()).isEmpty();
        assertThat(globex.find("device-risk")).isEmpty();
        assertThatThrownBy(() -> globex.setEnabled("device-risk", false)).isInstanceOfSatisfying(
                VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN_NOT_FOUND))
                .hasMessage("tenant 'globex' has no plugin 'device-risk'");
        assertThatThrownBy(() -> globex.remove("device-risk")).isInstanceOf(VigilException.class);
        assertThatThrownBy(() -> globex.files("device-risk")).isInstanceOf(VigilException.class);

        globex.install(DEVICE_RISK, ordered("BaseUrl", "http://globex:1", "ApiKey", "g-1"), "gary");
        globex.setEnabled("device-risk", false);
        globex.remove("device-risk");

        InstalledPlugin acmes = acme().get("device-risk");
        assertThat(acmes.settings()).containsExactlyEntriesOf(RISK_SETTINGS);
        assertThat(acmes.enabled()).isTrue();
        assertThat(acmes.installedBy()).isEqualTo("olga");
        assertThat(acme().revision()).isEqualTo(acmeRevision);
    }

    static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    static String read(String file) {
        try {
            return Files.readString(DEVICE_RISK.resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
