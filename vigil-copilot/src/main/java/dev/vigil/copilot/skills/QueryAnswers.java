package dev.vigil.copilot.skills;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plan.Frame;
import dev.vigil.copilot.plan.KqlWriter;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs hunting queries for the copilot and writes their answers. With the question's {@link Frame}, the answer is
 * written per intent, its first sentence answering the question ("3 processes accessed lsass.exe: ..."); an empty
 * answer says which part of the question emptied it and whether data exists outside the time range. Every number in
 * the prose comes from the rows.
 */
public final class QueryAnswers {
    static final int MAX_ROWS = 200;
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Map<String, String> NOUNS = Map.ofEntries(Map.entry("process", "process starts"),
            Map.entry("logon", "logons"), Map.entry("signin", "sign-ins"), Map.entry("network", "network connections"),
            Map.entry("dns", "DNS lookups"), Map.entry("process_access", "process accesses"),
            Map.entry("file", "file events"), Map.entry("registry", "registry changes"),
            Map.entry("account_change", "account changes"), Map.entry("service", "service and task installs"),
            Map.entry("log_clear", "log clearings"), Map.entry("powershell", "PowerShell script events"),
            Map.entry("ssh", "syslog messages"));
    private static final Map<String, String> ROLE_NOUNS = Map.ofEntries(Map.entry("host", "hosts"),
            Map.entry("user", "users"), Map.entry("process", "processes"), Map.entry("parent", "parent processes"),
            Map.entry("src_ip", "source addresses"), Map.entry("dst_ip", "destination addresses"),
            Map.entry("ip", "addresses"), Map.entry("domain", "domains"), Map.entry("country", "countries"),
            Map.entry("app", "applications"), Map.entry("command", "command lines"), Map.entry("target", "targets"),
            Map.entry("key", "registry keys"), Map.entry("file", "files"), Map.entry("outcome", "outcomes"));

    private final HuntRunner runner;
    private final String tenant;
    private final java.util.Collection<String> tables;

    /**
     * @param runner runs queries over the tenant's store
     * @param tenant the tenant, named in every answer's scope
     * @param tables the tenant's stored tables
     */
    public QueryAnswers(HuntRunner runner, String tenant, java.util.Collection<String> tables) {
        this.runner = runner;
        this.tenant = tenant;
        this.tables = List.copyOf(tables);
    }

    /** Runs a query and returns its rows with the query as run. */
    public Ran run(String kql) {
        long start = System.nanoTime();
        HuntRunner.Result result = runner.run(kql, Map.of(), new HuntRunner.Limits(MAX_ROWS, TIMEOUT));
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Ran(result.rows(), new ExecutedQuery("kql", kql, result.rows().rows().size(), millis),
                result.compiled().sql());
    }

    /** A query's rows and its record. */
    public record Ran(QueryResult rows, ExecutedQuery query, String sql) {}

