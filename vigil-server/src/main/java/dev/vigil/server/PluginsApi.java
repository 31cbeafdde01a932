package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The tenant's plugins as its owner manages them from the web UI's settings: list, install from a manifest, enable,
 * disable, change settings and remove; the same as {@code vigil plugins} and through the same {@link PluginRepository}
 * (the data directory's, or PostgreSQL's with {@code store.state: postgresql}). Secret settings go in and come out
 * masked. A plugin installed here records the requesting user as who installed it.
 *
 * <p>A plugin that starts a program on the server (an MCP server over stdio) is refused here: running a command on
 * the server is the operator's decision, made with {@code vigil plugins install} on the server itself. Every other
 * format (KQL, SQL, API, MCP over HTTP) only reads the tenant's data or calls out with the tenant's settings.
 */
final class PluginsApi {
    static final String PLUGINS = Api.TENANT + "/plugins";
    /** Longest manifest accepted over the API. */
    static final int MAX_MANIFEST_CHARS = 256 * 1024;

    private final Function<TenantId, PluginRepository> plugins;

    /** @param plugins a tenant's installed plugins */
    PluginsApi(Function<TenantId, PluginRepository> plugins) {
        this.plugins = requireNonNull(plugins, "plugins is null");
    }

    List<Route> routes() {
        Map<String, Object> install = new LinkedHashMap<>();
        install.put("manifest", """
                Descriptor:
                  Name: FailedLogons
                  Description: Failed logons of an account
                SkillGroups:
                  - Format: KQL
                    Skills:
                      - Name: FailedLogonsOfAccount
                        Description: Lists the failed logons of an account, newest first
                        Inputs:
                          - Name: Account
                            Description: The account name
                            Required: true
                        Settings:
                          Target: Defender
                          Template: |-
                            SecurityEvent | where EventID == 4625 and TargetUserName =~ '{{Account}}' | take 100
                """);
        install.put("settings", Map.of());
        return List.of(
                new Route("GET", PLUGINS, Role.OWNER, "The tenant's plugins: formats, skills, whether enabled, and"
                        + " settings (secrets masked)", null, this::list),
                new Route("POST", PLUGINS, Role.OWNER, "Install a plugin from its manifest (YAML or JSON text, the"
                        + " shape of Security Copilot's custom plugins), enabled; installing a name again replaces it"
                        + " and keeps its settings. MCP servers over stdio are installed on the server with `vigil"
                        + " plugins install`", install, this::install),
                new Route("PATCH", PLUGINS + "/{name}", Role.OWNER, "Enable or disable a plugin, or change some of its"
                        + " settings", Map.of("enabled", false), this::change),
                new Route("DELETE", PLUGINS + "/{name}", Role.OWNER, "Remove a plugin and its files", null,
                        this::remove));
    }

    private PluginRepository plugins(Call call) {
        return plugins.apply(call.tenant());
    }

    private Object list(Call call) {
        return Map.of("tenant", call.tenant().value(), "plugins", plugins(call).list().stream()
                .map(InstalledPlugin::summary).toList());
    }

    private Object install(Call call) {
        Map<String, Object> body = call.body(Set.of("manifest", "settings"));
        if (!(body.get("manifest") instanceof String manifest) || manifest.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "installing a plugin needs its 'manifest': the text of"
                    + " plugin.yaml or plugin.json", "Send {\"manifest\": \"Descriptor: ...\", \"settings\":"
                    + " {\"ApiKey\": \"...\"}}; plugins/samples/ has manifests to start from", null);
        }
        if (manifest.length() > MAX_MANIFEST_CHARS) {
            throw new VigilException(ErrorCode.PLUGIN_INVALID, "the manifest has " + manifest.length()
                    + " characters; the API takes at most " + MAX_MANIFEST_CHARS, "Install a plugin this large on"
                    + " the server with `vigil plugins install FOLDER`", null);
        }
        Map<String, String> settings = settings(body.get("settings"));
        Path staging = null;
        try {
            staging = Files.createTempDirectory("vigil-plugin-");
            // JSON is YAML too, but the parser names JSON errors better when it knows
            Path file = staging.resolve(manifest.stripLeading().startsWith("{") ? "plugin.json" : "plugin.yaml");
            Files.writeString(file, manifest, StandardCharsets.UTF_8);
            PluginManifest parsed = InstalledPlugins.validate(file);
            call.audit("plugin", parsed.name());
            for (SkillGroup group : parsed.groups()) {
                if (group instanceof SkillGroup.Mcp mcp && !mcp.command().isEmpty()) {
                    throw new VigilException(ErrorCode.PERMISSION_DENIED, "plugin '" + parsed.name() + "' starts a"
                            + " program on the server (an MCP server over stdio: " + String.join(" ", mcp.command())
                            + "), which the web API does not install", "Have the server's operator run `vigil"
                            + " plugins install FOLDER --tenant " + call.tenant() + "` on the server, or give the"
                            + " MCP server an HTTP URL", null);
                }
            }
            InstalledPlugin installed = plugins(call).install(file, settings, call.principal().name());
            return new Route.Reply(201, installed.summary());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the uploaded manifest", e);
        } finally {
            if (staging != null) {
                try {
                    InstalledPlugins.deleteTree(staging);
                } catch (IOException e) {
                    // a temporary folder left behind is harmless
                }
            }
        }
    }

    private Object change(Call call) {
        String name = call.path("name");
        call.audit("plugin", name);
        Map<String, Object> body = call.body(Set.of("enabled", "settings"));
        if (body.isEmpty()) {
            throw new VigilException(ErrorCode.USAGE, "nothing to change", "Send {\"enabled\": false} or"
                    + " {\"settings\": {\"BaseUrl\": \"...\"}}", null);
        }
        PluginRepository plugins = plugins(call);
        InstalledPlugin plugin = plugins.get(name);
        if (body.containsKey("settings")) {
            plugin = plugins.configure(name, settings(body.get("settings")));
            call.audit("settings", String.join(",", settings(body.get("settings")).keySet()));
        }
        if (body.containsKey("enabled")) {
            if (!(body.get("enabled") instanceof Boolean enabled)) {
                throw new VigilException(ErrorCode.USAGE, "'enabled' must be true or false, not "
                        + body.get("enabled"));
            }
            plugin = plugins.setEnabled(name, enabled);
            call.audit("enabled", enabled.toString());
        }
        return plugin.summary();
    }

    private Object remove(Call call) {
        String name = call.path("name");
        call.audit("plugin", name);
        plugins(call).remove(name);
        return Map.of("tenant", call.tenant().value(), "plugin", name, "removed", true);
    }

    private static Map<String, String> settings(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new VigilException(ErrorCode.USAGE, "'settings' must be an object of names and text values",
                    "Send {\"settings\": {\"BaseUrl\": \"http://localhost:8089\"}}", null);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new VigilException(ErrorCode.USAGE, "setting '" + entry.getKey() + "' must be text, not "
                        + entry.getValue(), "Quote the value: {\"" + entry.getKey() + "\": \"...\"}", null);
            }
            settings.put(String.valueOf(entry.getKey()), text);
        }
        return settings;
    }
}
