package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.hunt.HuntSchedule;
import dev.vigil.hunt.ParameterValues;
import dev.vigil.hunt.SavedQuery;
import dev.vigil.hunt.ScheduledDetection;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlSyntaxException;
import dev.vigil.query.QueryParameter;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code vigil hunt save|saved|run|delete|export|import}: the tenant's saved hunting queries. */
final class HuntQueryCommands {
    /** The header line that marks a {@code .kql} file as an exported saved query. */
    static final String KQL_HEADER = "// vigil saved query";
    private static final Pattern HEADER_LINE = Pattern.compile("//\\s*(name|description|tags)\\s*:\\s*(.*)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HuntQueryCommands() {}

    // --- shared -----------------------------------------------------------------------------------------------

    /**
     * Compiles a query as it will be saved: required parameters get a placeholder of their type, so that what is
     * checked is the query, not the values.
     *
     * @throws KqlSyntaxException with the error's line and column
     */
    static KqlCompiler.Compiled validate(HuntRunner runner, String kql) {
        Map<String, Object> placeholders = new LinkedHashMap<>();
        for (QueryParameter parameter : KqlCompiler.declaredParameters(kql)) {
            if (parameter.required()) {
                placeholders.put(parameter.name(), switch (parameter.type()) {
                    case STRING, DYNAMIC -> "";
                    case LONG -> 0L;
                    case REAL -> 0.0;
                    case BOOL -> false;
                    case DATETIME -> Instant.EPOCH;
                    case TIMESPAN -> Duration.ZERO;
                });
            }
        }
        return runner.compile(kql, placeholders);
    }

    /** The saved query of that name, or {@code QUERY_NOT_FOUND}. */
    static SavedQuery find(TenantStore store, String name) {
        SavedQuery.checkName(name);
        return store.hunts().query(name).orElseThrow(() -> notFound(store.tenant().value(), name));
    }

    static VigilException notFound(String tenant, String name) {
        return new VigilException(ErrorCode.QUERY_NOT_FOUND, "tenant '" + tenant + "' has no saved query '" + name + "'");
    }

    /** Stores a query after compiling it; a scheduled query must still be able to raise alerts. */
    static SavedQuery store(TenantStore store, HuntRunner runner, String name, String description, List<String> tags,
            String kql, Principal principal, Instant now) {
        SavedQuery.checkName(name);
        KqlCompiler.Compiled compiled = validate(runner, kql);
        Optional<HuntSchedule> schedule = store.hunts().schedule(name);
        if (schedule.isPresent()) {
            ScheduledDetection.checkColumns(name, compiled.columns().stream().map(KqlCompiler.OutputColumn::name)
                    .toList(), schedule.get().groupBy());
        }
        return store.hunts().put(new SavedQuery(name, description, kql, KqlCompiler.declaredParameters(kql), tags,
                principal.name(), now, principal.name(), now));
    }

    static TenantStore openForWriting(VigilConfig config) {
        return TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_WRITE);
    }

    /** A query with its header comment, as {@code export --format kql} writes it and {@code import} reads it. */
    static String kqlFile(SavedQuery query) {
        StringBuilder text = new StringBuilder(KQL_HEADER + "; import with: vigil hunt import FILE\n");
        text.append("// name: ").append(query.name()).append('\n');
        if (!query.description().isEmpty()) {
            text.append("// description: ").append(query.description().replace('\n', ' ')).append('\n');
        }
        if (!query.tags().isEmpty()) {
            text.append("// tags: ").append(String.join(", ", query.tags())).append('\n');
        }
        return text.append(query.kql().endsWith("\n") ? query.kql() : query.kql() + "\n").toString();
    }

    /** A query read from a file: its header's name (else the file's name), description and tags, and the KQL. */
    record QueryFile(String name, String description, List<String> tags, String kql) {}

    static QueryFile readKqlFile(Path path, String text) {
        String name = path.getFileName().toString().replaceFirst("\\.kql$", "");
        String description = "";
        List<String> tags = new ArrayList<>();
        List<String> lines = new ArrayList<>(text.lines().toList());
        // header lines are blanked, not removed, so that errors keep the file's own line numbers
        for (int i = 0; i < lines.size() && lines.get(i).startsWith("//"); i++) {
            Matcher header = HEADER_LINE.matcher(lines.get(i).strip());
            if (header.matches()) {
                switch (header.group(1)) {
                    case "name" -> name = header.group(2).strip();
                    case "description" -> description = header.group(2).strip();
                    default -> {
                        for (String tag : header.group(2).split(",")) {
                            if (!tag.isBlank()) {
                                tags.add(tag.strip());
                            }
                        }
                    }
                }
                lines.set(i, "");
            } else if (lines.get(i).startsWith(KQL_HEADER)) {
                lines.set(i, "");
            }
        }
        return new QueryFile(name, description, tags, String.join("\n", lines) + "\n");
    }

