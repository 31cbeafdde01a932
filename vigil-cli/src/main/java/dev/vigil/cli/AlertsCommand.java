package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.Alert;
import dev.vigil.store.AlertJson;
import dev.vigil.store.AlertQuery;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil alerts}: the alerts the tenant's rules raised, newest first. */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = {"List the alerts the tenant's rules raised, newest first, with the ids of the events behind"
                + " them (query those with 'vigil sql').",
                "Rules raise alerts on ingest and with 'vigil detect'."},
        footer = {"", "Examples:", "  vigil alerts --since 24h --level high",
                "  vigil alerts --rule 5f1d0b3e-7a7c-4b61-9d8c-2c3b4d5e6f70 --json"})
final class AlertsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--rule", paramLabel = "REF", description = "Only alerts of this rule (repeatable).")
    List<String> rules = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only alerts at or after this time: 30d, 24h, 15m back from now, or an ISO date or time"
                    + " (UTC unless it names an offset).")
    String since;

    @Option(names = "--level", paramLabel = "LEVEL", converter = LevelConverter.class,
            description = "Only alerts of this level or higher: informational, low, medium, high, critical.")
    String level;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Most alerts to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the alerts as a JSON array, one object per alert.")
    boolean json;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        long sinceMicros = since == null ? Long.MIN_VALUE : TimeArguments.micros("--since", since, Clock.systemUTC());
        AlertQuery query = new AlertQuery(rules, sinceMicros, level, Math.max(1, limit));
        record Page(List<Alert> alerts, long total) {}
        Page page = CommonOptions.readIncidentsIfPresent(config, store -> new Page(store.alerts(query),
                store.alertCount()), new Page(List.of(), 0));
        List<Alert> alerts = page.alerts();
        long total = page.total();
        if (json) {
            out.println(Output.json(alerts.stream().map(AlertJson::of).toList()));
            return 0;
        }
        if (alerts.isEmpty()) {
            out.println(total == 0 ? "Tenant '" + config.tenant() + "' has no alerts. Rules raise them on ingest and"
                    + " with 'vigil detect' (import rules with 'vigil rules import PATH')."
                    : "No alert of tenant '" + config.tenant() + "' matches (it has " + Output.count(total)
                            + " alerts in all).");
            return 0;
        }
        printTable(out, alerts);
        out.printf(Locale.ROOT, "(%s of %s alerts, newest first; --json gives every field)%n",
                Output.count(alerts.size()), Output.count(total));
        return 0;
    }

    /** The alerts as a table for people: time, level, title, what they are about, table and evidence. */
    static void printTable(PrintWriter out, List<Alert> alerts) {
        List<List<Object>> rows = new ArrayList<>();
        for (Alert alert : alerts) {
            rows.add(List.of(TIME.format(Instant.EPOCH.plus(alert.timeMicros(), ChronoUnit.MICROS)), alert.level(),
                    alert.title(), about(alert), alert.table().isEmpty() ? "(correlation)" : alert.table(),
                    alert.eventIds().get(0) + (alert.eventIds().size() > 1 ? " (+" + (alert.eventIds().size() - 1)
                            + ")" : "")));
        }
        out.print(Output.table(List.of("time (UTC)", "level", "title", "on", "table", "event"), rows));
    }

    /** The alerts grouped by what raised them: level, title, how many, first and last time, and what they were on. */
    static void printSummary(PrintWriter out, List<Alert> alerts) {
        Map<String, List<Alert>> byTitle = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            byTitle.computeIfAbsent(alert.title(), t -> new ArrayList<>()).add(alert);
        }
        List<List<Object>> rows = new ArrayList<>();
        byTitle.values().stream()
                .sorted(java.util.Comparator.comparingLong((List<Alert> group) -> group.stream()
                        .mapToLong(Alert::timeMicros).min().orElse(0)))
                .forEach(group -> {
                    long first = group.stream().mapToLong(Alert::timeMicros).min().orElseThrow();
                    long last = group.stream().mapToLong(Alert::timeMicros).max().orElseThrow();
                    Alert sample = group.getFirst();
                    rows.add(List.of(TIME.format(Instant.EPOCH.plus(first, ChronoUnit.MICROS)),
                            TIME.format(Instant.EPOCH.plus(last, ChronoUnit.MICROS)), sample.level(), sample.title(),
                            group.size(), about(sample)));
                });
        out.print(Output.table(List.of("first (UTC)", "last (UTC)", "level", "title", "alerts", "on"), rows));
    }

    /** The host and user of an event's alert, or the group a correlation fired for ({@code IPAddress=...}). */
    private static String about(Alert alert) {
        if (alert.source().equals("sigma-correlation")) {
            return String.join(" ", alert.entities().stream().map(e -> e.kind() + "=" + e.value()).toList());
        }
        return String.join(" ", java.util.stream.Stream.of(entity(alert, "host"), entity(alert, "user"))
                .filter(v -> !v.isEmpty()).toList());
    }

    private static String entity(Alert alert, String kind) {
        return alert.entities().stream().filter(e -> e.kind().equals(kind)).map(Alert.Entity::value).findFirst()
                .orElse("");
    }

    static final class LevelConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String level = value.toLowerCase(Locale.ROOT);
            if (!AlertQuery.LEVELS.contains(level)) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a level; use one of "
                        + String.join(", ", AlertQuery.LEVELS));
            }
            return level;
        }
    }
}
