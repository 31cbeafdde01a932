package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.ingest.EventSink;
import dev.vigil.store.HuntRunner;
import dev.vigil.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Typical hunting queries over many synthetic Sysmon events: each KQL query (compiled and run through
 * {@link HuntRunner}) against the equivalent hand-written DuckDB SQL, alternately in the same run on the same store.
 * The events are generated inside DuckDB ({@code INSERT ... SELECT} from {@code range()}) into the partitions of a
 * {@code SysmonEvent} table that ordinary ingest created from one seed event per event kind, so the store's layout,
 * views and catalog are those of real ingest.
 */
public final class HuntBenchmark {
    /** One query pair: the KQL and the SQL an analyst would write for the same answer. */
    public record Case(String name, String kql, String sql) {}

    /** A pair's median latencies, and their ratio (KQL over SQL). */
    public record Timing(String name, double kqlMillis, double sqlMillis, long rows) {
        public double ratio() {
            return sqlMillis == 0 ? 0 : kqlMillis / sqlMillis;
        }
    }

    public record Report(long events, double generateSeconds, List<Timing> timings) {}

    static final TenantId TENANT = TenantId.of("bench");

    private HuntBenchmark() {}

    public static List<Case> cases() {
        String t = "\"tenant\" = 'bench'";
        return List.of(
                new Case("filter-contains", "SysmonEvent | where EventID == 1 and CommandLine contains \"mimikatz\" "
                        + "| project Timestamp, Computer, CommandLine | take 100",
                        "SELECT \"time\", Computer, CommandLine FROM SysmonEvent WHERE " + t
                                + " AND EventID = 1 AND CommandLine ILIKE '%mimikatz%' LIMIT 100"),
                new Case("filter-has", "SysmonEvent | where CommandLine has \"mimikatz\" | count",
                        "SELECT count(*) FROM SysmonEvent WHERE " + t + " AND CommandLine ILIKE '%mimikatz%' AND "
                                + "regexp_matches(CommandLine, '(?i)(?:^|[^0-9A-Za-z])mimikatz(?:$|[^0-9A-Za-z])')"),
                new Case("top-hosts", "SysmonEvent | where EventID == 1 | summarize Count = count() by Computer "
                        + "| top 10 by Count",
                        "SELECT Computer, count(*) AS Count FROM SysmonEvent WHERE " + t + " AND EventID = 1 "
                                + "GROUP BY Computer ORDER BY Count DESC LIMIT 10"),
                new Case("timechart", "SysmonEvent | summarize count() by bin(Timestamp, 1h)",
                        "SELECT time_bucket(INTERVAL 1 HOUR, \"time\", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b, count(*) "
                                + "FROM SysmonEvent WHERE " + t + " GROUP BY b"),
                new Case("defender-view", "DeviceProcessEvents | where FileName =~ \"powershell.exe\" "
                        + "| summarize Users = dcount(AccountName) by DeviceName",
                        "SELECT Computer, count(DISTINCT regexp_extract(\"User\", '([^\\\\]+)$', 1)) FROM SysmonEvent WHERE "
                                + t + " AND EventID = 1 AND lower(regexp_extract(Image, '([^\\\\/]+)$', 1)) = 'powershell.exe' "
                                + "GROUP BY Computer"),
                new Case("in-subquery", "let talkers = SysmonEvent | where EventID == 3 and DestinationPort == 4444 "
                        + "| distinct Computer;\nSysmonEvent | where EventID == 1 and Computer in (talkers) "
                        + "| summarize dcount(Image)",
                        "SELECT count(DISTINCT Image) FROM SysmonEvent WHERE " + t + " AND EventID = 1 AND Computer IN "
                                + "(SELECT DISTINCT Computer FROM SysmonEvent WHERE " + t
                                + " AND EventID = 3 AND DestinationPort = 4444)"));
    }