    static Map<String, Object> json(SavedQuery query, HuntSchedule schedule) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", query.name());
        body.put("description", query.description());
        body.put("kql", query.kql());
        body.put("parameters", query.parameters().stream().map(p -> {
            Map<String, Object> parameter = new LinkedHashMap<>();
            parameter.put("name", p.name());
            parameter.put("type", p.typeName());
            parameter.put("default", p.defaultValue());
            parameter.put("required", p.required());
            return parameter;
        }).toList());
        body.put("tags", query.tags());
        body.put("created_by", query.createdBy());
        body.put("created_at", query.createdAt().toString());
        body.put("updated_by", query.updatedBy());
        body.put("updated_at", query.updatedAt().toString());
        body.put("schedule", schedule == null ? null : HuntScheduleCommands.json(schedule, null, null));
        return body;
    }

    static String text(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    // --- commands ---------------------------------------------------------------------------------------------

    /** {@code vigil hunt save NAME 'QUERY' | --file F}. */
    @Command(name = "save", mixinStandardHelpOptions = true,
            description = {"Save a query under a name, after checking that it compiles; saving under an existing name"
                    + " replaces its text (its creator and schedule stay).",
                    "Parameters it declares with 'declare query_parameters(name:type = default)' are passed to"
                            + " 'vigil hunt run' with --param; one without a default is required."},
            footer = {"", "Examples:",
                    "  vigil hunt save encoded-ps --file encoded-ps.kql --description 'Encoded PowerShell' --tag attack.t1059.001",
                    "  vigil hunt save logons-of 'declare query_parameters(user:string); DeviceLogonEvents | where AccountName =~ user'",
                    "Exit codes: 0 saved, 2 the query does not compile (the error names line:column) or the name is invalid."})
    static final class Save implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The query's name: letters, digits, '_', '.', '-'.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "QUERY", description = "The KQL query.")
        String query;

        @Option(names = "--file", paramLabel = "FILE", description = "Read the query from a file.")
        Path file;

        @Option(names = "--description", paramLabel = "TEXT", description = "What the query finds; alerts of a"
                + " scheduled query take it as their title unless the schedule names one.")
        String description;

        @Option(names = "--tag", paramLabel = "TAG", description = "A tag (repeatable), e.g. attack.t1059.")
        List<String> tags = new ArrayList<>();

        @Option(names = "--json", description = "Print the saved query as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Principal principal = actor.principal();
            principal.require(Role.ANALYST, "save queries");
            SavedQuery.checkName(name);
            if ((query == null) == (file == null)) {
                throw new VigilException(ErrorCode.USAGE, query == null ? "no query given" : "pass the query or --file, not both",
                        "Pass the query after the name, or --file FILE.", null);
            }
            String kql = file != null ? text(file) : query;
            PrintWriter out = spec.commandLine().getOut();
            try (TenantStore store = openForWriting(config)) {
                boolean existed = store.hunts().query(name).isPresent();
                SavedQuery saved = store(store, new HuntRunner(store), name, description, tags, kql, principal,
                        Instant.now());
                store.commit();
                if (json) {
                    out.println(Output.json(HuntQueryCommands.json(saved, store.hunts().schedule(name).orElse(null))));
                } else {
                    out.println((existed ? "Updated" : "Saved") + " query '" + name + "'"
                            + (saved.parameters().isEmpty() ? "" : " with parameters " + saved.signature())
                            + " in tenant '" + config.tenant() + "'. Run it with: vigil hunt run " + name
                            + saved.parameters().stream().filter(QueryParameter::required)
                                    .map(p -> " --param " + p.name() + "=VALUE").reduce("", String::concat));
                }
            }
            return 0;
        }
    }

    /** {@code vigil hunt saved}. */
    @Command(name = "saved", mixinStandardHelpOptions = true,
            description = "List the tenant's saved queries with their parameters and schedules.")
    static final class Saved implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print the queries as JSON, their text included.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Map<String, HuntSchedule> schedules = new LinkedHashMap<>();
            List<SavedQuery> queries = CommonOptions.readIfPresent(config, store -> {
                store.hunts().schedules().forEach(s -> schedules.put(s.name(), s));
                return store.hunts().queries();
            }, List.of());
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("tenant", config.tenant().value());
                body.put("queries", queries.stream().map(q -> HuntQueryCommands.json(q, schedules.get(q.name()))).toList());
                out.println(Output.json(body));
                return 0;
            }
            if (queries.isEmpty()) {
                out.println("Tenant '" + config.tenant() + "' has no saved query. Save one with: vigil hunt save NAME --file FILE");
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (SavedQuery query : queries) {
                HuntSchedule schedule = schedules.get(query.name());
                rows.add(List.of(query.name(), query.signature(), schedule == null ? "" : "every "
                        + HuntSchedule.format(schedule.every()), query.description(), query.updatedBy(),
                        query.updatedAt().toString().substring(0, 16).replace('T', ' '), String.join(",", query.tags())));
            }
            out.print(Output.table(List.of("name", "parameters", "schedule", "description", "updated by", "updated",
                    "tags"), rows));
            out.println("(" + Incidents.plural(queries.size(), "saved query").replace("querys", "queries")
                    + "; run one with: vigil hunt run NAME)");
            return 0;
        }
    }

    /** {@code vigil hunt run NAME}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a saved query, with values for its parameters.",
            footer = {"", "Examples:", "  vigil hunt run logons-of --param user=alice",
                    "  vigil hunt run encoded-ps --json --max-rows 100",
                    "Exit codes: 0 ok, 2 a parameter is missing or of the wrong type, 3 no such query, 6 a limit was exceeded."})
    static final class Run implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The saved query.")
        String name;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A parameter's value (repeatable).")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(names = "--explain", description = "Show the SQL the query compiles to, without running it.")
        boolean explain;

        @Mixin
        HuntLimitOptions limits;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            SavedQuery.checkName(name);
            try (TenantStore store = CommonOptions.open(config, TenantStore.Mode.READ_ONLY,
                    () -> notFound(config.tenant().value(), name))) {
                SavedQuery query = find(store, name);
                Map<String, Object> values = ParameterValues.bind(name, query.parameters(), parameters);
                HuntRunner runner = new HuntRunner(store);
                if (explain) {
                    return HuntCommand.explain(out, runner.compile(query.kql(), values), json);
                }
                HuntRunner.Result result = runner.run(query.kql(), values, limits.limits());
                HuntCommand.print(out, config, result, json, limits.maxRows);
            }
            return 0;
        }
    }

    /** {@code vigil hunt delete NAME}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a saved query, and its schedule if it has one (the history of its runs stays).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The saved query.")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            actor.principal().require(Role.ANALYST, "delete saved queries");
            SavedQuery.checkName(name);
            try (TenantStore store = CommonOptions.open(config, TenantStore.Mode.READ_WRITE,
                    () -> notFound(config.tenant().value(), name))) {
                boolean scheduled = store.hunts().schedule(name).isPresent();
                if (!store.hunts().delete(name)) {
                    throw notFound(config.tenant().value(), name);
                }
                store.commit();
                spec.commandLine().getOut().println("Deleted query '" + name + "'" + (scheduled ? " and its schedule" : "")
                        + " from tenant '" + config.tenant() + "'.");
            }
            return 0;
        }
    }

    /** {@code vigil hunt export}. */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Export saved queries: as one JSON document (with their schedules), or as .kql files whose"
                    + " header comment names the query.",
                    "Without --output, JSON goes to standard output, as does a single query in .kql form."},
            footer = {"", "Examples:", "  vigil hunt export > hunts.json", "  vigil hunt export --format kql --output ./hunts",
                    "  vigil hunt export encoded-ps --format kql"})
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "NAME", description = "The queries to export (default: all).")
        List<String> names = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json or kql (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--output", paramLabel = "PATH", description = "The JSON file, or the folder for .kql files.")
        Path output;

        @Override
        public Integer call() throws IOException {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            if (!format.equals("json") && !format.equals("kql")) {
                throw new VigilException(ErrorCode.USAGE, "unknown export format '" + format + "'", "Pass --format json or --format kql.", null);
            }
            List<SavedQuery> queries = new ArrayList<>();
            Map<String, HuntSchedule> schedules = new LinkedHashMap<>();
            if (TenantStore.exists(config.dataDirectory(), config.tenant())) {
                try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(), TenantStore.Mode.READ_ONLY)) {
                    if (names.isEmpty()) {
                        queries.addAll(store.hunts().queries());
                    } else {
                        for (String name : names) {
                            queries.add(find(store, name));
                        }
                    }
                    store.hunts().schedules().forEach(s -> schedules.put(s.name(), s));
                }
            } else if (!names.isEmpty()) {
                throw notFound(config.tenant().value(), names.get(0));
            }
            if (format.equals("json")) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("vigil_saved_queries", 1);
                body.put("queries", queries.stream().map(q -> HuntQueryCommands.json(q, schedules.get(q.name()))).toList());
                String text = Output.json(body);
                if (output == null) {
                    out.println(text);
                } else {
                    Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
                    out.println("Exported " + queries.size() + " queries to " + output);
                }
                return 0;
            }
            if (output == null) {
                if (queries.size() != 1) {
                    throw new VigilException(ErrorCode.USAGE, "--format kql writes one file per query: " + queries.size()
                            + " queries need --output FOLDER", "Pass --output FOLDER, or name one query.", null);
                }
                out.print(kqlFile(queries.get(0)));
                return 0;
            }
            Files.createDirectories(output);
            for (SavedQuery query : queries) {
                Files.writeString(output.resolve(query.name() + ".kql"), kqlFile(query), StandardCharsets.UTF_8);
            }
            out.println("Exported " + queries.size() + " queries to " + output + " as NAME.kql");
            return 0;
        }
    }

    /** {@code vigil hunt import FILE...}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import saved queries from .kql files (the header comment, if any, names the query; else"
                    + " the file name does) or from a JSON export (schedules included).",
                    "Each query is compiled first; one that does not compile is reported with its file, line and"
                            + " column, and the others are stored."},
            footer = {"", "Examples:", "  vigil hunt import ./hunts/*.kql", "  vigil hunt import hunts.json",
                    "Exit codes: 0 all imported, 7 some could not be imported (the others are stored)."})
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = ".kql or .json files.")
        List<Path> files;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Principal principal = actor.principal();
            principal.require(Role.ANALYST, "import saved queries");
            PrintWriter out = spec.commandLine().getOut();
            List<Map<String, Object>> reports = new ArrayList<>();
            int failed = 0;
            Instant now = Instant.now();
            try (TenantStore store = openForWriting(config)) {
                HuntRunner runner = new HuntRunner(store);
                for (Path path : files) {
                    String text = text(path);
                    List<Entry> entries = new ArrayList<>();
                    try {
                        if (path.getFileName().toString().endsWith(".json")) {
                            for (JsonNode node : JSON.readTree(text).path("queries")) {
                                List<String> tags = new ArrayList<>();
                                node.path("tags").forEach(t -> tags.add(t.asString()));
                                entries.add(new Entry(new QueryFile(node.path("name").asString(),
                                        node.path("description").asString(""), tags, node.path("kql").asString()),
                                        node.path("schedule")));
                            }
                        } else {
                            entries.add(new Entry(readKqlFile(path, text), null));
                        }
                    } catch (RuntimeException e) {
                        failed++;
                        reports.add(report(path, null, false, "cannot read it: " + e.getMessage(), 0, 0));
                        continue;
                    }
                    for (Entry entry : entries) {
                        try {
                            store(store, runner, entry.file().name(), entry.file().description(), entry.file().tags(),
                                    entry.file().kql(), principal, now);
                            if (entry.schedule() != null && entry.schedule().isObject()) {
                                store.hunts().putSchedule(HuntScheduleCommands.fromJson(entry.file().name(),
                                        entry.schedule(), principal, now));
                            }
                            store.commit();
                            reports.add(report(path, entry.file().name(), true, null, 0, 0));
                        } catch (KqlSyntaxException e) {
                            failed++;
                            reports.add(report(path, entry.file().name(), false, e.detail(), e.line(), e.column()));
                        } catch (VigilException e) {
                            failed++;
                            reports.add(report(path, entry.file().name(), false, e.getMessage(), 0, 0));
                        }
                    }
                }
            }
            if (json) {
                out.println(Output.json(Map.of("imported", reports.size() - failed, "failed", failed, "files", reports)));
            } else {
                for (Map<String, Object> report : reports) {
                    String where = report.get("file") + (report.get("line") != null ? ":" + report.get("line") + ":"
                            + report.get("column") : "");
                    out.println(Boolean.TRUE.equals(report.get("ok")) ? where + ": imported '" + report.get("name") + "'"
                            : where + ": error: " + report.get("error"));
                }
                out.println("Imported " + (reports.size() - failed) + " of " + reports.size() + " queries into tenant '"
                        + config.tenant() + "'.");
            }
            return failed == 0 ? 0 : Main.EXIT_PARTIAL;
        }

        private record Entry(QueryFile file, JsonNode schedule) {}

        private static Map<String, Object> report(Path path, String name, boolean ok, String error, int line, int column) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("file", path.toString());
            report.put("name", name);
            report.put("ok", ok);
            if (line > 0) {
                report.put("line", line);
                report.put("column", column);
            }
            if (error != null) {
                report.put("error", error);
            }
            return report;
        }
    }
}