    /** The answer to a data question read into a frame. */
    public SkillResult answer(String skill, Frame frame, String kql) {
        SkillResult.Builder out = SkillResult.builder(skill);
        Ran ran;
        try {
            ran = run(kql);
        } catch (VigilException e) {
            return out.status(SkillResult.Status.FAILED).markdown("The query for this question did not run: "
                    + e.getMessage() + (e.fix() == null ? "" : " " + e.fix())).query(new ExecutedQuery("kql", kql, 0, 0))
                    .build();
        }
        out.query(ran.query());
        QueryResult rows = ran.rows();
        String noun = NOUNS.getOrDefault(frame.concept().name(), frame.concept().name() + " events");
        String filters = describe(frame);
        String scope = scope(frame);
        Table table = table(noun, rows);
        switch (frame.intent()) {
            case COUNT -> {
                long n = number(rows, 0, KqlWriter.COUNT);
                if (frame.projection().isPresent() || !frame.groupBy().isEmpty()) {
                    String what = ROLE_NOUNS.getOrDefault(frame.projection().orElse(frame.groupBy().get(0)), "values");
                    if (frame.groupBy().isEmpty()) {
                        out.paragraph(count(n) + " distinct " + what + " appear in " + noun + filters + " " + scope + ".");
                    } else {
                        out.paragraph(noun(noun) + filters + " " + scope + ", counted by " + what + ": "
                                + rows.rows().size() + " groups.");
                        out.table(table);
                    }
                } else {
                    out.paragraph("There " + (n == 1 ? "was " : "were ") + count(n) + " " + number(n, noun) + filters + " "
                            + scope + ".");
                }
                out.fact("count", n);
                if (n == 0) {
                    explainEmpty(out, frame, noun);
                }
            }
            case EXISTS -> {
                long n = number(rows, 0, KqlWriter.COUNT);
                out.fact("count", n);
                if (n > 0) {
                    out.paragraph("Yes: " + count(n) + " " + noun + filters + " " + scope + ", first at "
                            + value(rows, 0, "first_seen") + " and last at " + value(rows, 0, "last_seen") + ".");
                    out.fact("exists", true);
                } else {
                    out.paragraph("No: there were no " + noun + filters + " " + scope + ".");
                    out.fact("exists", false);
                    explainEmpty(out, frame, noun);
                }
            }
            case TIMELINE -> {
                long total = 0;
                String busiest = null;
                long most = -1;
                List<String> labels = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                int countAt = rows.columns().indexOf(KqlWriter.COUNT);
                int timeAt = rows.columns().indexOf("time");
                for (List<Object> row : rows.rows()) {
                    long n = ((Number) row.get(countAt)).longValue();
                    total += n;
                    labels.add(String.valueOf(row.get(timeAt)));
                    values.add((double) n);
                    if (n > most) {
                        most = n;
                        busiest = String.valueOf(row.get(timeAt));
                    }
                }
                out.fact("count", total);
                if (total == 0) {
                    out.paragraph("There were no " + noun + filters + " " + scope + ".");
                    explainEmpty(out, frame, noun);
                } else {
                    out.paragraph(count(total) + " " + noun + filters + " " + scope + ", in " + rows.rows().size()
                            + " time buckets; the busiest began at " + busiest + " with " + count(most) + ".");
                    out.fact("busiest", busiest);
                    out.chart(new Chart(Chart.Kind.LINE, noun(noun) + " over time", labels,
                            List.of(new Chart.Series(noun, values))));
                    out.table(table);
                }
            }
            case TOP, DISTINCT -> {
                List<String> keys = new ArrayList<>();
                List<String> by = new ArrayList<>();
                frame.projection().ifPresent(by::add);
                frame.groupBy().forEach(r -> {
                    if (!by.contains(r)) {
                        by.add(r);
                    }
                });
                String role = by.isEmpty() ? "value" : by.get(0);
                String column = frame.concept().column(role).orElse(role);
                int keyAt = indexOf(rows, column);
                int countAt = indexOf(rows, KqlWriter.COUNT);
                List<String> parts = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (List<Object> row : rows.rows()) {
                    String key = display(role, row.get(keyAt));
                    long n = ((Number) row.get(countAt)).longValue();
                    keys.add(key);
                    labels.add(key);
                    values.add((double) n);
                    if (parts.size() < 5) {
                        parts.add(key + " (" + count(n) + ")");
                    }
                    subject(out, role, row.get(keyAt));
                }
                String what = ROLE_NOUNS.getOrDefault(role, role + " values");
                if (rows.rows().isEmpty()) {
                    out.paragraph("No " + noun + filters + " " + scope + ", so there are no " + what + " to show.");
                    explainEmpty(out, frame, noun);
                    out.fact("count", 0L);
                } else {
                    String lead = rows.rows().size() == 1
                            ? "Only " + keys.get(0) + " had " + noun + filters + " " + scope + " (" + parts.get(0)
                                    .substring(keys.get(0).length() + 2).replace(")", "") + ")."
                            : (rows.rows().size() >= (frame.limit() > 0 ? frame.limit() : KqlWriter.TOP_LIMIT)
                                    ? "The top " + rows.rows().size() + " " + what : rows.rows().size() + " " + what)
                                    + " had " + noun + filters + " " + scope + ": " + join(parts)
                                    + (rows.rows().size() > parts.size() ? ", and more in the table" : "") + ".";
                    out.paragraph(lead);
                    out.fact("count", (long) rows.rows().size());
                    out.fact("top", keys.get(0));
                    out.fact("values", keys);
                    out.table(table);
                    if (rows.rows().size() > 1) {
                        out.chart(new Chart(Chart.Kind.BAR, noun(noun) + " by " + role, labels,
                                List.of(new Chart.Series(noun, values))));
                    }
                }
            }
            case LIST -> {
                int n = rows.rows().size();
                out.fact("count", (long) n);
                if (n == 0) {
                    out.paragraph("No " + noun + filters + " " + scope + ".");
                    explainEmpty(out, frame, noun);
                } else {
                    int limit = frame.limit() > 0 ? frame.limit() : KqlWriter.LIST_LIMIT;
                    String latest = value(rows, 0, "time");
                    out.paragraph((n >= limit ? "The latest " + n + " " : count(n) + " ") + number(n, noun) + filters + " "
                            + scope + (n >= limit ? " (more exist; narrow the question or edit the query)" : "")
                            + "; the most recent at " + latest + rowSummary(frame, rows) + ".");
                    out.table(table);
                    for (List<Object> row : rows.rows()) {
                        for (String role : List.of("host", "user")) {
                            int at = rows.columns().indexOf(frame.concept().column(role).orElse(role));
                            if (at >= 0) {
                                subject(out, role, row.get(at));
                            }
                        }
                    }
                }
            }
        }
        out.evidence(firstSentence(out), List.of("query:0"));
        out.paragraph("Scope: tenant '" + tenant + "', " + scope + ", tables " + String.join(", ",
                tablesOf(kql)) + ".");
        return out.build();
    }

