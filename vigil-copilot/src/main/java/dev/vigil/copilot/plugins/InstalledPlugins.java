package dev.vigil.copilot.plugins;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.OwnerOnlyFiles;
import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginPackage;
import dev.vigil.copilot.plugin.PluginParser;
import dev.vigil.copilot.plugin.PluginRepository;
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
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plugins installed for one tenant in the data directory, {@code DATA/plugins/TENANT/NAME/}: the plugin's files
 * ({@link PluginPackage}) as they came, and {@value #STATE_FILE} with the enabled flag, the tenant's settings and who
 * installed it when. Another tenant's folder is never read, so a plugin installed for one tenant is no skill of
 * another. This is the embedded {@link PluginRepository}; {@code store.state: postgresql} keeps plugins in PostgreSQL.
 *
 * <p>Settings may hold secrets (API keys, passwords): they are stored in the data directory as given (readable only
 * by its owner where the file system allows) and {@link InstalledPlugin#maskedSettings()} hides them for display.
 */
public final class InstalledPlugins implements PluginRepository {
    /** The file of a plugin's folder that holds its state. */
    public static final String STATE_FILE = PluginPackage.STATE_FILE;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final TenantId tenant;

    public InstalledPlugins(Path dataDirectory, TenantId tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.root = dataDirectory.resolve("plugins").resolve(tenant.value());
    }

    @Override
    public TenantId tenant() {
        return tenant;
    }

    /** Where the tenant's plugins are. */
    public Path folder() {
        return root;
    }

    @Override
    public InstalledPlugin install(PluginPackage plugin, Map<String, String> settings, String installedBy) {
        requireNonNull(installedBy, "installedBy is null");
        PluginManifest manifest = plugin.manifest();
        Optional<InstalledPlugin> previous = find(manifest.name());
        Map<String, String> merged = PluginRepository.settings(manifest,
                previous.map(InstalledPlugin::settings).orElse(Map.of()), settings);
        Path target = root.resolve(manifest.name());
        try {
            Path staging = root.resolve("." + manifest.name() + ".installing");
            deleteTree(staging);
            Files.createDirectories(staging);
            for (Map.Entry<String, byte[]> file : plugin.files().entrySet()) {
                Path copy = staging.resolve(file.getKey()).normalize();
                if (!copy.startsWith(staging)) {
                    throw new VigilException(ErrorCode.PLUGIN_INVALID, "plugin " + manifest.name() + " has a file"
                            + " outside its folder: " + file.getKey(), "Keep the plugin's files in its folder.", null);
                }
                Files.createDirectories(copy.getParent());
                Files.write(copy, file.getValue());
            }
            InstalledPlugin installed = new InstalledPlugin(manifest.name(), manifest,
                    previous.map(InstalledPlugin::enabled).orElse(true), merged, Instant.now(), installedBy);
            writeState(staging, installed, plugin.manifestFile());
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
        return PluginParser.read(PluginPackage.manifestIn(fileOrFolder));
    }

    @Override
    public List<InstalledPlugin> list() {
        List<InstalledPlugin> plugins = new ArrayList<>();
        for (String name : names()) {
            plugins.add(read(root.resolve(name)));
        }
        return plugins;
    }

    @Override
    public Optional<InstalledPlugin> find(String name) {
        if (!PluginRepository.isPluginName(name) || !Files.isRegularFile(root.resolve(name).resolve(STATE_FILE))) {
            return Optional.empty();
        }
        return Optional.of(read(root.resolve(name)));
    }

    @Override
    public List<String> names() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(f -> Files.isRegularFile(f.resolve(STATE_FILE)))
                    .map(f -> f.getFileName().toString()).filter(PluginRepository::isPluginName).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    public InstalledPlugin setEnabled(String name, boolean enabled) {
        InstalledPlugin changed = get(name).withEnabled(enabled);
        Path folder = root.resolve(name);
        writeState(folder, changed, manifestFileName(folder));
        return changed;
    }

    @Override
    public InstalledPlugin configure(String name, Map<String, String> settings) {
        InstalledPlugin plugin = get(name);
        InstalledPlugin changed = plugin.withSettings(PluginRepository.settings(plugin.manifest(), plugin.settings(),
                settings));
        Path folder = root.resolve(name);
        writeState(folder, changed, manifestFileName(folder));
        return changed;
    }

    @Override
    public void remove(String name) {
        Path folder = root.resolve(get(name).name());
        try {
            deleteTree(folder);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "removing " + folder + " failed: " + e, e);
        }
    }

    @Override
    public PluginPackage files(String name) {
        Path folder = root.resolve(get(name).name());
        return PluginPackage.readFolder(folder, manifestFileName(folder));
    }

    /**
     * The names of the installed plugins with a digest of each one's {@value #STATE_FILE}, which every install
     * (it records the time), enabling, disabling and change of settings rewrites, and removing deletes.
     */
    @Override
    public String revision() {
        StringBuilder revision = new StringBuilder();
        for (String name : names()) {
            Path state = root.resolve(name).resolve(STATE_FILE);
            try {
                revision.append(name).append('@').append(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(state))))
                        .append('\n');
            } catch (IOException e) {
                revision.append(name).append("@unreadable\n"); // removed while listed: the next mark tells
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
        return revision.toString();
    }

    private InstalledPlugin read(Path folder) {
        try {
            JsonNode state = JSON.readTree(folder.resolve(STATE_FILE).toFile());
            PluginManifest manifest = PluginParser.read(folder.resolve(state.path("manifest").asString("plugin.yaml")));
            Map<String, String> settings = new LinkedHashMap<>();
            state.path("settings").properties().forEach(p -> settings.put(p.getKey(), p.getValue().asString()));
            return new InstalledPlugin(folder.getFileName().toString(), manifest, state.path("enabled").asBoolean(true),
                    settings, Instant.parse(state.path("installedAt").asString(Instant.EPOCH.toString())),
                    state.path("installedBy").asString(""));
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

    private static void writeState(Path folder, InstalledPlugin plugin, String manifestFile) {
        ObjectNode state = JSON.createObjectNode();
        state.put("manifest", manifestFile);
        state.put("enabled", plugin.enabled());
        state.put("installedAt", plugin.installedAt().toString());
        state.put("installedBy", plugin.installedBy());
        ObjectNode settings = state.putObject("settings");
        plugin.settings().forEach(settings::put);
        Path file = folder.resolve(STATE_FILE);
        try {
            OwnerOnlyFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "writing " + file + " failed: " + e, e);
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
