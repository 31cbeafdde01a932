package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.SharedStateConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PostureReport;
import dev.vigil.store.Knowledge;
import dev.vigil.store.PostgresState;
import dev.vigil.store.TenantStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the built-in skills read: one tenant's open store, the configuration, and the knowledge files of the data
 * directory (ATT&CK, vulnerabilities), each read once per process and again only when an import changes it.
 *
 * <p>A workspace belongs to one tenant: the store it holds is that tenant's database, so no skill can read another
 * tenant's data. It is confined to one thread, like the store's connection.
 */
public final class Workspace {
    private final VigilConfig config;
    private final TenantStore store;
    private PostureReport posture;
    private Instant postureAt;

    public Workspace(VigilConfig config, TenantStore store) {
        this.config = requireNonNull(config, "config is null");
        this.store = requireNonNull(store, "store is null");
    }

    public VigilConfig config() {
        return config;
    }

    public TenantStore store() {
        return store;
    }

    /**
     * The tenant's installed plugins, read now: from the shared store its store was told to keep them in (the server
     * does so for every store it opens under {@code store.state: postgresql}); else, under
     * {@code store.state: postgresql}, from that database over a connection opened for this read (a command's
     * copilot); else from the data directory's {@code plugins/TENANT/}.
     *
     * @throws dev.vigil.model.VigilException {@code PLUGIN_INVALID} when a plugin's files no longer validate,
     *     {@code STORE_FAILED} when PostgreSQL cannot be read
     */
    public List<InstalledPlugin> installedPlugins() {
        Optional<PluginRepository> shared = store.sharedPlugins();
        if (shared.isPresent()) {
            return shared.get().list();
        }
        if (config.sharedState().kind() == SharedStateConfig.Kind.POSTGRESQL) {
            try (PostgresState database = PostgresState.open(config.sharedState(), System.getenv())) {
                return database.plugins(store.tenant()).list();
            }
        }
        return new InstalledPlugins(config.dataDirectory(), store.tenant()).list();
    }

    /** MITRE ATT&CK, when it has been imported ({@code vigil knowledge import-attack}). */
    public Optional<AttackKnowledge> attack() {
        return Knowledge.attackIfPresent(config.dataDirectory());
    }

    /** The vulnerability knowledge (CVE, KEV, EPSS) imported with {@code vigil vulns import}; empty when none is. */
    public Knowledge.Vulnerabilities vulnerabilities() {
        return Knowledge.vulnerabilities(config.dataDirectory());
    }


    /**
     * The tenant's posture analysed at {@code now} from the stored inventory: computed once per workspace, since
     * several skills of one plan read it.
     */
    public PostureReport posture(Instant now) {
        if (posture == null || !now.equals(postureAt)) {
            Knowledge.Vulnerabilities vulns = vulnerabilities();
            posture = new PostureAnalyzer(vulns.knowledge(), vulns.matcher(), attack().orElse(null),
                    config.posturePolicy()).analyze(store.posture().inventory(), now);
            postureAt = now;
        }
        return posture;
    }
}
