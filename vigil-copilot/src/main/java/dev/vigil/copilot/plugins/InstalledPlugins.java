package dev.vigil.copilot.plugins;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.OwnerOnlyFiles;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginParser;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plugins installed for one tenant, in {@code DATA/plugins/TENANT/NAME/}: the manifest and the files it refers to,
 * copied at install, and {@code vigil-settings.json} with the enabled flag and the tenant's settings. Another tenant's
 * folder is never read, so a plugin installed for one tenant is no skill of another.
 *
 * <p>Settings may hold secrets (API keys, passwords): they are stored in the data directory as given (readable only
 * by its owner where the file system allows) and {@link Installed#maskedSettings()} hides them for display.
 */
public final class InstalledPlugins {
    /** The file of a plugin's folder that holds its state. */
    public static final String STATE_FILE = "vigil-settings.json";
    /** Settings Vigil itself reads, whatever the manifest declares. */
    public static final Set<String> VIGIL_SETTINGS = Set.of("TimeoutSeconds");
    private static final String MASK = "********";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)\"?(?:OpenApiSpecUrl|TemplateUrl|TemplateFile)\"?\\s*:\\s*[\"']?([^\"'\\s,}]+)");

    /**
     * A plugin installed for the tenant.
     *
     * @param folder where its files are
     * @param settings the tenant's values, secrets included: never print them, use {@link #maskedSettings()}
     */
    public record Installed(String name, PluginManifest manifest, boolean enabled, Map<String, String> settings,
            Path folder, Instant installedAt) {
        public Installed {
            requireNonNull(name, "name is null");
            requireNonNull(manifest, "manifest is null");
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
            requireNonNull(folder, "folder is null");
            requireNonNull(installedAt, "installedAt is null");
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
            return out;
        }
    }

    private final Path root;
    private final TenantId tenant;

    public InstalledPlugins(Path dataDirectory, TenantId tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.root = dataDirectory.resolve("plugins").resolve(tenant.value());
    }

    /** Where the tenant's plugins are. */
    public Path folder() {
        return root;
    }

    /**
     * Validates and installs a plugin from a manifest file or a folder holding one ({@code plugin.yaml},
     * {@code plugin.yml} or {@code plugin.json}). Installing a plugin of the same name again replaces its files and
     * keeps its enabled flag and settings, which the given ones override.
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} for an invalid manifest, an unknown setting or a
     *     required one missing
     */
    public Installed install(Path fileOrFolder, Map<String, String> settings) {
        Path manifestFile = manifestIn(fileOrFolder);
        PluginManifest manifest = PluginParser.read(manifestFile);
        Optional<Installed> previous = find(manifest.name());
        Map<String, String> merged = new LinkedHashMap<>(previous.map(Installed::settings).orElse(Map.of()));
        merged.putAll(settings);
        checkSettings(manifest, merged);
        Path target = root.resolve(manifest.name());
        try {
            Path staging = root.resolve("." + manifest.name() + ".installing");
            deleteTree(staging);
            Files.createDirectories(staging);
            if (Files.isDirectory(fileOrFolder)) {
                copyTree(fileOrFolder, staging);
            } else {
                Path source = manifestFile.toAbsolutePath().getParent();
                Files.copy(manifestFile, staging.resolve(manifestFile.getFileName()));
                Matcher m = REFERENCE.matcher(Files.readString(manifestFile));
                while (m.find()) {
                    Path referenced = source.resolve(m.group(1).replaceFirst("(?i)^file:", "")).normalize();
                    if (referenced.startsWith(source) && Files.isRegularFile(referenced, LinkOption.NOFOLLOW_LINKS)) {
                        Path copy = staging.resolve(source.relativize(referenced).toString());
                        Files.createDirectories(copy.getParent());
                        Files.copy(referenced, copy, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Installed installed = new Installed(manifest.name(), manifest, previous.map(Installed::enabled).orElse(true),
                    merged, target, Instant.now());
            writeState(staging, installed, manifestFile.getFileName().toString());
            deleteTree(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return installed;
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "installing plugin " + manifest.name() + " into " + target
                    + " failed: " + e, e);
        }
    }

    /** Validates a manifest file or folder without installing it. */
    public static PluginManifest validate(Path fileOrFolder) {
        return PluginParser.read(manifestIn(fileOrFolder));
    }

    /** The tenant's installed plugins by name; a plugin whose files no longer validate throws. */
    public List<Installed> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Installed> plugins = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(f -> Files.isRegularFile(f.resolve(STATE_FILE))).sorted().toList()) {
                plugins.add(read(folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        return plugins;
    }

    public Optional<Installed> find(String name) {
        Path folder = root.resolve(name);
        if (!name.matches("[a-z][a-z0-9-]*") || !Files.isRegularFile(folder.resolve(STATE_FILE))) {
            return Optional.empty();
        }
        return Optional.of(read(folder));
    }

    /** The installed plugin, or {@link ErrorCode#PLUGIN_NOT_FOUND} naming the tenant's plugins. */
    public Installed get(String name) {
        return find(name).orElseThrow(() -> new VigilException(ErrorCode.PLUGIN_NOT_FOUND, "tenant '" + tenant
                + "' has no plugin '" + name + "'", "Installed: " + String.join(", ", names()) + ". "
                + ErrorCode.PLUGIN_NOT_FOUND.fix(), null));
    }

    public Installed setEnabled(String name, boolean enabled) {
        Installed plugin = get(name);
        Installed changed = new Installed(plugin.name(), plugin.manifest(), enabled, plugin.settings(), plugin.folder(),
                plugin.installedAt());
        writeState(plugin.folder(), changed, manifestFileName(plugin.folder()));
        return changed;
    }

    /**
     * Changes some of an installed plugin's settings (the others keep their values).
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} for a setting the plugin does not declare
     */
    public Installed configure(String name, Map<String, String> settings) {
        Installed plugin = get(name);
        Map<String, String> merged = new LinkedHashMap<>(plugin.settings());
        merged.putAll(settings);
        checkSettings(plugin.manifest(), merged);
        Installed changed = new Installed(plugin.name(), plugin.manifest(), plugin.enabled(), merged, plugin.folder(),
                plugin.installedAt());
        writeState(plugin.folder(), changed, manifestFileName(plugin.folder()));
        return changed;
    }

    public void remove(String name) {
        Installed plugin = get(name);
        try {
            deleteTree(plugin.folder());
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "removing " + plugin.folder() + " failed: " + e, e);
        }
    }

    private List<String> names() {
        if (!Files.isDirectory(root)) {
            return List.of("none");
        }
        try (Stream<Path> folders = Files.list(root)) {
            List<String> names = folders.filter(f -> Files.isRegularFile(f.resolve(STATE_FILE)))
                    .map(f -> f.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? List.of("none") : names;
        } catch (IOException e) {
            return List.of();
        }
    }

    private Installed read(Path folder) {
        try {
            JsonNode state = JSON.readTree(folder.resolve(STATE_FILE).toFile());
            PluginManifest manifest = PluginParser.read(folder.resolve(state.path("manifest").asString("plugin.yaml")));
            Map<String, String> settings = new LinkedHashMap<>();
            state.path("settings").properties().forEach(p -> settings.put(p.getKey(), p.getValue().asString()));
            return new Installed(folder.getFileName().toString(), manifest, state.path("enabled").asBoolean(true),
                    settings, folder, Instant.parse(state.path("installedAt").asString(Instant.EPOCH.toString())));
        } catch (RuntimeException e) {
            if (e instanceof VigilException v) {
                throw v;
            }
            throw new VigilException(ErrorCode.PLUGIN_INVALID, folder.resolve(STATE_FILE) + ": cannot be read: "
                    + e.getMessage(), "Install the plugin again with `vigil plugins install`.", e);
        }
    }

    private static String manifestFileName(Path folder) {
        try {
            return JSON.readTree(folder.resolve(STATE_FILE).toFile()).path("manifest").asString("plugin.yaml");
        } catch (RuntimeException e) {
            return "plugin.yaml";
        }
    }

    private static void writeState(Path folder, Installed plugin, String manifestFile) {
        ObjectNode state = JSON.createObjectNode();
        state.put("manifest", manifestFile);
        state.put("enabled", plugin.enabled());
        state.put("installedAt", plugin.installedAt().toString());
        ObjectNode settings = state.putObject("settings");
        plugin.settings().forEach(settings::put);
        Path file = folder.resolve(STATE_FILE);
        try {
            OwnerOnlyFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "writing " + file + " failed: " + e, e);
        }
    }

    private static void checkSettings(PluginManifest manifest, Map<String, String> settings) {
        List<String> declared = manifest.descriptor().settings().stream().map(PluginManifest.Setting::name).toList();
        for (String key : settings.keySet()) {
            if (!declared.contains(key) && !VIGIL_SETTINGS.contains(key)) {
                String nearest = declared.stream().filter(d -> d.equalsIgnoreCase(key)).findFirst()
                        .orElse(declared.isEmpty() ? null : declared.get(0));
                throw new VigilException(ErrorCode.PLUGIN_INVALID, "plugin " + manifest.name() + " has no setting '"
                        + key + "'", declared.isEmpty() ? "The plugin declares no settings: remove --setting " + key + "."
                        : "Its settings are " + String.join(", ", declared) + (nearest == null ? "" : "; did you mean "
                        + nearest + "?"), null);
            }
        }
        for (PluginManifest.Setting setting : manifest.descriptor().settings()) {
            if (setting.required() && setting.defaultValue().isEmpty()
                    && settings.getOrDefault(setting.name(), "").isEmpty()) {
                throw new VigilException(ErrorCode.PLUGIN_INVALID, "plugin " + manifest.name() + " needs its setting "
                        + setting.name() + (setting.description().isEmpty() ? "" : " (" + setting.description() + ")"),
                        "Give it at install: --setting " + setting.name() + "=VALUE", null);
            }
        }
    }

    private static Path manifestIn(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) {
            return fileOrFolder;
        }
        if (Files.isDirectory(fileOrFolder)) {
            for (String name : List.of("plugin.yaml", "plugin.yml", "plugin.json", "manifest.yaml", "manifest.json")) {
                if (Files.isRegularFile(fileOrFolder.resolve(name))) {
                    return fileOrFolder.resolve(name);
                }
            }
            throw new VigilException(ErrorCode.PLUGIN_INVALID, fileOrFolder + ": no plugin.yaml, plugin.yml or"
                    + " plugin.json in the folder", "Name the manifest plugin.yaml, or pass the manifest file itself.",
                    null);
        }
        throw new VigilException(ErrorCode.INPUT_NOT_FOUND, fileOrFolder + ": no such file or folder",
                "Pass a plugin manifest (plugin.yaml or plugin.json) or the folder that holds it.", null);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.toString().isEmpty() || relative.getFileName().toString().equals(STATE_FILE)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
