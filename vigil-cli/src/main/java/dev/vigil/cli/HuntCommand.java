package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.DuckDbDialect;
import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlSyntaxException;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil hunt 'KQL'}: a hunting query in Vigil's KQL dialect, compiled to SQL and run read-only over the
 * tenant's store; {@code --explain} shows the SQL instead, {@code --check FILE...} lints saved queries.
 */
@Command(name = "hunt", mixinStandardHelpOptions = true,
        description = {"Run a hunting query written in KQL over the tenant's data (read-only).",
                "Stored tables and the Defender tables (DeviceProcessEvents, DeviceNetworkEvents, DeviceFileEvents,",
                "DeviceRegistryEvents, DeviceImageLoadEvents, DeviceLogonEvents, DeviceEvents, IdentityLogonEvents,",
                "IdentityDirectoryEvents) can be queried; every answer shows the SQL it ran.",
                "Saved queries (save, saved, run, delete, export, import) keep queries with their parameters;",
                "scheduled queries (schedule, schedules, unschedule, tick, runs) run them as detections that raise alerts."},
        subcommands = {HuntQueryCommands.Save.class, HuntQueryCommands.Saved.class, HuntQueryCommands.Run.class,
                HuntQueryCommands.Delete.class, HuntQueryCommands.Export.class, HuntQueryCommands.Import.class,
                HuntScheduleCommands.Schedule.class, HuntScheduleCommands.Schedules.class,
                HuntScheduleCommands.Unschedule.class, HuntScheduleCommands.Tick.class, HuntScheduleCommands.Runs.class},
        footer = {"", "Examples:",
                "  vigil hunt 'DeviceProcessEvents | where ProcessCommandLine has \"mimikatz\" | take 10'",
                "  vigil hunt --file query.kql --json",
                "  vigil hunt --explain 'SysmonEvent | summarize count() by EventID'",
                "  vigil hunt --check queries/*.kql --json",
                "  vigil hunt save encoded-ps --file encoded-ps.kql --description 'Encoded PowerShell'",
                "  vigil hunt schedule encoded-ps --every 1h --lookback 1h --severity high --group-by DeviceName --suppress 24h",
                "  vigil hunt tick",
                "Exit codes: 0 ok, 2 invalid query (or a --check file failed), 6 a limit was exceeded."})
