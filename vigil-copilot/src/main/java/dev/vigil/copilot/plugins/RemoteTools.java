package dev.vigil.copilot.plugins;

import dev.vigil.copilot.Skill;
import dev.vigil.copilot.plugin.PluginManifest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The skills of a plugin's {@code Format: MCP} group: an external Model Context Protocol server's tools. The
 * implementation lives in {@code vigil-mcp}, found through {@link java.util.ServiceLoader}, so that this module does not
 * depend on the MCP SDK; without it on the class path, MCP groups load no skills (with a warning in the log).
 */
public interface RemoteTools {
    /**
     * Connects to the group's server (or reuses the connection) and returns a skill per tool it lists.
     *
     * @param settings the tenant's values of the plugin's settings, for {@code {{Setting}}} references
     * @param timeout how long one call may take
     * @throws dev.vigil.model.VigilException when the server cannot be reached or does not answer, saying how to fix it
     */
    List<Skill> skills(PluginManifest plugin, PluginManifest.SkillGroup.Mcp group, Map<String, String> settings,
            String tenant, Duration timeout);
}
