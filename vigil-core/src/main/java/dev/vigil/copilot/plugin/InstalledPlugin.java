package dev.vigil.copilot.plugin;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plugin installed for a tenant, as a {@link PluginRepository} holds it.
 *
 * @param name the plugin's name ({@link PluginManifest#name()})
 * @param settings the tenant's values in the order given, secrets included: never print them, use
 *     {@link #maskedSettings()}
 * @param installedAt when it was last installed (installing again renews it; enabling and configuring do not)
 * @param installedBy who last installed it (a user, or the operating-system user of {@code vigil plugins install});
 *     empty when not known (plugins installed before Vigil recorded it)
 */
public record InstalledPlugin(String name, PluginManifest manifest, boolean enabled, Map<String, String> settings,
        Instant installedAt, String installedBy) {
    private static final String MASK = "********";

    public InstalledPlugin {
        requireNonNull(name, "name is null");
        requireNonNull(manifest, "manifest is null");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        requireNonNull(installedAt, "installedAt is null");
        requireNonNull(installedBy, "installedBy is null");
    }

    /** The same plugin, enabled or disabled. */
    public InstalledPlugin withEnabled(boolean enabled) {
        return new InstalledPlugin(name, manifest, enabled, settings, installedAt, installedBy);
    }

    /** The same plugin with these settings. */
    public InstalledPlugin withSettings(Map<String, String> settings) {
        return new InstalledPlugin(name, manifest, enabled, settings, installedAt, installedBy);
    }

    /** The settings with the values of secret ones replaced by {@code ********}. */
    public Map<String, String> maskedSettings() {
        Map<String, String> masked = new LinkedHashMap<>();
        settings.forEach((k, v) -> masked.put(k, manifest.isSecret(k) && !v.isEmpty() ? MASK : v));
        return masked;
    }

    /** The formats of the plugin's skill groups: KQL, SQL, API, MCP. */
    public List<String> formats() {
        return manifest.groups().stream().map(g -> switch (g) {
            case SkillGroup.Kql kql -> "KQL";
            case SkillGroup.Sql sql -> "SQL";
            case SkillGroup.Api api -> "API";
            case SkillGroup.Mcp mcp -> "MCP";
        }).distinct().toList();
    }

    /** What {@code vigil plugins list --json} and the REST API show of the plugin: secrets masked. */
    public Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("displayName", manifest.descriptor().displayName());
        out.put("description", manifest.descriptor().description());
        out.put("enabled", enabled);
        out.put("formats", formats());
        out.put("skills", manifest.skillNames());
        out.put("settings", maskedSettings());
        out.put("installedAt", installedAt.toString());
        out.put("installedBy", installedBy);
        return out;
    }
}