final class HuntCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY", description = "The KQL query.")
    String query;

    @Option(names = "--file", paramLabel = "FILE", description = "Read the query from a file.")
    Path file;

    @Option(names = "--check", arity = "1..*", paramLabel = "FILE",
            description = "Parse and compile each file's query without running it; report ok or the error and its position.")
    List<Path> check;

    @Option(names = "--explain", description = "Show the SQL the query compiles to, without running it.")
    boolean explain;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A query parameter (repeatable).")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Mixin
    HuntLimitOptions limits;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> values = new LinkedHashMap<>();
        parameters.forEach((name, value) -> values.put(name, parameterValue(value)));
        if (check != null) {
            return check(config, out, values);
        }
        String kql = queryText();
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            if (explain) {
                return explain(out, new KqlCompiler(HuntCatalog.of(List.of()), DuckDbDialect.INSTANCE)
                        .compile(kql, config.tenant().value(), values));
            }
            throw new VigilException(ErrorCode.TABLE_NOT_FOUND, "tenant '" + config.tenant() + "' has no data in "
                    + config.dataDirectory().toAbsolutePath(), "Ingest data first: vigil ingest PATH --tenant "
                    + config.tenant(), null);
        }
        try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_ONLY)) {
            HuntRunner runner = new HuntRunner(store);
            if (explain) {
                return explain(out, runner.compile(kql, values));
            }
            HuntRunner.Result result = runner.run(kql, values, limits.limits());
            print(out, config, result, json, limits.maxRows);
        }
        return 0;
    }

    private static Object parameterValue(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private String queryText() {
        if (query != null && file != null) {
            throw new VigilException(ErrorCode.USAGE, "pass the query or --file, not both");
        }
        if (file != null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (query == null || query.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "no query given",
                    "Pass a query, e.g. vigil hunt 'DeviceProcessEvents | take 10', or --file FILE.", null);
        }
        return query;
    }

    private int explain(PrintWriter out, KqlCompiler.Compiled compiled) {
        return explain(out, compiled, json);
    }

    /** Prints the SQL a query compiles to, or JSON with its columns, tables and chart. */
    static int explain(PrintWriter out, KqlCompiler.Compiled compiled, boolean json) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("kql", compiled.kql());
            body.put("sql", compiled.sql());
            body.put("columns", compiled.columns().stream().map(c -> Map.of("name", c.name(), "type", c.type().kqlName())).toList());
            body.put("tables", compiled.tables());
            body.put("chart", compiled.chart());
            out.println(Output.json(body));
        } else {
            out.println(compiled.sql());
        }
        return 0;
    }

    /** Prints a query's rows: a table for people, or JSON with the KQL, the SQL and the column types. */
    static void print(PrintWriter out, VigilConfig config, HuntRunner.Result result, boolean json, int maxRows) {
        QueryResult rows = result.rows();
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenant", config.tenant().value());
            body.put("kql", result.compiled().kql());
            body.put("sql", result.compiled().sql());
            body.put("columns", rows.columns());
            body.put("types", result.compiled().columns().stream().map(c -> c.type().kqlName()).toList());
            body.put("rows", rows.rows());
            body.put("truncated", rows.truncated());
            body.put("chart", result.compiled().chart());
            body.put("milliseconds", Math.round(rows.milliseconds() * 10) / 10.0);
            out.println(Output.json(body));
            return;
        }
        out.print(Output.table(rows.columns(), rows.rows()));
        out.println("(" + rows.rows().size() + (rows.truncated() ? "+ rows, cut at --max-rows " + maxRows : " rows")
                + ", " + Math.round(rows.milliseconds()) + " ms, tenant '" + config.tenant() + "'"
                + (result.compiled().chart() == null ? "" : ", chart: " + result.compiled().chart()) + ")");
        out.println("(vigil hunt --explain shows the SQL it ran; --json includes it)");
    }

    private int check(VigilConfig config, PrintWriter out, Map<String, Object> values) {
        List<Map<String, Object>> reports = new ArrayList<>();
        TenantStore store = TenantStore.exists(config.dataDirectory(), config.tenant())
                ? TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_ONLY) : null;
        int failed = 0;
        try {
            KqlCompiler compiler = new KqlCompiler(store == null ? HuntCatalog.of(List.of()) : new HuntRunner(store).catalog(),
                    DuckDbDialect.INSTANCE);
            for (Path path : check) {
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("file", path.toString());
                try {
                    compiler.compile(Files.readString(path, StandardCharsets.UTF_8), config.tenant().value(), values);
                    report.put("ok", true);
                } catch (IOException e) {
                    failed++;
                    report.put("ok", false);
                    report.put("error", "cannot read the file: " + e.getMessage());
                } catch (KqlSyntaxException e) {
                    failed++;
                    report.put("ok", false);
                    report.put("line", e.line());
                    report.put("column", e.column());
                    report.put("error", e.detail());
                } catch (VigilException e) {
                    failed++;
                    report.put("ok", false);
                    report.put("error", e.getMessage());
                }
                reports.add(report);
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
        if (json) {
            out.println(Output.json(Map.of("files", reports, "failed", failed)));
        } else {
            for (Map<String, Object> report : reports) {
                out.println(Boolean.TRUE.equals(report.get("ok")) ? report.get("file") + ": ok"
                        : report.get("file") + (report.containsKey("line") ? ":" + report.get("line") + ":" + report.get("column") : "")
                                + ": error: " + report.get("error"));
            }
        }
        return failed == 0 ? 0 : ErrorCode.QUERY_INVALID.category().exitCode();
    }
}
