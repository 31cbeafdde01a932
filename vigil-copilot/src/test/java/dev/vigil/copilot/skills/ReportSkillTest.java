package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentUpdate;
import dev.vigil.incident.ResponseAction;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.BuiltinRules;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.store.IncidentCase;
import dev.vigil.store.RuleFile;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code security-report} skill over the demo organization with its built-in rules stored, the small
 * organization's inventory, one earlier posture analysis, and some analyst work: one incident taken up, one resolved
 * as a true positive, and a containment action approved on a critical one. ATT&amp;CK and KEV are imported when shared
 * data has them.
 *
 * <p>The demo's sshd syslog lines carry no year, so ingestion dates them in the current year: the SSH brute force
 * incident lies outside the reported periods, which hold the other three incidents (the spray, the phishing intrusion
 * and the exfiltration through the firewall).
 */
@SuppressWarnings("unchecked")
@DisplayName("Security report skill")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportSkillTest {
    static final TenantId DEMO = TenantId.of("demo");
    static final Principal ANALYST = new Principal("analyst", Role.ANALYST);
    /** The report runs a day after the demo's data ends. */
    static final Instant NOW = DemoTenant.END.plus(Duration.ofDays(1));

    TenantStore store;
    Workspace workspace;
    SecurityReportSkill skill;
    final SkillContext context = new SkillContext(new Principal("reader", Role.READER), NOW, ZoneOffset.UTC,
            line -> { });
    long resolved;
    long taken;
    long contained;

    @BeforeAll
    void seed() {
        Path data = SkillTenant.knowledgeDirectory();
        DemoTenant.seed(data, DEMO, DemoTenant.DAY);
        store = TenantStore.open(data, DEMO, TenantStore.Mode.READ_WRITE);
        workspace = new Workspace(DemoTenant.config(data, DEMO), store);
        storeBuiltinRules(store);
        store.posture().replace("inventory.json", PostureFixture.organization());
        store.commit();
        store.posture().record(workspace.posture(DemoTenant.END.minus(Duration.ofDays(7))));
        store.commit();

        List<Incident> incidents = store.incidents().list(ANALYST, Optional.empty(), Optional.empty(), 100);
        Instant opened = incidents.get(0).created();
        // the exploited wiki is resolved, the spray (with the sign-in it won) taken, the phishing intrusion contained
        resolved = incidents.stream().filter(i -> i.severity().equals("high")).findFirst().orElseThrow().number();
        taken = incidents.stream().filter(i -> i.title().startsWith("Password Spray")).findFirst().orElseThrow()
                .number();
        contained = incidents.stream().filter(i -> i.title().contains("LSASS")).findFirst().orElseThrow().number();
        store.incidents().update(ANALYST, resolved, IncidentUpdate.none().withOwner("alice"),
                opened.plus(Duration.ofMinutes(30)));
        store.incidents().update(ANALYST, resolved, IncidentUpdate.none().withStatus(Incident.Status.RESOLVED)
                .withClassification(Incident.Classification.TRUE_POSITIVE, "data exfiltration"),
                opened.plus(Duration.ofHours(3)));
        store.incidents().update(ANALYST, taken, IncidentUpdate.none().withOwner("bob"),
                opened.plus(Duration.ofMinutes(90)));
        IncidentCase critical = IncidentCase.load(store, ANALYST, contained, workspace.attack(),
                workspace.config().correlationPolicy());
        ResponseAction proposed = critical.actions().stream()
                .filter(a -> a.status() == ResponseAction.Status.PROPOSED).findFirst().orElseThrow();
        critical.approve(store, ANALYST, proposed.id().toString(), Optional.empty(), opened.plus(Duration.ofHours(1)));
        store.commit();
        skill = new SecurityReportSkill(workspace);
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** Stores the built-in rule pack as {@code vigil rules import --builtin} does: every rule enabled and active. */
    static void storeBuiltinRules(TenantStore store) {
        List<RuleFile> files = new ArrayList<>();
        for (BuiltinRules.File file : BuiltinRules.files()) {
            List<RuleRow> rows = new ArrayList<>();
            for (SigmaDocument document : SigmaParser.parse(file.yaml(), file.source())) {
                SigmaDocument.Meta meta = document.meta();
                if (meta.reference() == null || document instanceof SigmaDocument.Filter) {
                    continue;
                }
                rows.add(RuleRow.imported(meta.reference(), document instanceof SigmaDocument.Rule
                        ? RuleRow.Kind.RULE : RuleRow.Kind.CORRELATION, meta.title(), meta.level(), meta.status(),
                        file.source(), List.of(), RuleRow.State.ACTIVE, ""));
            }
            files.add(new RuleFile(file.source(), file.yaml(), rows));
        }
        store.putRuleFiles(files);
        store.commit();
    }

    SkillResult run(Optional<TimeRange> time, String... inputs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i += 2) {
            values.put(inputs[i], List.of(inputs[i + 1]));
        }
        SkillResult result = skill.run(new SkillCall(SecurityReportSkill.NAME, values, time), context);
        assertThat(result.skill()).isEqualTo(SecurityReportSkill.NAME);
        Grounding.assertGrounded(result);
        Answers.assertEvidenceWellFormed(result);
        return result;
    }

    SkillResult run(String... inputs) {
        return run(Optional.empty(), inputs);
    }

    static List<String> headings(SkillResult result) {
        return result.markdown().lines().filter(l -> l.startsWith("## ")).map(l -> l.substring(3)).toList();
    }

    @Test
    void isABuiltInReportsSkillWithAKindAndAnOptionalIncident() {
        assertThat(skill.spec().name()).isEqualTo("security-report");
        assertThat(skill.spec().category()).isEqualTo("reports");
        assertThat(skill.spec().input("kind").orElseThrow().choices()).containsExactly("executive", "incident",
                "posture", "weekly");
        SkillInput incident = skill.spec().input("incident").orElseThrow();
        assertThat(incident.type()).isEqualTo(EntityType.INCIDENT);
        assertThat(incident.required()).isFalse();
        assertThat(skill.spec().examples()).hasSizeBetween(5, 6).contains("Weekly SOC report");
        assertThat(Copilots.builtInSkills(workspace)).extracting(s -> s.spec().name()).contains("security-report");
    }

    @Test
    void theExecutiveSummaryCoversTheLast30DaysWithIncidentsMetricsThreatsPostureAndActions() {
        SkillResult result = run();

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(Answers.firstSentence(result)).isEqualTo("Security report for tenant 'demo', 2029-12-06 to"
                + " 2030-01-04 (last 30 days): executive summary.");
        // the executive template gives response times a section of their own
        assertThat(headings(result)).containsExactly("Incidents", "Response times", "Top threats",
                "ATT&CK techniques", "Posture", "Key risks and recommended actions");
        assertThat(result.facts()).containsEntry("kind", "executive").containsEntry("tenant", "demo")
                .containsEntry("incidents", 4L).containsEntry("by_severity", Map.of("critical", 3L, "high", 1L))
                .containsEntry("mtta_minutes", 60L).containsEntry("mttr_minutes", 180L)
                .containsEntry("mttr_hours", 3.0).containsEntry("acknowledged", 2).containsEntry("resolved", 1);
        assertThat(result.markdown())
                .contains("4 incidents were active in the period: 3 critical and 1 high; 3 new and 1 resolved.")
                .contains("Mean time to acknowledge was 60 minutes (over 2 acknowledged incidents); mean time to"
                        + " resolve was 3.0 hours (over 1 resolved incident).")
                .contains("- #" + contained + " ").contains("The exposure score is ")
                .contains("- Incident #").contains("- Posture: ");
        assertThat((Long) result.facts().get("alerts")).isPositive();
        assertThat((Long) result.facts().get("techniques")).isPositive();
        assertThat(result.facts()).containsKeys("score", "findings", "known_exploited", "top_threats",
                "top_techniques", "history_points");
        assertThat(result.charts()).extracting(Chart::kind).contains(Chart.Kind.DONUT);
        assertThat(Answers.refs(result)).contains("incident:" + contained).anyMatch(r -> r.startsWith("finding:"))
                .anyMatch(r -> r.startsWith("attack:T"));
        assertThat(result.followUps()).contains("Weekly SOC report");
    }

    @Test
    void theWeeklyReportCountsAlertsPerDayRulesHostsIncidentsAndCoverage() {
        SkillResult result = run("kind", "weekly");

        assertThat(Answers.firstSentence(result)).isEqualTo("Security report for tenant 'demo', 2029-12-29 to"
                + " 2030-01-04 (last 7 days): weekly SOC report.");
        assertThat(headings(result)).containsExactly("Alert volume", "Rules", "Hosts", "Incidents",
                "Detection coverage");
        Map<String, Long> perDay = (Map<String, Long>) result.facts().get("alerts_per_day");
        assertThat(perDay).hasSize(7).containsKeys("2030-01-01", "2030-01-03").containsEntry("2029-12-29", 0L);
        assertThat(perDay.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(result.facts().get("alerts"));
        assertThat(result.charts()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Chart.Kind.LINE);
            assertThat(c.labels()).hasSize(7);
        });

        SkillResult alerts = new AlertsListSkill(workspace).run(new SkillCall("alerts-list", Map.of(),
                Optional.of(new TimeRange(NOW.minus(Duration.ofDays(7)), NOW, "last 7 days"))), context);
        assertThat(result.facts()).containsEntry("alerts", alerts.facts().get("count"))
                .containsEntry("top_rule", alerts.facts().get("top_rule"))
                .containsEntry("top_host", alerts.facts().get("top_host"))
                .containsEntry("incidents", 4L).containsEntry("new_incidents", 4L)
                .containsEntry("resolved_incidents", 1L).containsEntry("open_incidents", 3L);
        assertThat((Integer) result.facts().get("enabled_rules")).isPositive();
        assertThat((Integer) result.facts().get("covered_techniques")).isPositive();
        assertThat((Long) result.facts().get("seen_techniques")).isPositive()
                .isGreaterThanOrEqualTo((Long) result.facts().get("seen_covered"));
        assertThat(result.markdown()).contains("The most frequent is \"" + alerts.facts().get("top_rule") + "\"")
                .contains("enabled detection rules cover ");
    }

    @Test
    void anIncidentReportTellsSummaryTimelineEntitiesClassificationActionsMappingAndFollowUps() {
        SkillResult result = run("kind", "incident", "incident", "#" + contained);

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(Answers.firstSentence(result)).startsWith("Security report for tenant 'demo', 2030-01-0")
                .contains(": incident #" + contained + ", \"");
        assertThat(headings(result)).containsExactly("Summary", "Timeline", "Entities", "Classification",
                "Actions taken", "ATT&CK mapping", "Follow-ups");
        assertThat(result.facts()).containsEntry("incident", contained).containsEntry("severity", "critical")
                .containsEntry("actions_taken", 1).containsKeys("tactics", "techniques", "entities");
        assertThat(result.markdown()).contains(": approved by analyst at ").contains("Not classified yet");
        assertThat(result.subjects()).first().hasToString("incident:" + contained);

        SkillResult closed = run("incident", Long.toString(resolved));
        assertThat(closed.facts()).containsEntry("kind", "incident").containsEntry("classification",
                "true-positive");
        assertThat(closed.markdown()).contains("Classified true-positive")
                .contains("analyst changed owner to alice at ")
                .doesNotContain("Not classified yet");
        assertThat(closed.markdown().substring(closed.markdown().indexOf("## Follow-ups")))
                .doesNotContain("Classify as");
    }

    @Test
    void anIncidentReportWithoutAnIncidentFailsAndNamesTheOpenIncidents() {
        SkillResult result = run("kind", "incident");

        assertThat(result.status()).isEqualTo(SkillResult.Status.FAILED);
        List<Long> open = (List<Long>) result.facts().get("open_incidents");
        assertThat(open).hasSize(3).doesNotContain(resolved).contains(contained, taken);
        assertThat(result.markdown()).startsWith("An incident report needs the incident's number. The open"
                + " incidents of tenant 'demo' are #");
        open.forEach(n -> assertThat(result.markdown()).contains("#" + n + " "));
        assertThat(result.followUps()).contains("Incident report for incident " + open.get(0));
    }

    @Test
    void thePostureReportStatesScoreDecisionsKnownExploitedAssetsAndPlan() {
        SkillTenant.requireKev();
        SkillResult result = run("kind", "posture");

        assertThat(Answers.firstSentence(result)).isEqualTo("Security report for tenant 'demo', as of 2030-01-05:"
                + " security posture.");
        assertThat(headings(result)).containsExactly("Exposure", "Findings by decision",
                "Known-exploited vulnerabilities", "Most exposed assets", "Remediation plan");
        assertThat(result.markdown()).contains(PostureSkillsTest.CITRIX_BLEED + " in NetScaler ADC")
                .contains("on gw01, CISA due 2023-11-08 (past due)").contains("- gw01 (critical, internet-facing): ")
                .contains("1. ");
        assertThat(result.facts()).containsKeys("score", "by_decision", "first_step", "kev_catalog")
                .hasEntrySatisfying("top_assets", assets -> assertThat((List<String>) assets).first()
                        .isEqualTo(PostureFixture.GATEWAY));
        assertThat((Integer) result.facts().get("known_exploited")).isPositive();
        assertThat(result.charts()).extracting(Chart::kind).contains(Chart.Kind.DONUT);
    }

    @Test
    void aPeriodBeforeTheDataSaysSoAndWhereTheAlertsLie() {
        Optional<TimeRange> june = Optional.of(new TimeRange(Instant.parse("2029-06-01T00:00:00Z"),
                Instant.parse("2029-07-01T00:00:00Z"), "June 2029"));
        for (String kind : List.of("executive", "weekly")) {
            SkillResult result = run(june, "kind", kind);

            assertThat(result.status()).as(kind).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(Answers.firstSentence(result)).as(kind).startsWith("Security report for tenant 'demo',"
                    + " 2029-06-01 to 2029-06-30 (June 2029): ");
            assertThat(result.markdown()).as(kind).contains("No incident was active and no alert fired in this"
                    + " period. The tenant's ").contains(" alerts run from ").contains(" to 2030-01-02T");
            assertThat(result.facts()).as(kind).containsEntry("incidents", 0L).containsEntry("alerts", 0L);
        }
    }
}
