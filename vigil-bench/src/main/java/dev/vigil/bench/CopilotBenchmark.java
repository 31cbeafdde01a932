package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ai.MiniLmEmbedder;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.store.TableInfo;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Latency of the embedded copilot's {@code ask} on a large store: the demo organization (its attacks, alerts and
 * incidents, ingested with detection and correlation as {@code vigil demo} does) plus millions of background events
 * of the same shapes generated inside DuckDB, over 14 days, about 100 hosts and 500 users.
 *
 * <p>The demo part is seeded by the caller (the CLI owns the demo's ingest path); {@link #generate} then adds the
 * background rows to the partitions the demo created ({@code INSERT ... SELECT} from {@code range()}, each kind from
 * one of the demo's own rows as a template, so every column of the real shape is filled), and {@link #measure} asks
 * {@link #questions()} with the real embedding model, several rounds each, timing each ask beside a fixed DuckDB
 * aggregate over the same store, the baseline.
 */
public final class CopilotBenchmark {
    /** The tenant the benchmark's store holds. */
    public static final TenantId TENANT = TenantId.of("bench");
    /** The day the demo organization is generated for; the same day always gives the same store. */
    public static final LocalDate AS_OF = LocalDate.of(2026, 11, 20);
    /** The instant questions are asked at: relative times ("yesterday") resolve against it. */
    public static final Instant NOW = AS_OF.atTime(12, 0).toInstant(ZoneOffset.UTC);
    /** Days of background events, ending at {@link #NOW}. */
    static final int DAYS = 14;
    /** The baseline: a fixed aggregate over the largest table. */
    public static final String BASELINE_SQL = "SELECT host, count(*) AS n FROM SecurityEvent GROUP BY host";

    /** How a question is expected to be answered. */
    public enum Kind { SKILL, QUERY }

    /** A benchmark question and the route it is meant to take. */
    public record Question(String text, Kind kind) {}

    /** Latency figures in milliseconds, and p50 and p95 as a ratio to the baseline's p50. */
    public record Stats(int count, double p50, double p95, double p99, double max, double p50Ratio, double p95Ratio) {}

    /** One question's figures: the route and skills it took, its latency and planner time. */
    public record QuestionFigures(String question, String expected, String route, List<String> skills, boolean failed,
            long rows, Stats total, Stats planner) {}

    /** One skill's own time, over every ask that ran it. */
    public record SkillFigures(String skill, Stats time) {}

    /** One query a skill ran: its median and worst time as the store measured it, and the share of its skill's time. */
    public record QueryFigures(String skill, String query, int runs, double p50, double max, long rows) {}

    public record Report(long events, Map<String, Long> tables, double buildSeconds, boolean reused,
            double copilotStartMillis, int rounds, Stats baseline, Stats overall, Map<String, Stats> byRoute,
            Stats planner, List<QuestionFigures> questions, List<SkillFigures> skills, List<QueryFigures> slowestQueries,
            List<String> problems) {}

    private CopilotBenchmark() {}

    /** The questions: single-skill questions answered by a skill, and data questions that become a KQL query. */
    public static List<Question> questions() {
        return List.of(
                new Question("summarize incident 2", Kind.SKILL),
                new Question("which entities are involved in incident 2", Kind.SKILL),
                new Question("show the timeline of incident 2", Kind.SKILL),
                new Question("what is the impact of incident 2", Kind.SKILL),
                new Question("how do I respond to incident 2", Kind.SKILL),
                new Question("summarize incident 3", Kind.SKILL),
                new Question("list the open incidents", Kind.SKILL),
                new Question("show alerts on WS007", Kind.SKILL),
                new Question("alerts of high severity in the last 3 days", Kind.SKILL),
                new Question("analyze user quinn.kim", Kind.SKILL),
                new Question("what did jamal.novak do", Kind.SKILL),
                new Question("analyze host WS007", Kind.SKILL),
                new Question("what happened on web01", Kind.SKILL),
                new Question("is 198.51.100.23 malicious", Kind.SKILL),
                new Question("reputation of 203.0.113.50", Kind.SKILL),
                new Question("explain T1003.001", Kind.SKILL),
                new Question("what is technique T1566.001", Kind.SKILL),
                new Question("impact of CVE-2024-3400", Kind.SKILL),
                new Question("summarize our security posture", Kind.SKILL),
                new Question("which processes accessed lsass", Kind.QUERY),
                new Question("failed logons by source IP yesterday", Kind.QUERY),
                new Question("top 5 processes on WS007", Kind.QUERY),
                new Question("how many failed sign-ins last week", Kind.QUERY),
                new Question("which hosts connected to 198.51.100.23", Kind.QUERY),
                new Question("failed sign-ins by source IP last week", Kind.QUERY),
                new Question("what did winword spawn", Kind.QUERY),
                new Question("DNS queries from WS007 yesterday", Kind.QUERY),
                new Question("logons to FS01 yesterday", Kind.QUERY),
                new Question("count process creations by host", Kind.QUERY),
                new Question("largest outbound transfers from the firewall logs", Kind.QUERY));
    }

    // --- background events ----------------------------------------------------------------------------------------

    /** A kind of background event: its table, event code, share of the events and the SQL that makes them. */
    record Background(String table, String code, double share, String derived, String replace) {}

    private static final String FIRST = "['anna', 'ben', 'carla', 'david', 'emma', 'farid', 'grace', 'hugo', 'ines', "
            + "'jamal', 'kate', 'liam', 'maria', 'noah', 'olga', 'pavel', 'quinn', 'rosa', 'sven', 'tara', 'umar', "
            + "'vera', 'will', 'xena', 'yusuf', 'zoe', 'adam', 'bea', 'chen', 'dina']";
    private static final String LAST = "['smith', 'jones', 'garcia', 'muller', 'rossi', 'novak', 'kim', 'silva', "
            + "'dubois', 'berg', 'lund', 'costa', 'meyer', 'ivanov', 'okafor', 'sato', 'walsh']";
    private static final String IMAGES = "['C:\\Windows\\System32\\svchost.exe', "
            + "'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', "
            + "'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\explorer.exe', "
            + "'C:\\Windows\\System32\\taskhostw.exe', 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', "
            + "'C:\\Windows\\System32\\conhost.exe', 'C:\\Windows\\System32\\SearchIndexer.exe', "
            + "'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', "
            + "'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', "
            + "'C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', "
            + "'C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', "
            + "'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', 'C:\\Windows\\System32\\notepad.exe', "
            + "'C:\\Windows\\System32\\RuntimeBroker.exe']";

    /** Temporary macros the background SQL uses; they live only in the generating connection. */
    private static String macros() {
        String start = NOW.minusSeconds(DAYS * 86_400L).toString().replace("T", " ").replace("Z", "+00");
        return "CREATE OR REPLACE TEMP MACRO bg_first(u) AS list_element(" + FIRST + ", (u % 30)::INTEGER + 1);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_last(u) AS list_element(" + LAST + ", ((u // 30) % 17)::INTEGER + 1);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_user(u) AS bg_first(u) || '.' || bg_last(u);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_display(u) AS upper(left(bg_first(u), 1)) || substr(bg_first(u), 2) "
                + "|| ' ' || upper(left(bg_last(u), 1)) || substr(bg_last(u), 2);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_ws(u) AS 'WS' || lpad(((u % 95) + 1)::VARCHAR, 3, '0');\n"
                + "CREATE OR REPLACE TEMP MACRO bg_ip(u) AS '10.20.1.' || ((u % 95) + 1)::VARCHAR;\n"
                + "CREATE OR REPLACE TEMP MACRO bg_host(h) AS CASE WHEN h < 95 THEN 'WS' || lpad((h + 1)::VARCHAR, 3, '0') "
                + "ELSE list_element(['DC01', 'DC02', 'FS01', 'SQL01', 'APP01'], (h - 94)::INTEGER) END;\n"
                + "CREATE OR REPLACE TEMP MACRO bg_time(i) AS TIMESTAMPTZ '" + start + "' + to_seconds(("
                + "hash(i, 'time') % " + (DAYS * 86_400L) + ")::BIGINT);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_pick(l, i, salt) AS list_element(l, (hash(i, salt) % len(l))::INTEGER + 1);\n"
                + "CREATE OR REPLACE TEMP MACRO bg_iso(t) AS strftime(t, '%Y-%m-%dT%H:%M:%SZ');\n"
                + "CREATE OR REPLACE TEMP MACRO bg_utc(t) AS strftime(t, '%Y-%m-%d %H:%M:%S.000');\n"
                + "CREATE OR REPLACE TEMP MACRO bg_ext(i, salt) AS (hash(i, salt) % 223 + 1)::VARCHAR || '.' || "
                + "(hash(i, salt || 'b') % 255)::VARCHAR || '.' || (hash(i, salt || 'c') % 255)::VARCHAR || '.' || "
                + "(hash(i, salt || 'd') % 254 + 1)::VARCHAR;\n";
    }

    /** The kinds of background events and their shares of the total. */
    static List<Background> kinds() {
        String common = "uuid() AS event_id, g.t AS \"time\", '' AS raw, 'synthetic-background' AS source, "
                + "now() AS ingested_at, ";
        return List.of(
                new Background("SecurityEvent", "4624", 0.22,
                        "hash(i, 'u') % 500 AS u, CASE WHEN hash(i, 'h') % 10 < 6 THEN 95 + hash(i, 'h') % 2 "
                                + "ELSE hash(i, 'h') % 100 END AS h",
                        common + "bg_host(g.h) || '.kestrel.local' AS host, bg_host(g.h) || '.kestrel.local' AS Computer, "
                                + "bg_user(g.u) AS \"user\", bg_user(g.u) AS TargetUserName, bg_ip(g.u) AS src_ip, "
                                + "bg_ip(g.u) AS IpAddress, bg_ws(g.u) AS WorkstationName, bg_iso(g.t) AS TimeCreated, "
                                + "g.i AS EventRecordID"),
                new Background("SecurityEvent", "4625", 0.03,
                        "hash(i, 'u') % 500 AS u, CASE WHEN hash(i, 'h') % 10 < 7 THEN 95 + hash(i, 'h') % 2 "
                                + "ELSE hash(i, 'h') % 100 END AS h, CASE WHEN hash(i, 'x') % 10 = 0 "
                                + "THEN '45.148.' || (hash(i, 'a') % 64)::VARCHAR || '.' || (hash(i, 'b') % 255)::VARCHAR "
                                + "ELSE bg_ip(hash(i, 'u') % 500) END AS ip",
                        common + "bg_host(g.h) || '.kestrel.local' AS host, bg_host(g.h) || '.kestrel.local' AS Computer, "
                                + "bg_user(g.u) AS \"user\", bg_user(g.u) AS TargetUserName, g.ip AS src_ip, "
                                + "g.ip AS IpAddress, bg_iso(g.t) AS TimeCreated, g.i AS EventRecordID"),
                new Background("SecurityEvent", "4688", 0.12,
                        "hash(i, 'u') % 500 AS u, bg_pick(" + IMAGES + ", i, 'img') AS img",
                        common + "bg_ws(g.u) || '.kestrel.local' AS host, bg_ws(g.u) || '.kestrel.local' AS Computer, "
                                + "bg_user(g.u) AS \"user\", bg_user(g.u) AS SubjectUserName, g.img AS process, "
                                + "g.img AS NewProcessName, bg_iso(g.t) AS TimeCreated, g.i AS EventRecordID"),
                new Background("SysmonEvent", "1", 0.15,
                        "hash(i, 'u') % 500 AS u, bg_pick(" + IMAGES + ", i, 'img') AS img, "
                                + "md5(bg_pick(" + IMAGES + ", i, 'img')) || md5(bg_pick(" + IMAGES + ", i, 'img') || 'x') AS sha",
                        common + "bg_ws(g.u) || '.kestrel.local' AS host, bg_ws(g.u) || '.kestrel.local' AS Computer, "
                                + "'KESTREL\\' || bg_user(g.u) AS \"user\", 'KESTREL\\' || bg_user(g.u) AS User_native, "
                                + "g.img AS process, g.img AS Image, '\"' || g.img || '\"' AS command_line, "
                                + "'\"' || g.img || '\"' AS CommandLine, g.sha AS file_hash, 'SHA256=' || upper(g.sha) AS Hashes, "
                                + "bg_utc(g.t) AS UtcTime, bg_iso(g.t) AS \"@timestamp\", g.i AS EventRecordID"),
                new Background("SysmonEvent", "3", 0.17,
                        "hash(i, 'u') % 500 AS u, bg_pick(" + IMAGES + ", i, 'img') AS img, "
                                + "CASE WHEN hash(i, 'd') % 10 < 2 THEN '10.20.0.' || (hash(i, 'e') % 20 + 1)::VARCHAR "
                                + "ELSE '52.96.' || (hash(i, 'e') % 255)::VARCHAR || '.' || (hash(i, 'f') % 255)::VARCHAR END AS dst, "
                                + "bg_pick(['443', '443', '443', '443', '80', '53', '445', '3389'], i, 'port') AS port",
                        common + "bg_ws(g.u) || '.kestrel.local' AS host, bg_ws(g.u) || '.kestrel.local' AS Computer, "
                                + "'KESTREL\\' || bg_user(g.u) AS \"user\", 'KESTREL\\' || bg_user(g.u) AS User_native, "
                                + "g.img AS process, g.img AS Image, bg_ip(g.u) AS src_ip, bg_ip(g.u) AS SourceIp, "
                                + "(49152 + hash(g.i, 'sp') % 16000)::VARCHAR AS SourcePort, g.dst AS dst_ip, "
                                + "g.dst AS DestinationIp, g.port AS DestinationPort, bg_utc(g.t) AS UtcTime, "
                                + "bg_iso(g.t) AS \"@timestamp\", g.i AS EventRecordID"),
                new Background("SysmonEvent", "10", 0.03,
                        "hash(i, 'u') % 500 AS u, bg_pick(['C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', "
                                + "'C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', "
                                + "'C:\\Windows\\System32\\csrss.exe', 'C:\\Windows\\System32\\Taskmgr.exe'], i, 'src') AS src, "
                                + "bg_pick(['C:\\Windows\\System32\\lsass.exe', 'C:\\Windows\\explorer.exe', "
                                + "'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Windows\\System32\\svchost.exe', "
                                + "'C:\\Windows\\System32\\SearchIndexer.exe', 'C:\\Windows\\System32\\RuntimeBroker.exe'], i, 'dst') AS dst",
                        common + "bg_ws(g.u) || '.kestrel.local' AS host, bg_ws(g.u) || '.kestrel.local' AS Computer, "
                                + "'NT AUTHORITY\\SYSTEM' AS \"user\", 'NT AUTHORITY\\SYSTEM' AS SourceUser, g.src AS process, "
                                + "g.src AS SourceImage, g.dst AS TargetImage, bg_pick(['0x1000', '0x1400', '0x1410'], g.i, 'acc') "
                                + "AS GrantedAccess, 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|C:\\Windows\\System32\\KERNELBASE.dll+2c13e' "
                                + "AS CallTrace, bg_utc(g.t) AS UtcTime, bg_iso(g.t) AS \"@timestamp\", g.i AS EventRecordID"),
                new Background("SysmonEvent", "22", 0.10,
                        "hash(i, 'u') % 500 AS u, bg_pick(" + IMAGES + ", i, 'img') AS img, "
                                + "bg_pick(['outlook.office365.com', 'www.google.com', 'teams.microsoft.com', "
                                + "'update.kestrel.local', 'login.microsoftonline.com', 'graph.microsoft.com', 'github.com', "
                                + "'fs01.kestrel.local', 'dc01.kestrel.local', 'settings-win.data.microsoft.com', "
                                + "'www.bing.com', 'onedrive.live.com'], i, 'q') AS q",
                        common + "bg_ws(g.u) || '.kestrel.local' AS host, bg_ws(g.u) || '.kestrel.local' AS Computer, "
                                + "g.img AS process, g.img AS Image, g.q AS domain, g.q AS QueryName, bg_utc(g.t) AS UtcTime, "
                                + "bg_iso(g.t) AS \"@timestamp\", g.i AS EventRecordID"),
                new Background("SigninLogs", "", 0.08,
                        "hash(i, 'u') % 500 AS u, hash(i, 'r') % 25 = 0 AS failed, "
                                + "bg_pick(['Office 365 Exchange Online', 'Microsoft Teams', 'Office 365 SharePoint Online', "
                                + "'Azure Portal', 'Microsoft Edge'], i, 'app') AS app",
                        common + "bg_user(g.u) || '@kestrelfreight.example' AS \"user\", "
                                + "bg_user(g.u) || '@kestrelfreight.example' AS UserPrincipalName, "
                                + "bg_display(g.u) AS UserDisplayName, "
                                + "CASE WHEN hash(g.i, 'x') % 50 = 0 THEN bg_ext(g.i, 'ip') "
                                + "ELSE '198.18.' || (g.u % 8)::VARCHAR || '.10' END AS src_ip, "
                                + "CASE WHEN hash(g.i, 'x') % 50 = 0 THEN bg_ext(g.i, 'ip') "
                                + "ELSE '198.18.' || (g.u % 8)::VARCHAR || '.10' END AS IPAddress, "
                                + "g.app AS domain, g.app AS AppDisplayName, bg_iso(g.t) AS TimeGenerated, "
                                + "CASE WHEN g.failed THEN 'failure' ELSE 'success' END AS outcome, "
                                + "CASE WHEN g.failed THEN '50126' ELSE '0' END AS ResultType, "
                                + "CASE WHEN g.failed THEN 'Invalid username or password or Invalid on-premise username "
                                + "or password.' ELSE '' END AS ResultDescription, "
                                + "CASE WHEN g.failed THEN 'notApplied' ELSE 'success' END AS ConditionalAccessStatus"),
                new Background("CommonSecurityLog", "allow", 0.06,
                        "hash(i, 'u') % 500 AS u, '52.96.' || (hash(i, 'e') % 255)::VARCHAR || '.' "
                                + "|| (hash(i, 'f') % 255)::VARCHAR AS dst",
                        common + "bg_ip(g.u) AS src_ip, bg_ip(g.u) AS SourceIP, g.dst AS dst_ip, g.dst AS DestinationIP, "
                                + "(40000 + hash(g.i, 'sp') % 20000)::BIGINT AS SourcePort, "
                                + "(500 + hash(g.i, 'out') % 20000)::BIGINT AS SentBytes, "
                                + "(500 + hash(g.i, 'in') % 90000)::BIGINT AS ReceivedBytes, "
                                + "epoch_ms(g.t)::VARCHAR AS ReceiptTime"),
                new Background("CommonSecurityLog", "deny", 0.015,
                        "'45.148.' || (hash(i, 'e') % 255)::VARCHAR || '.' || (hash(i, 'f') % 255)::VARCHAR AS src",
                        common + "g.src AS src_ip, g.src AS SourceIP, (40000 + hash(g.i, 'sp') % 20000)::BIGINT AS SourcePort, "
                                + "bg_pick([22, 3389, 445, 23], g.i, 'dp')::BIGINT AS DestinationPort, "
                                + "(40 + hash(g.i, 'out') % 2000)::BIGINT AS SentBytes, 0::BIGINT AS ReceivedBytes, "
                                + "epoch_ms(g.t)::VARCHAR AS ReceiptTime"),
                new Background("Syslog", "", 0.025,
                        "bg_pick(['web01', 'web02', 'app01', 'db01', 'bastion01'], i, 'h') AS h, "
                                + "hash(i, 'p') % 4 AS p",
                        common + "g.h AS host, g.h AS HostName, "
                                + "list_element(['sshd', 'CRON', 'systemd', 'sudo'], g.p::INTEGER + 1) AS process, "
                                + "list_element(['sshd', 'CRON', 'systemd', 'sudo'], g.p::INTEGER + 1) AS ProcessName, "
                                + "(1000 + hash(g.i, 'pid') % 30000)::BIGINT AS ProcessID, "
                                + "list_element(['Accepted publickey for deploy from 10.20.0.5 port ' || (50000 + g.i % 10000)::VARCHAR "
                                + "|| ' ssh2', '(root) CMD (/usr/local/bin/backup.sh)', 'Started Session ' || (g.i % 100000)::VARCHAR "
                                + "|| ' of user deploy.', 'deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; "
                                + "COMMAND=/usr/bin/systemctl restart nginx'], g.p::INTEGER + 1) AS SyslogMessage"));
    }

    /**
     * Adds {@code events} background events to the tenant's store under {@code data}, which the demo organization
     * must have been seeded into (its rows are the templates). Returns the seconds taken.
     */
    public static double generate(Path data, long events, Consumer<String> progress) throws SQLException {
        requireNonNull(data, "data is null");
        long start = System.nanoTime();
        Path file = data.resolve("tenants").resolve(TENANT.value()).resolve("events.duckdb");
        List<Background> kinds = kinds();
        long done = 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (String macro : macros().split(";\n")) {
                statement.execute(macro);
            }
            Map<String, String> partitions = new LinkedHashMap<>();
            try (var rows = statement.executeQuery(
                    "SELECT table_name || '/' || event_code, partition_name FROM vigil_partitions")) {
                while (rows.next()) {
                    partitions.put(rows.getString(1), rows.getString(2));
                }
            }
            long assigned = 0;
            for (int k = 0; k < kinds.size(); k++) {
                Background kind = kinds.get(k);
                long count = k == kinds.size() - 1 ? events - assigned : Math.round(events * kind.share());
                assigned += count;
                String partition = partitions.get(kind.table() + "/" + kind.code());
                if (partition == null) {
                    throw new IllegalStateException("the store has no " + kind.table() + " partition for event code '"
                            + kind.code() + "': seed the demo organization first");
                }
                String target = "parts.\"" + partition.replace("\"", "\"\"") + "\"";
                for (long from = 0; from < count; from += 1_000_000) {
                    long to = Math.min(count, from + 1_000_000);
                    long offset = k * 100_000_000L; // distinct row numbers per kind
                    statement.execute("INSERT INTO " + target + " BY NAME SELECT tpl.* REPLACE (" + kind.replace()
                            + ") FROM (SELECT * FROM " + target + " WHERE coalesce(event_code, '') = '" + kind.code()
                            + "' ORDER BY \"time\" LIMIT 1) tpl, (SELECT i, bg_time(i) AS t, " + kind.derived() + " FROM range("
                            + (offset + from) + ", " + (offset + to) + ") r(i)) g");
                    done += to - from;
                    progress.accept(String.format(Locale.ROOT, "background events: %,d of %,d (%s %s) after %.0f s",
                            done, events, kind.table(), kind.code().isEmpty() ? "" : kind.code(),
                            (System.nanoTime() - start) / 1e9));
                }
            }
            try (var rows = statement.executeQuery("SELECT count(*) FROM (" + String.join(" UNION ALL ",
                    kinds.stream().map(k -> k.table()).distinct().map(t -> "SELECT source FROM \"" + t + "\"").toList())
                    + ") WHERE source = 'synthetic-background'")) {
                rows.next();
                if (rows.getLong(1) < events) {
                    throw new IllegalStateException("generated " + rows.getLong(1) + " background events, not " + events);
                }
            }
            progress.accept("checkpoint...");
            statement.execute("CHECKPOINT");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The event count of each table of the tenant's store. */
    public static Map<String, Long> tables(TenantStore store) {
        Map<String, Long> out = new TreeMap<>();
        for (TableInfo table : store.tables()) {
            out.put(table.name(), table.rows());
        }
        return out;
    }

    // --- measurement ----------------------------------------------------------------------------------------------

    private record Sample(double totalMillis, double plannerMillis) {}

    /**
     * Asks every question {@code rounds} times after one warm-up round, each ask followed by the baseline query, and
     * reports the figures. Progress (one line per question in the warm-up, with its route and skills) goes to
     * {@code progress}.
     */
    public static Report measure(VigilConfig config, int rounds, double buildSeconds, boolean reused,
            Consumer<String> progress) {
        Principal principal = new Principal("bench", Role.OWNER);
        ZoneId zone = ZoneId.of("UTC");
        List<Question> questions = questions();
        try (TenantStore store = TenantStore.open(config.dataDirectory(), TENANT, TenantStore.Mode.READ_ONLY)) {
            Map<String, Long> tables = tables(store);
            long events = tables.values().stream().mapToLong(Long::longValue).sum();
            Embedder embedder = MiniLmEmbedder.shared();
            embedder.embed("warm up");
            long t0 = System.nanoTime();
            Copilot copilot = Copilots.embedded(new Workspace(config, store), Optional.of(embedder));
            double startMillis = (System.nanoTime() - t0) / 1e6;
            progress.accept(String.format(Locale.ROOT, "copilot built over %,d events in %.0f ms", events, startMillis));
            List<String> problems = new ArrayList<>();
            // warm-up: each question once, and the baseline a few times
            for (int i = 0; i < 3; i++) {
                store.query(BASELINE_SQL, 1_000);
            }
            List<String> routes = new ArrayList<>();
            for (Question q : questions) {
                Answer a = copilot.ask(q.text(), SessionContext.empty(), principal, NOW, zone, s -> { }).answer();
                String route = a.plan().route().name().toLowerCase(Locale.ROOT);
                routes.add(route);
                List<String> skills = a.plan().skillNames();
                boolean failed = a.log().stream().anyMatch(l -> l.status().equals("failed"));
                progress.accept(String.format(Locale.ROOT, "warm-up %-52s %-6s %-28s %6.0f ms%s", q.text(), route,
                        String.join(",", skills), a.totalMicros() / 1e3, failed ? "  FAILED" : ""));
                if (!route.equals(q.kind().name().toLowerCase(Locale.ROOT))) {
                    problems.add("'" + q.text() + "' took the " + route + " route, not " + q.kind().name().toLowerCase(Locale.ROOT));
                }
                if (skills.size() != 1) {
                    problems.add("'" + q.text() + "' ran " + skills.size() + " skills: " + skills);
                }
                if (failed) {
                    problems.add("'" + q.text() + "' failed: " + a.log().stream().filter(l -> l.status().equals("failed"))
                            .map(StepLog::detail).findFirst().orElse(""));
                }
            }
            List<List<Sample>> samples = new ArrayList<>();
            questions.forEach(q -> samples.add(new ArrayList<>()));
            List<Double> baseline = new ArrayList<>();
            Map<String, List<Double>> skillTimes = new TreeMap<>();
            Map<List<String>, List<Double>> queryTimes = new LinkedHashMap<>();
            Map<List<String>, Long> queryRows = new LinkedHashMap<>();
            List<Answer> last = new ArrayList<>(questions.size());
            questions.forEach(q -> last.add(null));
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < questions.size(); i++) {
                    long start = System.nanoTime();
                    Answer a = copilot.ask(questions.get(i).text(), SessionContext.empty(), principal, NOW, zone,
                            s -> { }).answer();
                    double total = (System.nanoTime() - start) / 1e6;
                    samples.get(i).add(new Sample(total, a.plannerMicros() / 1e3));
                    last.set(i, a);
                    String skill = a.plan().skillNames().isEmpty() ? "-" : a.plan().skillNames().get(0);
                    for (var q : a.queries()) {
                        List<String> key = List.of(skill, q.text());
                        queryTimes.computeIfAbsent(key, k -> new ArrayList<>()).add((double) q.millis());
                        queryRows.put(key, q.rows());
                    }
                    for (StepLog step : a.log()) {
                        if (!step.step().equals("plan")) {
                            skillTimes.computeIfAbsent(skillOf(step.step()), s -> new ArrayList<>())
                                    .add(step.micros() / 1e3);
                        }
                    }
                    start = System.nanoTime();
                    store.query(BASELINE_SQL, 1_000);
                    baseline.add((System.nanoTime() - start) / 1e6);
                }
                progress.accept(String.format(Locale.ROOT, "round %d of %d done", round + 1, rounds));
            }
            double base = percentile(baseline, 0.50);
            List<QuestionFigures> figures = new ArrayList<>();
            Map<String, List<Double>> byRoute = new TreeMap<>();
            List<Double> all = new ArrayList<>();
            List<Double> planner = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                Answer a = last.get(i);
                List<Double> totals = samples.get(i).stream().map(Sample::totalMillis).toList();
                List<Double> plans = samples.get(i).stream().map(Sample::plannerMillis).toList();
                all.addAll(totals);
                planner.addAll(plans);
                byRoute.computeIfAbsent(routes.get(i), r -> new ArrayList<>()).addAll(totals);
                long rows = a.queries().stream().mapToLong(q -> q.rows()).sum();
                figures.add(new QuestionFigures(questions.get(i).text(), questions.get(i).kind().name().toLowerCase(
                        Locale.ROOT), routes.get(i), a.plan().skillNames(), a.log().stream().anyMatch(
                                l -> l.status().equals("failed")), rows, stats(totals, base), stats(plans, base)));
            }
            Map<String, Stats> routeStats = new LinkedHashMap<>();
            byRoute.forEach((route, values) -> routeStats.put(route, stats(values, base)));
            List<SkillFigures> skills = new ArrayList<>();
            skillTimes.forEach((skill, values) -> skills.add(new SkillFigures(skill, stats(values, base))));
            skills.sort((a, b) -> Double.compare(b.time().p95(), a.time().p95()));
            List<QueryFigures> slowest = new ArrayList<>();
            queryTimes.forEach((key, values) -> slowest.add(new QueryFigures(key.get(0), key.get(1), values.size(),
                    percentile(values, 0.5), percentile(values, 1.0), queryRows.get(key))));
            slowest.sort((a, b) -> Double.compare(b.p50(), a.p50()));
            return new Report(events, tables, buildSeconds, reused, startMillis, rounds, stats(baseline, base),
                    stats(all, base), routeStats, stats(planner, base), figures, skills,
                    List.copyOf(slowest.subList(0, Math.min(12, slowest.size()))), problems);
        }
    }

    /** A log step's skill: "incident-summary 2" is the incident-summary skill. */
    static String skillOf(String step) {
        String s = step.startsWith("/") ? step.substring(1) : step;
        int space = s.indexOf(' ');
        int paren = s.indexOf('(');
        int end = space < 0 ? paren : paren < 0 ? space : Math.min(space, paren);
        return end < 0 ? s : s.substring(0, end);
    }

    static Stats stats(List<Double> values, double baseline) {
        double p50 = percentile(values, 0.50);
        double p95 = percentile(values, 0.95);
        return new Stats(values.size(), p50, p95, percentile(values, 0.99), percentile(values, 1.0),
                baseline == 0 ? 0 : p50 / baseline, baseline == 0 ? 0 : p95 / baseline);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The report as text: the figures, per route, per question and the slowest skills. */
    public static String text(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Copilot ask latency on %,d events (%s), %d rounds of %d questions, "
                + "%d cores, Java %s%n", r.events(), r.tables(), r.rounds(), r.questions().size(),
                Runtime.getRuntime().availableProcessors(), Runtime.version()));
        out.append(r.reused() ? "store reused\n" : String.format(Locale.ROOT, "store built in %.1f s%n", r.buildSeconds()));
        out.append(String.format(Locale.ROOT, "copilot built (catalog, value dictionaries, skill examples) in %.0f ms%n%n",
                r.copilotStartMillis()));
        out.append(String.format(Locale.ROOT, "%-34s %6s %9s %9s %9s %9s %10s %10s%n", "measurement", "asks", "p50 ms",
                "p95 ms", "p99 ms", "max ms", "p50/base", "p95/base"));
        row(out, "baseline: " + "GROUP BY host", r.baseline());
        row(out, "ask, all questions", r.overall());
        r.byRoute().forEach((route, s) -> row(out, "ask, " + route + " route", s));
        row(out, "planner's own time", r.planner());
        out.append(String.format(Locale.ROOT, "%nPer question (total latency):%n%-52s %-6s %-26s %7s %9s %9s %9s %8s%n",
                "question", "route", "skill", "rows", "p50 ms", "p95 ms", "max ms", "plan p95"));
        for (QuestionFigures q : r.questions()) {
            out.append(String.format(Locale.ROOT, "%-52s %-6s %-26s %,7d %9.1f %9.1f %9.1f %8.1f%s%n", q.question(),
                    q.route(), String.join(",", q.skills()), q.rows(), q.total().p50(), q.total().p95(),
                    q.total().max(), q.planner().p95(), q.failed() ? "  FAILED" : ""));
        }
        out.append(String.format(Locale.ROOT, "%nSkills by p95 of their own time:%n%-26s %6s %9s %9s %9s%n", "skill",
                "runs", "p50 ms", "p95 ms", "max ms"));
        for (SkillFigures s : r.skills()) {
            out.append(String.format(Locale.ROOT, "%-26s %6d %9.1f %9.1f %9.1f%n", s.skill(), s.time().count(),
                    s.time().p50(), s.time().p95(), s.time().max()));
        }
        out.append(String.format(Locale.ROOT, "%nSlowest queries the skills ran (median of the store's own timing):%n"));
        for (QueryFigures q : r.slowestQueries()) {
            String text = q.query().replaceAll("\\s+", " ");
            out.append(String.format(Locale.ROOT, "%7.0f ms (max %5.0f) %-20s %s%n", q.p50(), q.max(), q.skill(),
                    text.length() > 150 ? text.substring(0, 150) + "..." : text));
        }
        if (!r.problems().isEmpty()) {
            out.append("\nProblems:\n");
            r.problems().forEach(p -> out.append("- ").append(p).append('\n'));
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String name, Stats s) {
        out.append(String.format(Locale.ROOT, "%-34s %6d %9.1f %9.1f %9.1f %9.1f %10.2f %10.2f%n", name, s.count(),
                s.p50(), s.p95(), s.p99(), s.max(), s.p50Ratio(), s.p95Ratio()));
    }
}