    /** The answer to a query typed by the analyst: its rows. */
    public SkillResult raw(String skill, String kql) {
        SkillResult.Builder out = SkillResult.builder(skill);
        Ran ran = run(kql);
        out.query(ran.query());
        QueryResult rows = ran.rows();
        if (rows.rows().isEmpty()) {
            out.status(SkillResult.Status.EMPTY).paragraph("The query returned no rows.");
        } else {
            out.paragraph("The query returned " + count(rows.rows().size()) + " row" + (rows.rows().size() == 1 ? "" : "s")
                    + (rows.truncated() ? " (cut at " + MAX_ROWS + ")" : "") + ".");
            out.table(table("Query results", rows));
            out.evidence("The query returned " + rows.rows().size() + " rows", List.of("query:0"));
        }
        out.fact("count", (long) rows.rows().size());
        out.paragraph("Scope: tenant '" + tenant + "', the query's own filters.");
        return out.build();
    }

    /** The first rows in words: "powershell.exe on WS007.kestrel.local by KESTREL\\quinn.kim". */
    private static String rowSummary(Frame frame, QueryResult rows) {
        // the same summary for several rows is said once, with how many times ("... by quinn.kim (3 times)")
        java.util.Map<String, Integer> parts = new java.util.LinkedHashMap<>();
        for (List<Object> row : rows.rows()) {
            if (parts.size() == 3) {
                break;
            }
            StringBuilder part = new StringBuilder();
            for (String role : List.of("process", "target", "domain", "dst_ip", "src_ip", "host", "user")) {
                int at = indexOfExact(rows, frame.concept().column(role).orElse(""));
                if (at < 0 || row.get(at) == null || String.valueOf(row.get(at)).isBlank()) {
                    continue;
                }
                String value = display(role, row.get(at));
                if (part.isEmpty()) {
                    part.append(value);
                } else if (role.equals("host")) {
                    part.append(" on ").append(value);
                } else if (role.equals("user")) {
                    part.append(" by ").append(value);
                } else if (role.equals("target")) {
                    part.append(" accessing ").append(value);
                }
            }
            if (!part.isEmpty()) {
                parts.merge(part.toString(), 1, Integer::sum);
            }
        }
        List<String> said = new ArrayList<>();
        parts.forEach((text, times) -> said.add(times == 1 ? text : text + " (" + times + " times)"));
        return said.isEmpty() ? "" : ": " + String.join("; ", said);
    }

