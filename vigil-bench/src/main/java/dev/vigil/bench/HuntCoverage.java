package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.VigilException;
import dev.vigil.query.DefenderViews;
import dev.vigil.query.KqlCompiler;
import dev.vigil.query.KqlParser;
import dev.vigil.query.ParsedQuery;
import dev.vigil.store.HuntRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How much of a public corpus of hunting queries the dialect handles, measured on a real store: the share of queries
 * that parse; of those whose tables Vigil provides (stored tables and Defender views; externaldata is not provided),
 * the share that compile; and of those, the share that run without error. Reads {@code queries_index.jsonl}: one JSON
 * record per line with a {@code queries} array of {@code {kql}} objects.
 */
public final class HuntCoverage {
    /** The figures, and the failures by first line of their message. */
    public record Figures(int queries, int parsed, int provided, int compiled, int ran, Map<String, Integer> parseErrors,
            Map<String, Integer> compileErrors, Map<String, Integer> runErrors) {
        public double parseRate() {
            return queries == 0 ? 0 : 100.0 * parsed / queries;
        }

        public double compileRate() {
            return provided == 0 ? 0 : 100.0 * compiled / provided;
        }

        public double runRate() {
            return compiled == 0 ? 0 : 100.0 * ran / compiled;
        }
    }

    private HuntCoverage() {}

    /** Every query of the index (blank ones skipped). */
    public static List<String> corpus(Path index) {
        requireNonNull(index, "index is null");
        JsonMapper mapper = JsonMapper.builder().build();
        List<String> queries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(index)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = mapper.readTree(line);
                for (JsonNode query : record.path("queries")) {
                    String kql = query.path("kql").asString("");
                    if (!kql.isBlank()) {
                        queries.add(kql);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /** Measures on the runner's store; {@code run} false stops after compiling. */
    public static Figures measure(List<String> queries, HuntRunner runner, boolean run) {
        Set<String> provided = new HashSet<>();
        DefenderViews.builtIn().names().forEach(n -> provided.add(n.toLowerCase(java.util.Locale.ROOT)));
        runner.catalog().tableNames().forEach(n -> provided.add(n.toLowerCase(java.util.Locale.ROOT)));
        int parsed = 0;
        int withTables = 0;
        int compiled = 0;
        int ran = 0;
        Map<String, Integer> parseErrors = new TreeMap<>();
        Map<String, Integer> compileErrors = new TreeMap<>();
        Map<String, Integer> runErrors = new TreeMap<>();
        for (String kql : queries) {
            ParsedQuery query;
            try {
                query = KqlParser.parse(kql);
                parsed++;
            } catch (VigilException e) {
                parseErrors.merge(reason(e), 1, Integer::sum);
                continue;
            }
            Set<String> tables = KqlCompiler.referencedTables(query);
            if (tables.isEmpty() || !tables.stream().allMatch(t -> provided.contains(t.toLowerCase(java.util.Locale.ROOT)))) {
                continue;
            }
            withTables++;
            KqlCompiler.Compiled result;
            try {
                result = runner.compile(kql, Map.of());
                compiled++;
            } catch (VigilException e) {
                compileErrors.merge(reason(e), 1, Integer::sum);
                continue;
            }
            if (!run) {
                continue;
            }
            try {
                runner.execute(result.sql(), new HuntRunner.Limits(1000, Duration.ofSeconds(30)));
                ran++;
            } catch (VigilException e) {
                runErrors.merge(reason(e), 1, Integer::sum);
            }
        }
        return new Figures(queries.size(), parsed, withTables, compiled, ran, parseErrors, compileErrors, runErrors);
    }

    private static String reason(VigilException e) {
        String message = e.getMessage().replaceFirst("^\\d+:\\d+: ", "");
        return message.length() > 140 ? message.substring(0, 140) : message;
    }

    static Map<String, Object> asMap(Figures figures) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queries", figures.queries());
        out.put("parsed", figures.parsed());
        out.put("parse_percent", Math.round(figures.parseRate() * 10) / 10.0);
        out.put("tables_provided", figures.provided());
        out.put("compiled", figures.compiled());
        out.put("compile_percent", Math.round(figures.compileRate() * 10) / 10.0);
        out.put("ran", figures.ran());
        out.put("run_percent", Math.round(figures.runRate() * 10) / 10.0);
        return out;
    }
}
