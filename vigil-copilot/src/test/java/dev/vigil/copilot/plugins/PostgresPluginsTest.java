package dev.vigil.copilot.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.model.TenantId;
import dev.vigil.store.PostgresState;
import dev.vigil.store.PostgresTesting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins in PostgreSQL: the contract, and what sharing one database between nodes adds. */
@DisplayName("plugins in PostgreSQL")
class PostgresPluginsTest extends PluginRepositoryContract {
    PostgresTesting.TestDatabase test;
    PostgresState database;

    @BeforeEach
    void open() {
        test = PostgresTesting.freshState();
        database = test.state();
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Override
    PluginRepository pluginsOf(TenantId tenant) {
        return database.plugins(tenant);
    }

    @Test
    void aPluginInstalledThroughOneNodeIsSeenAndChangedThroughAnother() {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        try (PostgresState otherNode = test.anotherNode()) {
            PluginRepository there = otherNode.plugins(ACME);
            assertThat(there.get("device-risk").settings()).containsExactlyEntriesOf(RISK_SETTINGS);
            assertThat(there.files("device-risk")).isEqualTo(acme().files("device-risk"));
            assertThat(there.revision()).isEqualTo(acme().revision());

            there.setEnabled("device-risk", false);

            assertThat(acme().get("device-risk").enabled()).isFalse();
            assertThat(otherNode.plugins(GLOBEX).list()).isEmpty();
        }
    }

    @Test
    void twoNodesConfiguringOnePluginAtOnceKeepEveryChange() throws Exception {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        try (PostgresState otherNode = test.anotherNode();
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<PluginRepository> nodes = List.of(database.plugins(ACME), otherNode.plugins(ACME));
            List<Callable<Object>> changes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                PluginRepository node = nodes.get(i % 2);
                Map<String, String> change = i % 2 == 0 ? Map.of("BaseUrl", "http://risk:" + i)
                        : Map.of("ApiKey", "k-" + i);
                changes.add(() -> node.configure("device-risk", change));
            }
            for (Future<Object> done : threads.invokeAll(changes)) {
                done.get();
            }
        }
        Map<String, String> settings = acme().get("device-risk").settings();
        assertThat(settings).containsOnlyKeys("BaseUrl", "ApiKey");
        assertThat(settings.get("BaseUrl")).matches("http://risk:\\d+");
        assertThat(settings.get("ApiKey")).matches("k-\\d+");
    }

    @Test
    void theTablesHoldEachPluginOnceUnderItsTenantAndRemovingTakesItsRows() {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        pluginsOf(GLOBEX).install(DEVICE_RISK, ordered("BaseUrl", "http://globex:1", "ApiKey", "g-1"), "gary");

        assertThat(rows("SELECT tenant || '/' || name FROM vigil_plugins ORDER BY 1"))
                .containsExactly("acme/device-risk", "globex/device-risk");
        assertThat(rows("SELECT path FROM vigil_plugin_files WHERE tenant = 'acme' ORDER BY 1"))
                .containsExactly("README.md", "openapi.yaml", "plugin.yaml");
        acme().remove("device-risk");
        assertThat(rows("SELECT DISTINCT tenant FROM vigil_plugin_files UNION SELECT DISTINCT tenant FROM"
                + " vigil_plugin_settings")).containsExactly("globex");
    }

    @Test
    void aStoredManifestThatNoLongerValidatesNamesThePluginAndHowToFixIt() {
        acme().install(DEVICE_RISK, RISK_SETTINGS, "olga");
        database.transaction("breaking the stored specification", connection -> {
            try (var statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM vigil_plugin_files WHERE path = 'openapi.yaml'");
            }
            return null;
        });

        assertThatThrownBy(() -> acme().get("device-risk"))
                .isInstanceOfSatisfying(dev.vigil.model.VigilException.class, e -> assertThat(e.fix())
                        .isEqualTo("Install plugin device-risk again with `vigil plugins install`, or remove it."))
                .hasMessageContaining("postgresql:acme/device-risk/plugin.yaml:")
                .hasMessageContaining("'openapi.yaml' was not installed with the plugin");
        acme().remove("device-risk");
        assertThat(acme().names()).isEmpty();
    }

    @Test
    void theCopilotOfAStoreToldToKeepPluginsInPostgresqlLoadsTheirSkillsFromThere(@TempDir Path data) {
        acme().install(LATERAL_MOVEMENT, Map.of(), "olga");
        try (PluginTenant tenant = PluginTenant.empty(data, "acme")) {
            assertThat(PluginSkills.load(tenant.workspace)).isEmpty();
            assertThatThrownBy(() -> tenant.store.keepPluginsIn(database.plugins(GLOBEX)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the plugins of tenant 'globex' cannot be those of tenant 'acme'");

            tenant.store.keepPluginsIn(database.plugins(ACME));

            assertThat(PluginSkills.load(tenant.workspace)).extracting(skill -> skill.spec().name())
                    .containsExactly("lateral-movement-hunts-remote-logons-from-device",
                            "lateral-movement-hunts-remote-logons-to-device");
            acme().setEnabled("lateral-movement-hunts", false);
            assertThat(PluginSkills.load(tenant.workspace)).isEmpty();
            assertThat(data.resolve("plugins")).doesNotExist();
        }
    }

    @Test
    void aCommandsCopilotUnderStorePostgresqlReadsThePluginsFromThereOverItsOwnConnection(@TempDir Path data) {
        acme().install(LATERAL_MOVEMENT, Map.of(), "olga");
        try (PluginTenant embedded = PluginTenant.empty(data.resolve("embedded"), "acme")) {
            assertThat(PluginSkills.load(embedded.workspace)).isEmpty();
        }
        try (PluginTenant tenant = PluginTenant.empty(data.resolve("shared"), "acme", Map.of("store.state",
                "postgresql", "store.postgresql.url", test.url()))) {
            assertThat(PluginSkills.load(tenant.workspace)).extracting(skill -> skill.spec().name())
                    .containsExactly("lateral-movement-hunts-remote-logons-from-device",
                            "lateral-movement-hunts-remote-logons-to-device");
            assertThat(tenant.store.sharedPlugins()).isEmpty();
        }
        try (PluginTenant globex = PluginTenant.empty(data.resolve("globex"), "globex", Map.of("store.state",
                "postgresql", "store.postgresql.url", test.url()))) {
            assertThat(PluginSkills.load(globex.workspace)).isEmpty();
        }
    }

    private List<String> rows(String sql) {
        return database.read("reading", connection -> {
            List<String> values = new ArrayList<>();
            try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        });
    }
}