    private static int indexOfExact(QueryResult rows, String column) {
        for (int i = 0; i < rows.columns().size(); i++) {
            if (rows.columns().get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Says which part of the question emptied the answer, and whether older data exists. */
    private void explainEmpty(SkillResult.Builder out, Frame frame, String noun) {
        out.status(SkillResult.Status.EMPTY);
        try {
            if (frame.time().isPresent()) {
                String all = count(frame.withTime(Optional.empty()));
                Ran ran = run(all);
                out.query(ran.query());
                long outside = number(ran.rows(), 0, KqlWriter.COUNT);
                if (outside > 0) {
                    out.paragraph("Outside that time range there are " + count(outside) + " " + noun + describe(frame)
                            + ", the latest at " + value(ran.rows(), 0, "last_seen") + ".");
                    out.fact("outside_window", outside);
                    return;
                }
            }
            if (!frame.filters().isEmpty()) {
                Ran ran = run(count(frame.withFilters(List.of())));
                out.query(ran.query());
                long any = number(ran.rows(), 0, KqlWriter.COUNT);
                out.paragraph(any == 0 ? "Vigil stores no " + noun + " at all " + scope(frame) + "."
                        : "There are " + count(any) + " " + noun + " " + scope(frame) + ", but none" + describe(frame)
                                + ".");
                out.fact("without_filters", any);
            }
        } catch (VigilException e) {
            out.paragraph("(Vigil could not check why: " + e.getMessage() + ")");
        }
    }

    private String count(Frame frame) {
        Frame counting = frame.withShape(Frame.Intent.EXISTS, Optional.empty(), List.of(), 0);
        return ((KqlWriter.Written) KqlWriter.write(counting, tables)).kql();
    }

    static String describe(Frame frame) {
        List<String> parts = new ArrayList<>();
        for (Frame.Filter f : frame.filters()) {
            parts.add(switch (f.op()) {
                case "host" -> "on " + f.value();
                case "user" -> "by " + f.value();
                case "name" -> switch (f.role()) {
                    case "parent" -> "whose parent is " + f.value();
                    case "target" -> "of " + f.value();
                    default -> "by " + f.value();
                };
                case "eq" -> switch (f.role()) {
                    case "outcome" -> f.value().equalsIgnoreCase("failure") ? "that failed"
                            : f.value().equalsIgnoreCase("success") ? "that succeeded" : "with outcome " + f.value();
                    case "dst_ip" -> "to " + f.value();
                    case "src_ip" -> "from " + f.value();
                    case "country" -> "from " + f.value();
                    case "app" -> "to " + f.value();
                    default -> f.role() + " " + f.value();
                };
                case "ne" -> f.role().equals("country") ? "from outside " + f.value() : f.role() + " not " + f.value();
                case "in" -> f.role() + " in " + f.value();
                case "contains" -> f.role().equals("user") ? "by accounts containing '" + f.value() + "'"
                        : f.role() + " containing '" + f.value() + "'";
                case "regex" -> f.role().equals("command") ? "with encoded commands" : f.role() + " matching " + f.value();
                case "public" -> "involving public addresses";
                case "private" -> "involving private addresses";
                case "either" -> "involving " + f.value();
                case "prefix" -> "in " + f.value();
                default -> f.role() + " " + f.op() + " " + f.value();
            });
        }
        return parts.isEmpty() ? "" : " " + String.join(", ", parts);
    }

    static String scope(Frame frame) {
        return frame.time().map(t -> t.text().isBlank() ? "from " + t.from() + " to " + t.to()
                : t.text() + " (" + t.from() + " to " + t.to() + ")").orElse("in all stored data");
    }

    private static List<String> tablesOf(String kql) {
        String head = kql.lines().findFirst().orElse("");
        head = head.startsWith("union ") ? head.substring(6) : head;
        return List.of(head.split(",\\s*"));
    }

    private static void subject(SkillResult.Builder out, String role, Object value) {
        if (value == null || String.valueOf(value).isBlank()) {
            return;
        }
        EntityType type = switch (role) {
            case "host" -> EntityType.HOST;
            case "user" -> EntityType.USER;
            case "process", "parent", "target" -> EntityType.PROCESS;
            case "src_ip", "dst_ip", "ip" -> EntityType.IP;
            case "domain" -> EntityType.DOMAIN;
            default -> null;
        };
        if (type != null) {
            out.subject(type, display(role, value));
        }
    }

    /** Processes by their image name rather than their path. */
    static String display(String role, Object value) {
        String text = value == null ? "(none)" : String.valueOf(value);
        if ((role.equals("process") || role.equals("parent") || role.equals("target")) && text.matches(".*[\\\\/].*")) {
            return text.substring(Math.max(text.lastIndexOf('\\'), text.lastIndexOf('/')) + 1);
        }
        return text;
    }

    private static Table table(String title, QueryResult rows) {
        return new Table(title, rows.columns(), rows.rows());
    }

    private static int indexOf(QueryResult rows, String column) {
        for (int i = 0; i < rows.columns().size(); i++) {
            if (rows.columns().get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return 0;
    }

    private static long number(QueryResult rows, int row, String column) {
        if (rows.rows().size() <= row) {
            return 0;
        }
        Object value = rows.rows().get(row).get(indexOf(rows, column));
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static String value(QueryResult rows, int row, String column) {
        return rows.rows().size() <= row ? "" : String.valueOf(rows.rows().get(row).get(indexOf(rows, column)));
    }

    private static String firstSentence(SkillResult.Builder out) {
        String text = out.build().markdown();
        int end = text.indexOf(". ");
        return end > 0 ? text.substring(0, end + 1) : text;
    }

    /** "1 sign-in", "2 sign-ins", "1 process access". */
    static String number(long n, String plural) {
        if (n != 1 || !plural.endsWith("s")) {
            return plural;
        }
        return plural.endsWith("sses") ? plural.substring(0, plural.length() - 2) : plural.substring(0, plural.length() - 1);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String noun(String noun) {
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
