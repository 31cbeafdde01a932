package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.plugin.InstalledPlugin;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.ApiOperation;
import dev.vigil.copilot.plugin.PluginManifest.SkillGroup;
import dev.vigil.copilot.plugin.PluginManifest.TemplateSkill;
import dev.vigil.copilot.plugin.PluginRepository;
import dev.vigil.copilot.plugins.InstalledPlugins;
import dev.vigil.server.ServerState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil plugins ...}: the copilot's plugins of a tenant, from manifests in Security Copilot's shape. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"Plugins add copilot skills from manifests in Security Copilot's shape (Descriptor,"
                + " SkillGroups): KQL and SQL templates run over the tenant's store, and API operations from an"
                + " OpenAPI 3.0 specification, and the tools of an external MCP server (Format MCP: Url or Command)."
                + " Each tenant installs, enables and configures its own."},
        subcommands = {PluginsCommand.Install.class, PluginsCommand.ListPlugins.class, PluginsCommand.Show.class,
                PluginsCommand.Enable.class, PluginsCommand.Disable.class, PluginsCommand.Remove.class,
                PluginsCommand.Validate.class})
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /**
     * Runs {@code work} on the tenant's installed plugins where {@code store.state} keeps them: the data directory,
     * or the PostgreSQL database the server's nodes share.
     */
    static <T> T withPlugins(VigilConfig config, Function<PluginRepository, T> work) {
        return ServerState.with(config, state -> work.apply(state.plugins(config.tenant())));
    }

    /** Who installs a plugin from the command line: $VIGIL_USER, else the operating-system user. */
    static String installer() {
        String name = System.getenv("VIGIL_USER");
        return name == null || name.isBlank() ? System.getProperty("user.name", "local") : name.strip();
    }

    /** The plugin as JSON and listings show it: secrets masked. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Validate a plugin and install it for the tenant, enabled: a manifest file (with the files it"
                    + " refers to beside it) or the folder that holds plugin.yaml or plugin.json.",
                    "Installing a plugin again replaces its files and keeps its settings, which --setting overrides."},
            footer = {"", "Examples:", "  vigil plugins install plugins/samples/lateral-movement",
                    "  vigil plugins install plugins/samples/device-risk --setting BaseUrl=http://localhost:8089"
                            + " --setting ApiKey=..."})
    static final class Install implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE_OR_DIR")
        Path source;

        @Option(names = "--setting", paramLabel = "NAME=VALUE",
                description = "A value of one of the plugin's settings, e.g. its API key (repeatable).")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--json", description = "Print the installed plugin as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            InstalledPlugin plugin = withPlugins(config, plugins -> plugins.install(source, settings, installer()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(plugin.summary()));
            } else {
                out.println("Installed plugin " + plugin.name() + " for tenant " + config.tenant() + ", "
                        + (plugin.enabled() ? "enabled" : "disabled") + ": " + plugin.manifest().skillNames().size()
                        + " skills (" + String.join(", ", plugin.manifest().skillNames()) + ").");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tenant's plugins; secrets are masked.")
    static final class ListPlugins implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            List<InstalledPlugin> plugins = withPlugins(common.load(), PluginRepository::list);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(plugins.stream().map(InstalledPlugin::summary).toList()));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (InstalledPlugin p : plugins) {
                List<String> settings = new ArrayList<>();
                p.maskedSettings().forEach((k, v) -> settings.add(k + "=" + v));
                rows.add(List.of(p.name(), p.enabled() ? "yes" : "no", String.join(",", p.formats()),
                        p.manifest().skillNames().size(), String.join(" ", settings)));
            }
            out.print(Output.table(List.of("NAME", "ENABLED", "FORMAT", "SKILLS", "SETTINGS"), rows));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A plugin's description, settings (secrets masked) and skills with their inputs.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            InstalledPlugin plugin = withPlugins(common.load(), plugins -> plugins.get(name));
            PluginManifest manifest = plugin.manifest();
            PrintWriter out = spec.commandLine().getOut();
            out.println(plugin.name() + " (" + manifest.descriptor().displayName() + "), "
                    + (plugin.enabled() ? "enabled" : "disabled") + ": " + manifest.descriptor().description());
            plugin.maskedSettings().forEach((k, v) -> out.println("  setting " + k + " = " + v));
            for (SkillGroup group : manifest.groups()) {
                switch (group) {
                    case SkillGroup.Kql kql -> kql.skills().forEach(s -> template(out, "KQL", s));
                    case SkillGroup.Sql sql -> sql.skills().forEach(s -> template(out, "SQL", s));
                    case SkillGroup.Api api -> api.operations().forEach(o -> operation(out, api.baseUrl(), o));
                    case SkillGroup.Mcp mcp -> out.printf(java.util.Locale.ROOT, "  MCP server %s%s: its tools are"
                            + " listed when the copilot starts%n", mcp.url().isEmpty() ? String.join(" ", mcp.command())
                            : mcp.url(), mcp.tools().isEmpty() ? "" : " (tools " + String.join(", ", mcp.tools()) + ")");
                }
            }
            return 0;
        }

        private static void template(PrintWriter out, String format, TemplateSkill skill) {
            out.println("  skill " + skill.skillName() + " [" + format + "]: " + skill.description());
            skill.inputs().forEach(i -> out.println("    input " + i.inputName() + " (" + i.type().key()
                    + (i.required() && i.defaultValue().isEmpty() ? ", required" : "")
                    + i.defaultValue().map(d -> ", default " + d).orElse("") + "): " + i.description()));
        }

        private static void operation(PrintWriter out, String base, ApiOperation operation) {
            out.println("  skill " + operation.skillName() + " [API " + operation.method() + " " + base
                    + operation.path() + "]: " + operation.summary());
            operation.parameters().forEach(p -> out.println("    input " + p.inputName() + " (" + p.type().key()
                    + ", " + p.location().name().toLowerCase(java.util.Locale.ROOT) + (p.required() ? ", required" : "")
                    + ")" + (p.description().isEmpty() ? "" : ": " + p.description())));
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let the copilot use a plugin's skills.")
    static final class Enable implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            withPlugins(config, plugins -> plugins.setEnabled(name, true));
            spec.commandLine().getOut().println("Enabled plugin " + name + " for tenant " + config.tenant() + ".");
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Keep a plugin installed, with its settings, but out of the copilot's skills.")
    static final class Disable implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            withPlugins(config, plugins -> plugins.setEnabled(name, false));
            spec.commandLine().getOut().println("Disabled plugin " + name + " for tenant " + config.tenant() + ".");
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a plugin, its files and settings.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            withPlugins(config, plugins -> {
                plugins.remove(name);
                return null;
            });
            spec.commandLine().getOut().println("Removed plugin " + name + " from tenant " + config.tenant() + ".");
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a plugin manifest (file or folder) without installing it.",
                    "Each problem is named at its file:line:column with the field and how to fix it (exit code 2)."})
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path source;

        @Override
        public Integer call() {
            PluginManifest manifest = InstalledPlugins.validate(source);
            spec.commandLine().getOut().println(source + " is a valid plugin: " + manifest.name() + " with "
                    + manifest.skillNames().size() + " skills (" + String.join(", ", manifest.skillNames()) + ").");
            return 0;
        }
    }
}
