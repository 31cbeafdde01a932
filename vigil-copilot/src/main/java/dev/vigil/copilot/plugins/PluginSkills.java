package dev.vigil.copilot.plugins;

import dev.vigil.copilot.Skill;
import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The skills of the plugins enabled for a workspace's tenant, from wherever its plugins are kept. */
public final class PluginSkills {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSkills.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private PluginSkills() {}

    /**
     * The skills of the tenant's enabled plugins, in plugin and manifest order. A plugin whose files no longer
     * validate is left out with a warning in the log, so that one broken plugin does not stop the copilot.
     */
    public static List<Skill> load(Workspace workspace) {
        List<Skill> skills = new ArrayList<>();
        List<InstalledPlugin> plugins;
        try {
            plugins = workspace.installedPlugins();
        } catch (VigilException | java.io.UncheckedIOException e) {
            LOG.atWarn().addKeyValue("tenant", workspace.store().tenant().value()).log("plugins left out: {}",
                    e.getMessage());
            return skills;
        }
        Supplier<HuntRunner> runner = memoized(() -> new HuntRunner(workspace.store()));
        for (InstalledPlugin plugin : plugins) {
            if (plugin.enabled()) {
                skills.addAll(skills(plugin, workspace, runner));
            }
        }
        return skills;
    }

    static List<Skill> skills(InstalledPlugin installed, Workspace workspace, Supplier<HuntRunner> runner) {
        PluginManifest plugin = installed.manifest();
        Duration timeout = ApiSkill.DEFAULT_TIMEOUT;
        String seconds = installed.settings().get("TimeoutSeconds");
        if (seconds != null && seconds.matches("\\d{1,4}")) {
            timeout = Duration.ofSeconds(Math.max(1, Integer.parseInt(seconds)));
        }
        List<Skill> skills = new ArrayList<>();
        for (SkillGroup group : plugin.groups()) {
            switch (group) {
                case SkillGroup.Kql kql -> kql.skills().forEach(s -> skills.add(new KqlTemplateSkill(plugin, s, runner)));
                case SkillGroup.Sql sql -> sql.skills().forEach(s -> skills.add(new SqlTemplateSkill(plugin, s,
                        workspace.store())));
                case SkillGroup.Api api -> {
                    for (PluginManifest.ApiOperation operation : api.operations()) {
                        skills.add(new ApiSkill(plugin, api.baseUrl(), operation, installed.settings(),
                                workspace.store().tenant().value(), HTTP, timeout));
                    }
                }
                case SkillGroup.Mcp mcp -> skills.addAll(mcpSkills(plugin, mcp, installed.settings(),
                        workspace.store().tenant().value(), timeout));
            }
        }
        return skills;
    }

    /** An MCP group's skills; an unreachable server leaves them out with a warning, as a broken plugin is. */
    private static List<Skill> mcpSkills(PluginManifest plugin, SkillGroup.Mcp group, java.util.Map<String, String>
            settings, String tenant, Duration timeout) {
        java.util.Optional<RemoteTools> remote = java.util.ServiceLoader.load(RemoteTools.class,
                PluginSkills.class.getClassLoader()).findFirst();
        if (remote.isEmpty()) {
            LOG.atWarn().addKeyValue("tenant", tenant).log("the MCP tools of plugin {} are left out: the vigil-mcp"
                    + " module is not on the class path", plugin.name());
            return List.of();
        }
        try {
            return remote.get().skills(plugin, group, settings, tenant, timeout);
        } catch (VigilException e) {
            LOG.atWarn().addKeyValue("tenant", tenant).log("the MCP tools of plugin {} are left out: {} ({})",
                    plugin.name(), e.getMessage(), e.fix());
            return List.of();
        }
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