    /** Generates {@code events} synthetic events into a fresh store under the directory. */
    public static double generate(Path data, long events) throws SQLException {
        requireNonNull(data, "data is null");
        long start = System.nanoTime();
        try (TenantStore store = TenantStore.open(data, TENANT, TenantStore.Mode.READ_WRITE)) {
            store.store(new EventSink.Batch(List.of(
                    seed(1, Map.of("EventID", 1L, "Computer", "seed", "Image", "C:\\seed.exe", "CommandLine", "seed",
                            "User", "SEED\\seed", "ParentImage", "C:\\seed.exe")),
                    seed(2, Map.of("EventID", 3L, "Computer", "seed", "Image", "C:\\seed.exe", "User", "SEED\\seed",
                            "DestinationIp", "10.0.0.1", "DestinationPort", 1L))), List.of()));
        }
        Path file = data.resolve("tenants").resolve(TENANT.value()).resolve("events.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            Map<String, String> partitions = new LinkedHashMap<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT event_code, partition_name FROM vigil_partitions WHERE table_name = 'SysmonEvent'")) {
                while (rows.next()) {
                    partitions.put(rows.getString(1), rows.getString(2));
                }
            }
            long network = events / 10;
            insert(statement, partitions.get("1"), events - network, "1", """
                    'HOST-' || (i % 500) AS Computer,
                    list_element(['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
                        'C:\\Windows\\explorer.exe', 'C:\\Program Files\\App\\app.exe', 'C:\\Windows\\System32\\svchost.exe'], (i % 5)::INTEGER + 1) AS Image,
                    CASE WHEN i % 100000 = 7 THEN 'mimikatz.exe privilege::debug sekurlsa::logonpasswords'
                         ELSE 'cmd.exe /c echo job ' || (i % 1000) || ' --mode run' END AS CommandLine,
                    'CORP\\user' || (i % 2000) AS "User",
                    'C:\\Windows\\explorer.exe' AS ParentImage""");
            insert(statement, partitions.get("3"), network, "3", """
                    'HOST-' || (i % 500) AS Computer,
                    'C:\\Windows\\System32\\svchost.exe' AS Image,
                    'CORP\\user' || (i % 2000) AS "User",
                    '10.1.' || (i % 250) || '.' || (i % 200) AS DestinationIp,
                    CASE WHEN i % 5000 = 0 THEN 4444 ELSE 443 END AS DestinationPort""");
            statement.execute("CHECKPOINT");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void insert(Statement statement, String partition, long count, String code, String fields)
            throws SQLException {
        statement.execute("INSERT INTO parts.\"" + partition + "\" BY NAME SELECT uuid() AS event_id, "
                + "TIMESTAMPTZ '2024-05-01 00:00:00+00' + to_seconds(i % 2592000) AS \"time\", 'bench' AS tenant, "
                + "'SysmonEvent' AS \"table\", 'HOST-' || (i % 500) AS host, '" + code + "' AS event_code, "
                + code + " AS EventID, '' AS raw, 'synthetic' AS source, now() AS ingested_at, " + fields
                + " FROM range(" + count + ") r(i)");
    }

    private static Event seed(int sequence, Map<String, Object> fields) {
        long millis = 1_714_521_600_000L + sequence;
        String raw = "{\"seed\":" + sequence + "}";
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.EVENT_CODE.ordinal()] = String.valueOf(fields.get("EventID"));
        return new Event(EventId.derive(TENANT, millis, raw.getBytes(StandardCharsets.UTF_8), 0), TENANT, "SysmonEvent",
                millis * 1000, common, new LinkedHashMap<>(fields), raw, new SourcePosition("seed", sequence, 0));
    }

    /** Runs each case {@code repetitions} times, KQL and SQL alternating, and reports median latencies. */
    public static List<Timing> measure(Path data, int repetitions, Consumer<String> progress) {
        List<Timing> timings = new ArrayList<>();
        try (TenantStore store = TenantStore.open(data, TENANT, TenantStore.Mode.READ_ONLY)) {
            HuntRunner runner = new HuntRunner(store);
            HuntRunner.Limits limits = new HuntRunner.Limits(1_000_000, Duration.ofMinutes(5));
            for (Case c : cases()) {
                String compiled = runner.compile(c.kql(), Map.of()).sql();
                runner.execute(compiled, limits); // warm-up of both
                runner.execute(c.sql(), limits);
                double[] kql = new double[repetitions];
                double[] sql = new double[repetitions];
                long rows = 0;
                for (int i = 0; i < repetitions; i++) {
                    long start = System.nanoTime();
                    rows = runner.execute(runner.compile(c.kql(), Map.of()).sql(), limits).rows().size();
                    kql[i] = (System.nanoTime() - start) / 1e6;
                    start = System.nanoTime();
                    runner.execute(c.sql(), limits);
                    sql[i] = (System.nanoTime() - start) / 1e6;
                }
                Timing timing = new Timing(c.name(), median(kql), median(sql), rows);
                progress.accept(String.format(java.util.Locale.ROOT, "%-16s kql %8.1f ms  sql %8.1f ms  ratio %.2f",
                        c.name(), timing.kqlMillis(), timing.sqlMillis(), timing.ratio()));
                timings.add(timing);
            }
        }
        return timings;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
