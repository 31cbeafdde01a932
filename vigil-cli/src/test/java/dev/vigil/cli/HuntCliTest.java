package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code vigil hunt} on a small ingested data set: one-off queries (table, JSON, explain, lint), saved queries with
 * parameters, and scheduled queries raising alerts with suppression, idempotent re-runs and failures recorded.
 *
 * <p>The data: Sysmon process creations on 2024-05-01 at 12:10 (WS1, alice, encoded PowerShell), 12:20 (WS2, bob,
 * whoami) and 12:30 (WS1, alice, encoded PowerShell again); some tests ingest a fourth at 13:30.
 */
@DisplayName("Hunting queries, saved and scheduled, on the command line")
class HuntCliTest {
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final String ENCODED = "DeviceProcessEvents | where ProcessCommandLine has '-enc'"
            + " | project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, event_id";

    @TempDir
    Path dir;

    Path data;

    @BeforeEach
    void ingest() throws IOException {
        data = dir.resolve("data");
        ingestEvents("first.json",
                sysmon(1, "12:10", "WS1", "alice", "powershell.exe", "powershell.exe -enc SQBFAFgA"),
                sysmon(2, "12:20", "WS2", "bob", "cmd.exe", "cmd.exe /c whoami"),
                sysmon(3, "12:30", "WS1", "alice", "powershell.exe", "powershell.exe -enc QgBCAEIA"));
    }

    private void ingestEvents(String file, String... lines) throws IOException {
        Path events = dir.resolve(file);
        Files.writeString(events, String.join("\n", lines) + "\n");
        Run ingest = vigil(data, "ingest", events.toString());
        assertThat(ingest.exit()).as("%s", ingest).isZero();
    }

    /** A Sysmon process creation, as Winlogbeat ships it, on 2024-05-01 at {@code hhmm} UTC. */
    private static String sysmon(int record, String hhmm, String host, String user, String image, String commandLine) {
        Instant time = Instant.parse("2024-05-01T" + hhmm + ":00Z");
        return "{\"@timestamp\":\"" + time + "\",\"agent\":{\"type\":\"winlogbeat\",\"version\":\"8.15.0\"},"
                + "\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"event_id\":1,"
                + "\"provider_name\":\"Microsoft-Windows-Sysmon\",\"computer_name\":\"" + host + "\","
                + "\"record_id\":" + record + ",\"event_data\":{\"UtcTime\":\"" + UTC_TIME.format(time) + "\","
                + "\"Image\":\"C:\\\\Windows\\\\System32\\\\" + image + "\",\"CommandLine\":\"" + commandLine + "\","
                + "\"ProcessId\":\"" + (4000 + record) + "\",\"ParentImage\":\"C:\\\\Windows\\\\explorer.exe\","
                + "\"User\":\"CORP\\\\" + user + "\"}}}";
    }

    private Run hunt(String... args) {
        List<String> all = new ArrayList<>(List.of("hunt"));
        all.addAll(List.of(args));
        return vigil(data, all.toArray(String[]::new));
    }

    private Run ok(String... args) {
        Run run = hunt(args);
        assertThat(run.exit()).as("%s", run).isZero();
        return run;
    }

    // --- one-off queries --------------------------------------------------------------------------------------

    @Test
    void printsATableOfRowsAndSaysHowMany() {
        Run run = ok("DeviceProcessEvents | summarize n = count() by DeviceName | sort by DeviceName asc");

        assertThat(run.out()).startsWith("DEVICENAME  N\n").contains("\nWS1         2\n").contains("\nWS2         1\n")
                .contains("(2 rows, ").contains("tenant 'default')");
    }

    @Test
    void printsJsonWithTheSqlItRan() {
        JsonNode body = ok("DeviceProcessEvents | where DeviceName == 'WS2' | project DeviceName, AccountName",
                "--json").json();

        assertThat(body.get("columns").toString()).isEqualTo("[\"DeviceName\",\"AccountName\"]");
        assertThat(body.get("rows").toString()).isEqualTo("[[\"WS2\",\"bob\"]]");
        assertThat(body.get("types").toString()).isEqualTo("[\"string\",\"string\"]");
        assertThat(body.get("sql").asString()).startsWith("SELECT").contains("\"tenant\" = 'default'");
    }

    @Test
    void explainsWithoutRunning() {
        Run run = ok("--explain", "SysmonEvent | where Computer == 'WS1' | count");

        assertThat(run.out()).startsWith("SELECT").contains("FROM \"SysmonEvent\"").doesNotContain("rows");
    }

