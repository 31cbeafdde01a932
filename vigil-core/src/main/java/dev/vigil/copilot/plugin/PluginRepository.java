package dev.vigil.copilot.plugin;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant's installed plugins: each plugin's files ({@link PluginPackage}), whether it is enabled, the tenant's
 * settings for it, and who installed it when. An instance is bound to one tenant when it is made and reads and writes
 * that tenant's plugins only, so a plugin installed for one tenant is never a skill of another.
 *
 * <p>Two implementations keep the same contract: the folders of the data directory ({@code DATA/plugins/TENANT/},
 * in {@code vigil-copilot}), and a PostgreSQL database the nodes of a scale-out deployment share (in
 * {@code vigil-store}).
 *
 * <p>Settings may hold secrets (API keys, passwords): the store keeps them as given, and
 * {@link InstalledPlugin#maskedSettings()} hides them for display.
 */
public interface PluginRepository {
    /** Settings Vigil itself reads, whatever the manifest declares. */
    Set<String> VIGIL_SETTINGS = Set.of("TimeoutSeconds");

    /** The tenant whose plugins these are. */
    TenantId tenant();

    /**
     * The tenant's installed plugins by name.
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} when a plugin's files no longer validate
     */
    List<InstalledPlugin> list();

    /** The installed plugin of that name; empty when there is none (or the name cannot be a plugin's). */
    Optional<InstalledPlugin> find(String name);

    /** The names of the installed plugins, in order, without reading their manifests. */
    List<String> names();

    /** The installed plugin, or {@link ErrorCode#PLUGIN_NOT_FOUND} naming the tenant's plugins. */
    default InstalledPlugin get(String name) {
        return find(name).orElseThrow(() -> {
            List<String> names = names();
            return new VigilException(ErrorCode.PLUGIN_NOT_FOUND, "tenant '" + tenant() + "' has no plugin '" + name
                    + "'", "Installed: " + (names.isEmpty() ? "none" : String.join(", ", names)) + ". "
                    + ErrorCode.PLUGIN_NOT_FOUND.fix(), null);
        });
    }

    /**
     * Validates and installs a plugin, enabled. Installing a plugin of the same name again replaces its files and
     * keeps its enabled flag and settings, which the given ones override.
     *
     * @param installedBy who installs it, kept with the plugin
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} for an invalid manifest, an unknown setting or a
     *     required one missing
     */
    InstalledPlugin install(PluginPackage plugin, Map<String, String> settings, String installedBy);

    /**
     * Installs the plugin of a manifest file or a folder holding one, as {@link #install(PluginPackage, Map, String)}.
     *
     * @throws VigilException as {@link PluginPackage#read} and {@link #install(PluginPackage, Map, String)}
     */
    default InstalledPlugin install(Path fileOrFolder, Map<String, String> settings, String installedBy) {
        return install(PluginPackage.read(fileOrFolder), settings, installedBy);
    }

    /** Enables or disables a plugin. @throws VigilException {@link ErrorCode#PLUGIN_NOT_FOUND} */
    InstalledPlugin setEnabled(String name, boolean enabled);

    /**
     * Changes some of an installed plugin's settings (the others keep their values).
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_NOT_FOUND}, {@link ErrorCode#PLUGIN_INVALID} for a setting
     *     the plugin does not declare
     */
    InstalledPlugin configure(String name, Map<String, String> settings);

    /** Removes a plugin with its files and settings. @throws VigilException {@link ErrorCode#PLUGIN_NOT_FOUND} */
    void remove(String name);

    /** The plugin's files as installed. @throws VigilException {@link ErrorCode#PLUGIN_NOT_FOUND} */
    PluginPackage files(String name);

    /**
     * A mark of the state of the tenant's plugins that changes whenever one is installed, enabled, disabled,
     * configured or removed, so that a holder of their skills (the MCP endpoint's tool list) knows when to load them
     * again. Only equality of two marks means anything.
     */
    String revision();

    /**
     * The settings a plugin has after an install or a change: the {@code previous} ones overridden by the
     * {@code given} ones, checked against what the manifest declares.
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} for a setting the manifest does not declare (naming
     *     the nearest it does), or a required one without a value
     */
    static Map<String, String> settings(PluginManifest manifest, Map<String, String> previous,
            Map<String, String> given) {
        Map<String, String> merged = new LinkedHashMap<>(previous);
        merged.putAll(given);
        List<String> declared = manifest.descriptor().settings().stream().map(PluginManifest.Setting::name).toList();
        for (String key : merged.keySet()) {
            if (!declared.contains(key) && !VIGIL_SETTINGS.contains(key)) {
                String nearest = declared.stream().filter(d -> d.equalsIgnoreCase(key)).findFirst()
                        .orElse(declared.isEmpty() ? null : declared.get(0));
                throw new VigilException(ErrorCode.PLUGIN_INVALID, "plugin " + manifest.name() + " has no setting '"
                        + key + "'", declared.isEmpty() ? "The plugin declares no settings: remove --setting " + key
                        + "." : "Its settings are " + String.join(", ", declared) + (nearest == null ? ""
                        : "; did you mean " + nearest + "?"), null);
            }
        }
        for (PluginManifest.Setting setting : manifest.descriptor().settings()) {
            if (setting.required() && setting.defaultValue().isEmpty()
                    && merged.getOrDefault(setting.name(), "").isEmpty()) {
                throw new VigilException(ErrorCode.PLUGIN_INVALID, "plugin " + manifest.name() + " needs its setting "
                        + setting.name() + (setting.description().isEmpty() ? "" : " (" + setting.description() + ")"),
                        "Give it at install: --setting " + setting.name() + "=VALUE", null);
            }
        }
        return merged;
    }

    /** Whether the text can be a plugin's name: lower-case kebab case, as {@link PluginManifest#name()} is. */
    static boolean isPluginName(String name) {
        return name != null && name.matches("[a-z][a-z0-9-]*");
    }
}
