package dev.vigil.cli;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command. Exit codes, stable for scripts:
 * <ul>
 *   <li>0: success</li>
 *   <li>1: internal error (a bug, or the store failed)</li>
 *   <li>2: usage or user error (bad option, bad configuration, bad query)</li>
 *   <li>3: not found (input path, table, tenant without data)</li>
 *   <li>4: forbidden (a write through {@code vigil sql})</li>
 *   <li>5: conflict (another process holds the data directory)</li>
 *   <li>6: a limit was exceeded</li>
 *   <li>7: partial success: some inputs could not be read to the end (what was read is stored), or some rules could
 *       not be imported (the others are stored)</li>
 * </ul>
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Vigil: a self-hosted security copilot over your own security data.",
        subcommands = {DemoCommand.class, IngestCommand.class, ConnectorsCommand.class, TablesCommand.class, SqlCommand.class,
                QuarantineCommand.class, RulesCommand.class, DetectCommand.class, AlertsCommand.class,
                ConfigCommand.class, BenchCommand.class, IntelCommand.class, IncidentsCommand.class,
                HuntCommand.class, LakeCommand.class, InventoryCommand.class, VulnsCommand.class, PostureCommand.class,
                AskCommand.class, ChatCommand.class, ReportCommand.class, SessionsCommand.class, PromptbookCommand.class, PluginsCommand.class,
                ModelCommand.class,
                ServerCommands.Serve.class, UsersCommands.UsersGroup.class, ServerCommands.Tokens.class, ServerCommands.Audit.class,
                McpCommand.class, StreamCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'vigil COMMAND --help' for a command's options.",
                "Exit codes: 0 ok, 1 internal, 2 usage, 3 not found, 4 forbidden, 5 conflict, 6 limit, 7 partial."})
public final class Main {
    static final int EXIT_PARTIAL = 7;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; used by {@link #main} and by tests. */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs the command line with its standard output and error sent to the given writers (null keeps the default)
     * and returns the exit code; lets tests capture what a command prints.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        if (out != null) {
            commandLine.setOut(out);
        }
        if (err != null) {
            commandLine.setErr(err);
        }
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            CommandLine.ParseResult leaf = leaf(parseResult);
            boolean json = leaf != parseResult && leaf.hasMatchedOption("--json");
            return report(exception, cmd.getErr(), json);
        });
        commandLine.setParameterExceptionHandler((exception, args1) -> {
            PrintWriter usageErr = exception.getCommandLine().getErr();
            usageErr.println("vigil: error[usage]: " + exception.getMessage());
            usageErr.println("  fix: run '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for its options.");
            return ErrorCode.USAGE.category().exitCode();
        });
        int exitCode = commandLine.execute(args);
        audit(commandLine, exitCode);
        return exitCode;
    }

    /**
     * Records every command run in the log as an {@code audit} event: who ran what on which tenant, and how it ended.
     * Only commands that got as far as reading the configuration are recorded, since the log lives in the data
     * directory that the configuration names.
     */
    private static void audit(CommandLine commandLine, int exitCode) {
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        if (parsed == null || !Logging.isConfigured()) {
            return;
        }
        CommandLine.ParseResult sub = parsed.subcommand() == null ? null : leaf(parsed);
        // nested commands are recorded by their path below vigil, e.g. "rules import"
        String command = sub == null ? "vigil"
                : sub.commandSpec().qualifiedName(" ").replaceFirst("^vigil ", "");
        String tenant = sub != null && sub.hasMatchedOption("--tenant") ? sub.matchedOptionValue("--tenant", "")
                : command.equals("demo") ? "demo" : "default";
        var event = Logging.logger().atInfo()
                .addKeyValue("audit", true)
                .addKeyValue("command", command)
                .addKeyValue("tenant", tenant)
                .addKeyValue("os_user", System.getProperty("user.name"))
                .addKeyValue("exit_code", exitCode);
        if (sub != null && command.equals("sql") && !sub.matchedPositionals().isEmpty()) {
            Object query = sub.matchedPositionals().get(0).getValue();
            event = event.addKeyValue("query", String.valueOf(query));
        }
        event.log("vigil {} exited with {}", command, exitCode);
    }

    /** The innermost command that was run, e.g. {@code import} of {@code vigil rules import}. */
    private static CommandLine.ParseResult leaf(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        return leaf;
    }

    static int report(Exception exception, PrintWriter err, boolean json) {
        VigilException error = exception instanceof VigilException vigil ? vigil
                : new VigilException(ErrorCode.INTERNAL, String.valueOf(exception), exception);
        Logging.logger().error("{} failed: {}", error.code().id(), error.getMessage(), error.getCause());
        if (json) {
            err.println(Output.json(java.util.Map.of("error", java.util.Map.of("code", error.code().id(),
                    "category", error.code().category().tag(), "message", error.getMessage(), "fix", error.fix()))));
        } else {
            Output.error(err, error.code().id(), error.getMessage(), error.fix());
        }
        err.flush();
        return error.code().category().exitCode();
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (version == null ? "0.1.0-SNAPSHOT" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
