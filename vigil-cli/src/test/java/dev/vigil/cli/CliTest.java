package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.sysmonLine;
import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import dev.vigil.ingest.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The {@code vigil} commands as a user or a script sees them: output, errors with their fix, exit codes. */
@DisplayName("The vigil command line")
class CliTest {
    @TempDir
    Path dir;

    Path data;
    Path input;

    @BeforeEach
    void input() throws IOException {
        data = dir.resolve("data");
        input = dir.resolve("sysmon.json");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(sysmonLine(i));
        }
        lines.add("{\"winlog\": {\"channel\": ");
        Files.write(input, lines);
    }

    @Test
    void ingestJsonPrintsOneSummaryObjectWhoseCountsAddUp() {
        Run run = vigil(data, "ingest", input.toString(), "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode summary = run.json();
        assertThat(summary.propertyNames()).contains("tenant", "read", "stored", "stored_new", "already_stored",
                "quarantined", "quarantined_by_reason", "tables", "skipped", "failed_sources");
        assertThat(summary.get("tenant").asString()).isEqualTo("default");
        assertThat(summary.get("read").asLong()).isEqualTo(6);
        assertThat(summary.get("stored").asLong()).isEqualTo(5);
        assertThat(summary.get("stored_new").asLong()).isEqualTo(5);
        assertThat(summary.get("already_stored").asLong()).isZero();
        assertThat(summary.get("quarantined").asLong()).isEqualTo(1);
        assertThat(summary.get("read").asLong())
                .isEqualTo(summary.get("stored").asLong() + summary.get("quarantined").asLong());
        assertThat(summary.get("quarantined_by_reason").get("malformed_json").asLong()).isEqualTo(1);
        assertThat(summary.get("tables").get("SysmonEvent").asLong()).isEqualTo(5);
        assertThat(summary.get("skipped")).isEmpty();
        assertThat(summary.get("failed_sources")).isEmpty();
    }

    @Test
    void ingestingAgainReportsEverythingAsAlreadyStored() {
        vigil(data, "ingest", input.toString(), "--json");

        JsonNode again = vigil(data, "ingest", input.toString(), "--json").json();

        assertThat(again.get("stored_new").asLong()).isZero();
        assertThat(again.get("already_stored").asLong()).isEqualTo(5);
        assertThat(vigil(data, "sql", "SELECT count(*) AS n FROM SysmonEvent", "--json").json().get("rows").get(0).get(0).asLong())
                .isEqualTo(5);
    }

    @Test
    void aCopyOfAFileInTheSameRunIsStoredOnceEvenAcrossBatches() throws IOException {
        Path copy = Files.copy(input, dir.resolve("copy.json"));

        JsonNode summary = vigil(data, "ingest", input.toString(), copy.toString(), "--json",
                "--set", "ingest.batch-size=2").json();

        assertThat(summary.get("stored_new").asLong()).as("%s", summary).isEqualTo(5);
        assertThat(summary.get("already_stored").asLong()).isEqualTo(5);
        assertThat(vigil(data, "sql", "SELECT count(*) FROM SysmonEvent", "--json").json().get("rows").get(0).get(0).asLong())
                .isEqualTo(5);
    }

    @Test
    void theHumanSummaryListsTheTablesAndTheQuarantine() {
        Run run = vigil(data, "ingest", input.toString());

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Ingested 6 records from 1 sources into tenant 'default'")
                .containsPattern("stored\\s+5\\s+\\(new 5, already stored 0\\)")
                .containsPattern("TABLE\\s+RECORDS")
                .containsPattern("SysmonEvent\\s+5")
                .containsPattern("malformed_json\\s+1")
                .contains(input + ":6: malformed_json");
    }

    @Test
    void tablesJsonListsTablesWithRowsAndColumns() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "tables", "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode tables = run.json().get("tables");
        assertThat(tables).hasSize(1);
        JsonNode sysmon = tables.get(0);
        assertThat(sysmon.get("table").asString()).isEqualTo("SysmonEvent");
        assertThat(sysmon.get("rows").asLong()).isEqualTo(5);
        List<String> columns = new ArrayList<>();
        sysmon.get("columns").forEach(c -> columns.add(c.get("name").asString() + ":" + c.get("kind").asString()));
        assertThat(columns).contains("event_id:common", "user:common", "User_native:native", "Image:native");
    }

    @Test
    void tablesOfATenantWithoutDataIsAnEmptyAnswerNotAnError() {
        Run run = vigil(data, "tables", "--tenant", "fresh");
        Run json = vigil(data, "tables", "--tenant", "fresh", "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Tenant 'fresh' has no tables yet").contains("vigil ingest PATH");
        assertThat(json.json().get("tables")).isEmpty();
        assertThat(data.resolve("tenants").resolve("fresh")).doesNotExist();
    }

    @Test
    void tablesPrintsATableForPeople() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "tables");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsPattern("SysmonEvent\\s+5\\s+\\d+").contains("vigil tables --columns");
    }

    @Test
    void sqlAnswersAReadAsATable() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "sql", "SELECT count(*) AS n FROM SysmonEvent");

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).containsPattern("N\\s*\\n-+\\s*\\n\\s*5\\s*\\n").contains("(1 rows");
    }

    @Test
    void everyCommandRunIsAuditedInTheLogWithItsTenantQueryAndExitCode() throws IOException {
        vigil(data, "ingest", input.toString(), "--tenant", "acme");
        vigil(data, "sql", "DELETE FROM SysmonEvent", "--tenant", "acme");

        List<String> audit = Files.readAllLines(data.resolve("logs").resolve("vigil.log")).stream()
                .filter(line -> line.contains("{\"audit\":\"true\"}")).toList();

        assertThat(audit).hasSize(2);
        assertThat(audit.get(0)).contains("{\"command\":\"ingest\"}", "{\"tenant\":\"acme\"}", "{\"exit_code\":\"0\"}");
        assertThat(audit.get(1)).contains("{\"command\":\"sql\"}", "{\"exit_code\":\"4\"}",
                "{\"query\":\"DELETE FROM SysmonEvent\"}");
    }

    @Test
    void sqlRefusesAWriteWithExitFourAndAFix() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "sql", "DELETE FROM SysmonEvent");

        assertThat(run.exit()).as("%s", run).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("vigil: error[query_not_read_only]: ").contains("\n  fix: Only SELECT");
    }

    @Test
    void sqlRefusesAWriteInJsonWhenAskedForJson() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "sql", "DROP TABLE vigil_events", "--json");

        assertThat(run.exit()).isEqualTo(4);
        JsonNode error = run.errorJson().get("error");
        assertThat(error.get("code").asString()).isEqualTo("query_not_read_only");
        assertThat(error.get("category").asString()).isEqualTo("forbidden");
        assertThat(error.get("fix").asString()).isNotBlank();
    }

    @Test
    void sqlOnATenantWithoutDataIsNotFound() {
        Run run = vigil(data, "sql", "SELECT 1", "--tenant", "nobody");

        assertThat(run.exit()).as("%s", run).isEqualTo(3);
        assertThat(run.err()).contains("error[table_not_found]").contains("'nobody' has no data").contains("fix:");
        assertThat(data.resolve("tenants").resolve("nobody").resolve("events.duckdb")).doesNotExist();
    }

    @Test
    void sqlNamesAnUnknownTable() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "sql", "SELECT * FROM NoSuchTable");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("error[table_not_found]").contains("NoSuchTable");
    }

    @Test
    void sqlReportsABrokenQueryAsAUserError() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "sql", "SELECT FROM WHERE");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[query_invalid]");
    }

    @Test
    void ingestOfAMissingFileIsNotFoundAndNamesThePath() {
        Path missing = dir.resolve("missing.json");

        Run run = vigil(data, "ingest", missing.toString());

        assertThat(run.exit()).as("%s", run).isEqualTo(3);
        assertThat(run.err()).contains("error[input_not_found]").contains(missing.toString()).contains("fix:");
    }

    @Test
    void anUnknownSettingIsAUsageErrorThatSuggestsTheNearestKey() {
        Run run = vigil(data, "ingest", input.toString(), "--set", "ingest.batchsize=5");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[config_unknown_key]").contains("ingest.batchsize").contains("ingest.batch-size");
        assertThat(data.resolve("tenants")).doesNotExist();
    }

    @Test
    void anInvalidSettingValueIsAUsageErrorThatNamesTheRange() {
        Run run = vigil(data, "ingest", input.toString(), "--set", "ingest.batch-size=0");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[config_invalid]").contains("ingest.batch-size").contains("1 to 1000000");
    }

    @Test
    void anUnknownFormatIsAUsageErrorThatListsTheFormats() {
        Run run = vigil(data, "ingest", input.toString(), "--format", "bogus");

        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.err()).contains("error[usage]").contains("bogus");
        for (Format format : Format.values()) {
            assertThat(run.err()).contains(format.cliName());
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run run = vigil(data, "tables", "--bogus");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("error[usage]").contains("--bogus").contains("vigil tables --help");
    }

    @Test
    void configJsonListsEveryKeyWithItsValueAndOrigin() {
        Run run = vigil(data, "config", "--json", "--set", "ingest.batch-size=5");

        assertThat(run.exit()).as("%s", run).isZero();
        List<String> keys = new ArrayList<>();
        run.json().get("keys").forEach(k -> keys.add(k.get("key").asString()));
        assertThat(keys).contains("data-dir", "tenant", "ingest.batch-size", "ingest.commit-records", "log.level");
        run.json().get("keys").forEach(k -> {
            if (k.get("key").asString().equals("ingest.batch-size")) {
                assertThat(k.get("value").asString()).isEqualTo("5");
                assertThat(k.get("origin").asString()).isEqualTo("command line");
                assertThat(k.get("environment").asString()).isEqualTo("VIGIL_INGEST_BATCH_SIZE");
            }
        });
    }

    @Test
    void quarantineJsonListsRefusedRecordsWithSourceAndLine() {
        vigil(data, "ingest", input.toString());

        Run run = vigil(data, "quarantine", "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode body = run.json();
        assertThat(body.get("counts").get("malformed_json").asLong()).isEqualTo(1);
        List<String> columns = new ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.asString()));
        JsonNode row = body.get("rows").get(0);
        assertThat(row.get(columns.indexOf("source")).asString()).isEqualTo(input.toString());
        assertThat(row.get(columns.indexOf("line")).asLong()).isEqualTo(6);
        assertThat(row.get(columns.indexOf("reason")).asString()).isEqualTo("malformed_json");
    }

    @Test
    void demoSeedsTheDemoTenantAndAnswersItsQuestions() {
        Run run = vigil(data, "demo", "--no-serve", "--scale", DemoCopilot.SCALE);

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Kestrel Freight: 300 staff, 100 hosts")
                .contains("Seeded tenant 'demo'")
                .contains("Ask Vigil")
                .contains("> vigil ask \"which processes accessed lsass\"")
                .contains("203.0.113.50", "powershell.exe", "WINWORD.EXE");
        assertThat(data.resolve("tenants").resolve("demo").resolve("events.duckdb")).exists();
        Run tables = vigil(data, "tables", "--tenant", "demo", "--json");
        List<String> names = new ArrayList<>();
        tables.json().get("tables").forEach(t -> names.add(t.get("table").asString()));
        assertThat(names).contains("SecurityEvent", "SysmonEvent", "SigninLogs", "CommonSecurityLog");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "ingest", "tables", "sql", "quarantine", "config", "bench", "bench ingest"})
    void everyCommandHasHelp(String command) {
        List<String> args = new java.util.ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        Run run = vigil(args.toArray(String[]::new));

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Usage: vigil").contains(command).contains("--help");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void benchIngestMeasuresParsingAgainstTheBaselineAndReportsRatios() throws IOException {
        Run run = vigil("bench", "ingest", input.toString(), "--rounds", "1", "--no-store", "--json");

        assertThat(run.exit()).as("%s", run).isZero();
        var measurements = run.json().get("measurements");
        assertThat(measurements).hasSize(3);
        assertThat(measurements.get(0).get("name").asString()).startsWith("bare Jackson readTree");
        assertThat(measurements.get(0).get("ratio_to_baseline").asDouble()).isEqualTo(1.0);
        assertThat(measurements.get(2).get("name").asString()).startsWith("parse + normalize");
        assertThat(measurements.get(2).get("records").asLong()).isEqualTo(5);
    }

    @Test
    void versionNamesVigilAndJava() {
        Run run = vigil("--version");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("vigil ").contains("Java ");
    }
}