    @Test
    void checksFilesAndReportsEachWithLineAndColumn() throws IOException {
        Path good = Files.writeString(dir.resolve("good.kql"), ENCODED + "\n");
        Path broken = Files.writeString(dir.resolve("broken.kql"), "DeviceProcessEvents\n| where ProcessCommandLin has 'x'\n");

        Run run = hunt("--check", good.toString(), broken.toString());

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).contains(good + ": ok").contains(broken + ":2:9: error: unknown column 'ProcessCommandLin'");
        JsonNode json = hunt("--check", good.toString(), broken.toString(), "--json").json();
        assertThat(json.get("failed").asInt()).isEqualTo(1);
        assertThat(json.get("files").get(1).get("line").asInt()).isEqualTo(2);
        assertThat(json.get("files").get(1).get("column").asInt()).isEqualTo(9);
        assertThat(hunt("--check", good.toString()).exit()).isZero();
    }

    // --- saved queries ----------------------------------------------------------------------------------------

    @Test
    void savesListsRunsAndDeletesAQueryWithParameters() {
        Run saved = ok("save", "logons-of", "declare query_parameters(user:string, since:datetime = datetime(2024-01-01));"
                + " DeviceProcessEvents | where AccountName =~ user and Timestamp >= since | project DeviceName, FileName",
                "--description", "Processes a user started", "--tag", "triage", "--as", "carol");
        assertThat(saved.out()).contains("Saved query 'logons-of' with parameters user:string, since:datetime")
                .contains("vigil hunt run logons-of --param user=VALUE");

        JsonNode list = ok("saved", "--json").json().get("queries").get(0);
        assertThat(list.get("name").asString()).isEqualTo("logons-of");
        assertThat(list.get("created_by").asString()).isEqualTo("carol");
        assertThat(list.get("tags").toString()).isEqualTo("[\"triage\"]");
        assertThat(list.get("parameters").toString()).isEqualTo("[{\"name\":\"user\",\"type\":\"string\",\"default\":null,"
                + "\"required\":true},{\"name\":\"since\",\"type\":\"datetime\",\"default\":\"datetime(2024-01-01)\","
                + "\"required\":false}]");
        assertThat(ok("saved").out()).contains("logons-of").contains("Processes a user started");

        JsonNode rows = ok("run", "logons-of", "--param", "user=BOB", "--json").json();
        assertThat(rows.get("rows").toString()).isEqualTo("[[\"WS2\",\"cmd.exe\"]]");
        assertThat(ok("run", "logons-of", "--param", "user=alice", "--param", "since=2024-05-01T12:15:00Z",
                "--json").json().get("rows")).hasSize(1);

        Run missing = hunt("run", "logons-of");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("query 'logons-of' needs parameter 'user' of type string")
                .contains("--param user=VALUE");
        Run wrongType = hunt("run", "logons-of", "--param", "user=bob", "--param", "since=yesterday");
        assertThat(wrongType.exit()).isEqualTo(2);
        assertThat(wrongType.err()).contains("parameter 'since' of query 'logons-of' is a datetime, and 'yesterday' is not one");
        Run unknown = hunt("run", "logons-of", "--param", "usr=bob");
        assertThat(unknown.err()).contains("has no parameter 'usr'; it declares user:string, since:datetime");

        assertThat(ok("delete", "logons-of").out()).contains("Deleted query 'logons-of'");
        Run gone = hunt("run", "logons-of");
        assertThat(gone.exit()).isEqualTo(3);
        assertThat(gone.err()).contains("error[query_not_found]");
    }

    @Test
    void refusesAQueryThatDoesNotCompileOrAnInvalidName() {
        Run broken = hunt("save", "broken", "DeviceProcessEvents | where x ==");
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.err()).contains("error[query_invalid]: 1:").contains("expected");

        Run badName = hunt("save", "1 bad name", ENCODED);
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("'1 bad name' is not a valid query name");
        assertThat(ok("saved", "--json").json().get("queries")).isEmpty();
    }

    @Test
    void exportsAndImportsAsKqlFilesAndJson() throws IOException {
        ok("save", "encoded-ps", ENCODED, "--description", "Encoded PowerShell", "--tag", "attack.t1059.001");
        ok("schedule", "encoded-ps", "--every", "1h", "--severity", "high", "--group-by", "DeviceName");
        Path folder = dir.resolve("export");
        ok("export", "--format", "kql", "--output", folder.toString());
        String file = Files.readString(folder.resolve("encoded-ps.kql"));
        assertThat(file).startsWith(HuntQueryCommands.KQL_HEADER).contains("// name: encoded-ps\n")
                .contains("// description: Encoded PowerShell\n").contains("// tags: attack.t1059.001\n").endsWith(ENCODED + "\n");
        Path json = dir.resolve("hunts.json");
        ok("export", "--output", json.toString());

        ok("delete", "encoded-ps");
        Path broken = Files.writeString(dir.resolve("broken.kql"), "// name: broken\nSysmonEvent\n| take\n");
        Run imported = hunt("import", folder.resolve("encoded-ps.kql").toString(), broken.toString());
        assertThat(imported.exit()).as("%s", imported).isEqualTo(Main.EXIT_PARTIAL);
        assertThat(imported.out()).contains("encoded-ps.kql: imported 'encoded-ps'").contains("broken.kql:4:1: error: unexpected end of query");
        JsonNode restored = ok("saved", "--json").json().get("queries").get(0);
        assertThat(restored.get("description").asString()).isEqualTo("Encoded PowerShell");
        assertThat(restored.get("kql").asString().strip()).isEqualTo(ENCODED);
        assertThat(restored.get("schedule").isNull()).isTrue();

        ok("delete", "encoded-ps");
        ok("import", json.toString());
        JsonNode schedule = ok("schedules", "--json").json().get("schedules").get(0);
        assertThat(schedule.get("severity").asString()).isEqualTo("high");
        assertThat(schedule.get("group_by").toString()).isEqualTo("[\"DeviceName\"]");
    }

    // --- scheduled queries ------------------------------------------------------------------------------------

    @Test
    void refusesToScheduleAQueryWhoseRowsCiteNoEvent() {
        ok("save", "hosts", "DeviceProcessEvents | summarize n = count() by DeviceName");

        Run run = hunt("schedule", "hosts", "--every", "1h");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("query 'hosts' cannot raise alerts: its result has no event id column"
                + " (its columns: DeviceName, n)").contains("event_ids = make_set(event_id)");
        Run badGroup = hunt("schedule", "hosts", "--every", "1h", "--group-by", "Device");
        assertThat(badGroup.exit()).isEqualTo(2);
        Run notSaved = hunt("schedule", "nothing", "--every", "1h");
        assertThat(notSaved.exit()).isEqualTo(3);
        Run badEvery = hunt("schedule", "hosts", "--every", "often");
        assertThat(badEvery.err()).contains("--every 'often' is not a duration");
    }

    @Test
    void raisesGroupedAlertsSuppressesRepeatsAndCorrelatesThem() throws IOException {
        ok("save", "encoded-ps", ENCODED, "--description", "Encoded PowerShell");
        ok("schedule", "encoded-ps", "--every", "1h", "--lookback", "2h", "--severity", "high", "--techniques",
                "T1059.001,T1027", "--group-by", "DeviceName", "--suppress", "24h");

        JsonNode first = ok("tick", "--now", "2024-05-01T13:00:00Z", "--json").json();
        JsonNode run = first.get("runs").get(0);
        assertThat(run.get("rows").asInt()).isEqualTo(2);
        assertThat(run.get("alerts").asInt()).isEqualTo(1);
        assertThat(run.get("suppressed").asInt()).isZero();
        assertThat(run.get("window_start").asString()).isEqualTo("2024-05-01T11:00:00Z");
        assertThat(first.get("incidents").get("alerts").asInt()).isEqualTo(1);

        JsonNode alert = vigil(data, "alerts", "--json").json().get(0);
        assertThat(alert.get("rule_id").asString()).isEqualTo("kql:encoded-ps");
        assertThat(alert.get("source").asString()).isEqualTo("kql");
        assertThat(alert.get("title").asString()).isEqualTo("Encoded PowerShell (WS1)");
        assertThat(alert.get("level").asString()).isEqualTo("high");
        assertThat(alert.get("time").asString()).isEqualTo("2024-05-01T12:30:00Z");
        assertThat(alert.get("techniques").toString()).isEqualTo("[\"T1059.001\",\"T1027\"]");
        assertThat(alert.get("event_ids")).hasSize(2);
        assertThat(alert.get("entities").toString()).contains("{\"kind\":\"host\",\"value\":\"WS1\"}")
                .contains("{\"kind\":\"user\",\"value\":\"alice\"}");

        Run notDue = ok("tick", "--now", "2024-05-01T13:30:00Z");
        assertThat(notDue.out()).contains("No scheduled query was due").contains("encoded-ps at 2024-05-01 14:00:00");

        // a third encoded command on WS1: its group alerted an hour ago, within the suppression window
        ingestEvents("second.json", sysmon(4, "13:30", "WS1", "alice", "powershell.exe", "powershell.exe -enc QwBDAEMA"));
        JsonNode second = ok("tick", "--now", "2024-05-01T14:00:00Z", "--json").json().get("runs").get(0);
        assertThat(second.get("rows").asInt()).isEqualTo(3); // 12:10, 12:30 and 13:30, in 12:00 .. 14:00
        assertThat(second.get("alerts").asInt()).isZero();
        assertThat(second.get("suppressed").asInt()).isEqualTo(1);
        assertThat(vigil(data, "alerts", "--json").json()).hasSize(1);

        // a day later the suppression has passed
        JsonNode later = ok("tick", "--now", "2024-05-02T14:30:00Z", "--json")
                .json().get("runs").get(0);
        assertThat(later.get("rows").asInt()).isZero(); // nothing in the window
        Run runs = ok("runs", "encoded-ps");
        assertThat(runs.out()).contains("encoded-ps").contains("2024-05-01 14:00:00");
        assertThat(ok("runs", "--json").json().get("runs")).hasSize(3);
    }

    @Test
    void reRunningTheSameWindowStoresNothingTwice() {
        ok("save", "whoami", "SysmonEvent | where CommandLine has 'whoami' | project Timestamp, Computer, event_id");
        ok("schedule", "whoami", "--every", "1h", "--lookback", "1d");

        JsonNode first = ok("tick", "--now", "2024-05-01T13:00:00Z", "--json").json().get("runs").get(0);
        JsonNode again = ok("tick", "--now", "2024-05-01T13:00:00Z", "--force", "--json").json().get("runs").get(0);
        JsonNode overlapping = ok("tick", "--now", "2024-05-01T14:00:00Z", "--json").json().get("runs").get(0);

        assertThat(first.get("alerts").asInt()).isEqualTo(1);
        assertThat(again.get("alerts").asInt()).isZero();
        assertThat(again.get("already_stored").asInt()).isEqualTo(1);
        assertThat(overlapping.get("alerts").asInt()).isZero();
        assertThat(overlapping.get("already_stored").asInt()).isEqualTo(1);
        JsonNode alerts = vigil(data, "alerts", "--json").json();
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("entities").toString()).contains("{\"kind\":\"host\",\"value\":\"WS2\"}");
    }

    @Test
    void appliesTheThresholdToEachGroup() {
        ok("save", "encoded-ps", ENCODED);
        ok("schedule", "encoded-ps", "--every", "1h", "--lookback", "1d", "--group-by", "DeviceName,AccountName",
                "--threshold", "3");

        JsonNode run = ok("tick", "--now", "2024-05-01T13:00:00Z", "--json").json().get("runs").get(0);

        assertThat(run.get("rows").asInt()).isEqualTo(2);
        assertThat(run.get("alerts").asInt()).isZero();
    }

    @Test
    void recordsAFailingQueryAndRunsTheOthers() {
        ok("save", "whoami", "SysmonEvent | where CommandLine has 'whoami' | project Timestamp, Computer, event_id");
        ok("schedule", "whoami", "--every", "1h");
        ok("save", "encoded-ps", ENCODED);
        ok("schedule", "encoded-ps", "--every", "1h", "--lookback", "1d");
        // the query gains a required parameter the schedule does not give
        ok("save", "whoami", "declare query_parameters(host:string); SysmonEvent | where Computer == host"
                + " | project Timestamp, Computer, event_id");

        Run tick = hunt("tick", "--now", "2024-05-01T13:00:00Z", "--json");

        assertThat(tick.exit()).as("%s", tick).isEqualTo(Main.EXIT_PARTIAL);
        JsonNode body = tick.json();
        assertThat(body.get("failed").asInt()).isEqualTo(1);
        assertThat(body.get("alerts").asInt()).isEqualTo(2);
        JsonNode failed = body.get("runs").get(1);
        assertThat(failed.get("name").asString()).isEqualTo("whoami");
        assertThat(failed.get("error").asString()).contains("needs parameter 'host' of type string");
        assertThat(ok("schedules").out()).contains("error: query 'whoami' needs parameter 'host'");

        ok("unschedule", "whoami");
        assertThat(ok("schedules", "--json").json().get("schedules")).hasSize(1);
        assertThat(hunt("unschedule", "whoami").exit()).isEqualTo(3);
    }
}
