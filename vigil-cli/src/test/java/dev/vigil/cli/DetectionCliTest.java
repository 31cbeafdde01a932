package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.sysmonLine;
import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
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

/**
 * Sigma detection from the command line: importing rules, alerts raised on ingest and by a retro-hunt, enabling and
 * disabling rules, and the errors a user can make on the way.
 */
@DisplayName("Rules, detection and alerts on the command line")
class DetectionCliTest {
    /** Matches the test event whose image is cmd3.exe, one of five. */
    private static final String MATCHING_ID = "7d5b1e2a-0c3f-4b8e-9a61-3f2e4d5c6b7a";
    private static final String OKTA_ID = "3c1f7e7a-1111-4222-8333-444455556666";

    @TempDir
    Path dir;

    Path data;
    Path rules;
    Path events;

    @BeforeEach
    void files() throws IOException {
        data = dir.resolve("data");
        rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("echo.yml"), """
                title: Echo Through A Numbered Cmd
                id: %s
                status: test
                description: Matches one of the test events.
                logsource:
                    product: windows
                    category: process_creation
                detection:
                    selection:
                        Image|endswith: '\\cmd3.exe'
                        CommandLine|contains: 'echo'
                    condition: selection
                level: high
                tags:
                    - attack.execution
                    - attack.t1059.003
                """.formatted(MATCHING_ID));
        Files.writeString(rules.resolve("broken.yml"), """
                title: Broken
                logsource:
                    product: windows
                detection: [unclosed
                """);
        Files.writeString(Files.createDirectories(rules.resolve("cloud")).resolve("okta.yaml"), """
                title: Okta Admin Role Assigned
                id: %s
                status: test
                logsource:
                    product: okta
                    service: okta
                detection:
                    selection:
                        eventtype: user.account.privilege.grant
                    condition: selection
                level: medium
                """.formatted(OKTA_ID));
        Files.writeString(rules.resolve("README.md"), "Not a rule.\n");
        Files.writeString(Files.createDirectories(rules.resolve(".github")).resolve("workflow.yml"), "on: push\n");
        events = dir.resolve("events").resolve("sysmon.json");
        Files.createDirectories(events.getParent());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(sysmonLine(i));
        }
        Files.write(events, lines);
    }

    @Test
    void importSummarizesLoadedInactiveAndFailedRulesAndExitsPartial() {
        Run run = vigil(data, "rules", "import", rules.toString(), "--json");

        assertThat(run.exit()).as("%s", run).isEqualTo(Main.EXIT_PARTIAL);
        JsonNode summary = run.json();
        assertThat(summary.get("files").asInt()).isEqualTo(3);
        assertThat(summary.get("skipped_files").asInt()).as("README.md; .github is not searched").isEqualTo(1);
        assertThat(summary.get("documents").asInt()).isEqualTo(2);
        assertThat(summary.get("loaded").asInt()).isEqualTo(1);
        assertThat(summary.get("inactive").asInt()).isEqualTo(1);
        assertThat(summary.get("inactive_reasons").propertyNames()).singleElement().asString().contains("Okta");
        assertThat(summary.get("failed")).hasSize(1);
        JsonNode failure = summary.get("failed").get(0);
        assertThat(failure.get("source").asString()).isEqualTo(rules.resolve("broken.yml").toString());
        assertThat(failure.get("rule").isNull()).isTrue();
        assertThat(failure.get("reason").asString()).startsWith(rules.resolve("broken.yml") + ":")
                .contains("not valid YAML");
        assertThat(run.err()).contains("error[rule_invalid]").contains("the others are stored").contains("fix:");
    }

    @Test
    void importListsFailuresForPeople() {
        Run run = vigil(data, "rules", "import", rules.toString());

        assertThat(run.out()).containsPattern("loaded\\s+1").containsPattern("inactive\\s+1").containsPattern("failed\\s+1")
                .contains("Failed:").contains(rules.resolve("broken.yml") + ":").contains("not valid YAML");
    }

    @Test
    void importOfAFolderWithoutRulesOrOfAMissingPathIsNotFound() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        Run none = vigil(data, "rules", "import", empty.toString());
        Run missing = vigil(data, "rules", "import", dir.resolve("nope").toString());

        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.err()).contains("error[input_not_found]").contains("no .yml or .yaml files").contains("fix:");
        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("error[input_not_found]").contains("nope");
    }

    @Test
    void ingestRaisesTheAlertAndAlertsShowItWithTheEventId() {
        vigil(data, "rules", "import", rules.toString());

        Run ingest = vigil(data, "ingest", events.toString(), "--json");
        Run alerts = vigil(data, "alerts", "--json");

        assertThat(ingest.exit()).as("%s", ingest).isZero();
        assertThat(ingest.json().get("alerts").asLong()).isEqualTo(1);
        assertThat(alerts.exit()).as("%s", alerts).isZero();
        assertThat(alerts.json()).hasSize(1);
        JsonNode alert = alerts.json().get(0);
        assertThat(alert.get("rule_id").asString()).isEqualTo(MATCHING_ID);
        assertThat(alert.get("title").asString()).isEqualTo("Echo Through A Numbered Cmd");
        assertThat(alert.get("level").asString()).isEqualTo("high");
        assertThat(alert.get("time").asString()).isEqualTo("2024-05-01T12:00:00.030Z");
        assertThat(alert.get("techniques")).extracting(JsonNode::asString).containsExactly("T1059.003");
        assertThat(alert.get("table").asString()).isEqualTo("SysmonEvent");
        assertThat(alert.get("matched_fields").get("Image").asString()).endsWith("cmd3.exe");
        assertThat(alert.get("entities")).anySatisfy(e -> {
            assertThat(e.get("kind").asString()).isEqualTo("host");
            assertThat(e.get("value").asString()).isEqualTo("ws3.corp.local");
        });
        String eventId = vigil(data, "sql", "SELECT event_id FROM SysmonEvent WHERE Image LIKE '%cmd3.exe'", "--json")
                .json().get("rows").get(0).get(0).asString();
        assertThat(alert.get("event_ids")).extracting(JsonNode::asString).containsExactly(eventId);
    }

    @Test
    void alertsForPeopleAreATableAndFiltersApply() {
        vigil(data, "rules", "import", rules.toString());
        vigil(data, "ingest", events.toString());

        Run table = vigil(data, "alerts");
        Run critical = vigil(data, "alerts", "--level", "critical", "--json");
        Run otherRule = vigil(data, "alerts", "--rule", OKTA_ID, "--json");
        Run recent = vigil(data, "alerts", "--since", "1h", "--json");
        Run old = vigil(data, "alerts", "--since", "2024-05-01", "--json");

        assertThat(table.out()).containsPattern("TIME \\(UTC\\)\\s+LEVEL\\s+TITLE")
                .containsPattern("2024-05-01 12:00:00\\s+high\\s+Echo Through A Numbered Cmd\\s+ws3.corp.local")
                .contains("(1 of 1 alerts");
        assertThat(critical.json()).isEmpty();
        assertThat(otherRule.json()).isEmpty();
        assertThat(recent.json()).as("the events are from 2024").isEmpty();
        assertThat(old.json()).hasSize(1);
    }

    @Test
    void ingestOfATenantWithoutRulesHasNoAlertsInItsSummary() {
        Run ingest = vigil(data, "ingest", events.toString(), "--json");

        assertThat(ingest.json().has("alerts")).isFalse();
        assertThat(vigil(data, "alerts", "--json").json()).isEmpty();
        assertThat(vigil(data, "alerts").out()).contains("has no alerts");
    }

    @Test
    void detectFindsWhatWasStoredBeforeTheRulesAndARerunStoresNothingTwice() {
        vigil(data, "ingest", events.toString());
        vigil(data, "rules", "import", rules.toString());

        Run first = vigil(data, "detect", "--json");
        Run second = vigil(data, "detect", "--json");

        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(first.json().get("events_scanned").asLong()).isEqualTo(5);
        assertThat(first.json().get("rules").asInt()).isEqualTo(1);
        assertThat(first.json().get("alerts").asLong()).isEqualTo(1);
        assertThat(first.json().get("alerts_new").asLong()).isEqualTo(1);
        assertThat(first.json().get("by_rule").get(0).get("rule_id").asString()).isEqualTo(MATCHING_ID);
        assertThat(second.json().get("alerts").asLong()).isEqualTo(1);
        assertThat(second.json().get("alerts_new").asLong()).isZero();
        assertThat(second.json().get("alerts_already_stored").asLong()).isEqualTo(1);
        assertThat(vigil(data, "alerts", "--json").json()).hasSize(1);
        assertThat(vigil(data, "rules", "list", "--json").json().get("rules").get(0).get("hits").asLong())
                .as("hits add up over runs").isEqualTo(2);
    }

    @Test
    void detectOnIngestedAlertsAddsNothingAndCanBeLimitedToOneRuleOrATime() {
        vigil(data, "rules", "import", rules.toString());
        vigil(data, "ingest", events.toString());

        Run one = vigil(data, "detect", "--rule", MATCHING_ID, "--since", "2024-05-01T12:00:00.025Z", "--json");
        Run later = vigil(data, "detect", "--since", "2024-05-01T12:00:00.035Z", "--json");
        Run human = vigil(data, "detect");

        assertThat(one.json().get("events_scanned").asLong()).isEqualTo(2);
        assertThat(one.json().get("alerts").asLong()).isEqualTo(1);
        assertThat(one.json().get("alerts_new").asLong()).isZero();
        assertThat(later.json().get("alerts").asLong()).isZero();
        assertThat(human.out()).contains("Ran 1 rules over 5 events (SysmonEvent)")
                .containsPattern("alerts\\s+1\\s+\\(new 0, already stored 1\\)").contains(MATCHING_ID);
    }

    @Test
    void detectNamesAnUnknownOrInactiveRule() {
        vigil(data, "rules", "import", rules.toString());

        Run unknown = vigil(data, "detect", "--rule", "no-such-rule");
        Run inactive = vigil(data, "detect", "--rule", OKTA_ID);
        Run fresh = vigil(data, "detect", "--tenant", "fresh");

        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.err()).contains("error[rule_not_found]").contains("'no-such-rule'").contains("fix:");
        assertThat(inactive.exit()).isEqualTo(2);
        assertThat(inactive.err()).contains("cannot run").contains("Okta");
        assertThat(fresh.exit()).isEqualTo(3);
        assertThat(fresh.err()).contains("error[rule_not_found]").contains("'fresh' has no enabled rule")
                .contains("vigil rules import");
        assertThat(data.resolve("tenants").resolve("fresh")).doesNotExist();
    }

    @Test
    void aDisabledRuleRaisesNoAlertUntilEnabledAgain() {
        vigil(data, "rules", "import", rules.toString(), "--tenant", "fresh");

        Run disable = vigil(data, "rules", "disable", MATCHING_ID, "--tenant", "fresh");
        Run ingest = vigil(data, "ingest", events.toString(), "--tenant", "fresh", "--json");

        assertThat(disable.exit()).as("%s", disable).isZero();
        assertThat(disable.out()).contains("Disabled 1 rule of tenant 'fresh'").contains(MATCHING_ID);
        assertThat(ingest.json().has("alerts")).as("no rule runs").isFalse();
        assertThat(vigil(data, "alerts", "--tenant", "fresh", "--json").json()).isEmpty();
        Run list = vigil(data, "rules", "list", "--tenant", "fresh", "--json");
        assertThat(list.json().get("rules").get(0).get("enabled").asBoolean()).isFalse();
        assertThat(vigil(data, "detect", "--rule", MATCHING_ID, "--tenant", "fresh").err())
                .contains("is disabled").contains("vigil rules enable " + MATCHING_ID);

        assertThat(vigil(data, "rules", "import", rules.toString(), "--tenant", "fresh", "--json").json()
                .get("loaded").asInt()).isEqualTo(1);
        assertThat(vigil(data, "rules", "list", "--tenant", "fresh", "--json").json().get("rules").get(0)
                .get("enabled").asBoolean()).as("a re-import keeps it disabled").isFalse();

        Run enable = vigil(data, "rules", "enable", MATCHING_ID, "--tenant", "fresh", "--json");
        assertThat(enable.json().get("changed").asInt()).isEqualTo(1);
        assertThat(vigil(data, "detect", "--tenant", "fresh", "--json").json().get("alerts_new").asLong())
                .isEqualTo(1);
    }

    @Test
    void enablingAnUnknownRuleIsNotFoundAndNamesIt() {
        vigil(data, "rules", "import", rules.toString());

        Run run = vigil(data, "rules", "enable", MATCHING_ID, "no-such-rule");
        Run json = vigil(data, "rules", "disable", "no-such-rule", "--json");
        Run noTenant = vigil(data, "rules", "disable", MATCHING_ID, "--tenant", "nobody");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).startsWith("vigil: error[rule_not_found]: no rule 'no-such-rule'")
                .contains("nothing was changed").contains("fix: Run `vigil rules list`");
        assertThat(json.errorJson().get("error").get("code").asString()).isEqualTo("rule_not_found");
        assertThat(noTenant.exit()).isEqualTo(3);
        assertThat(noTenant.err()).contains("'nobody' has no rules").contains("vigil rules import");
    }

    @Test
    void rulesListShowsRunnableRulesAndWithAllTheOthersWithTheirReason() {
        vigil(data, "rules", "import", rules.toString());

        Run list = vigil(data, "rules", "list");
        Run all = vigil(data, "rules", "list", "--all", "--json");

        assertThat(list.out()).containsPattern("ID\\s+TITLE\\s+LEVEL\\s+STATE\\s+ENABLED\\s+TABLES\\s+HITS")
                .containsPattern(MATCHING_ID + "\\s+Echo Through A Numbered Cmd\\s+high\\s+active\\s+yes\\s+SysmonEvent")
                .doesNotContain(OKTA_ID).contains("1 active (0 of them disabled), 1 inactive, 0 failed");
        assertThat(all.json().get("rules")).extracting(r -> r.get("id").asString() + " " + r.get("state").asString())
                .containsExactly(MATCHING_ID + " active", OKTA_ID + " inactive");
        assertThat(all.json().get("rules").get(1).get("reason").asString()).contains("Okta");
        assertThat(vigil(data, "rules", "list", "--tenant", "nobody").out()).contains("has no rules yet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"detect", "alerts"})
    void aBadSinceIsAUsageErrorNamingTheValueAndTheAcceptedForms(String command) {
        vigil(data, "rules", "import", rules.toString());

        Run run = vigil(data, command, "--since", "yesterday");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("vigil: error[usage]: --since 'yesterday' is not a time")
                .contains("fix: Give --since a duration back from now such as 30d, 24h or 15m, or an ISO date or time");
    }

    @Test
    void aBadLevelIsAUsageErrorListingTheLevels() {
        Run run = vigil(data, "alerts", "--level", "severe");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("error[usage]").contains("severe").contains("informational, low, medium, high,"
                + " critical");
    }

    @Test
    void nestedCommandsAreAuditedWithTheirPathAndTenant() throws IOException {
        vigil(data, "rules", "import", rules.toString(), "--tenant", "acme");

        List<String> audit = Files.readAllLines(data.resolve("logs").resolve("vigil.log")).stream()
                .filter(line -> line.contains("{\"audit\":\"true\"}")).toList();

        assertThat(audit).singleElement().asString().contains("{\"command\":\"rules import\"}",
                "{\"tenant\":\"acme\"}", "{\"exit_code\":\"7\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules", "rules import", "rules list", "rules enable", "rules disable", "detect", "alerts"})
    void everyNewCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        Run run = vigil(args.toArray(String[]::new));

        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).contains("Usage: vigil " + command).contains("--help");
        assertThat(run.err()).isEmpty();
    }
}
