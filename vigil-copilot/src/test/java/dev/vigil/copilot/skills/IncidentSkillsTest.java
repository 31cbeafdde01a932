package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.TimeRange;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The incident, alert, account and host skills over the demo organization: the password spray against jamal.novak,
 * the phishing intrusion on WS007 and the SSH brute force against web01, ingested through the built-in rules and
 * correlated into incidents. A second tenant holds the same organization one year later, and no answer of the first
 * ever shows it.
 */
@SuppressWarnings("unchecked")
@DisplayName("Incident, alert, account and host skills")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentSkillsTest {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");

    @TempDir
    static Path data;

    TenantStore store;
    Map<String, Skill> skills;
    final SkillContext context = new SkillContext(new Principal("analyst", Role.READER), DemoTenant.END,
            ZoneOffset.UTC, line -> { });

    @BeforeAll
    void seed() {
        DemoTenant.seed(data, GLOBEX, DemoTenant.DAY.plusYears(1));
        store = seeded(data);
        skills = new LinkedHashMap<>();
        for (Skill skill : IncidentSkills.all(new Workspace(DemoTenant.config(data, ACME), store))) {
            skills.put(skill.spec().name(), skill);
        }
    }

    @AfterAll
    void close() {
        store.close();
    }

    /** Seeds the demo organization in tenant acme, its incidents correlated, and opens its store for the skills. */
    TenantStore seeded(Path data) {
        DemoTenant.seed(data, ACME, DemoTenant.DAY);
        return TenantStore.open(data, ACME, TenantStore.Mode.READ_ONLY);
    }

    SkillResult run(String skill, Object... inputs) {
        return run(skill, Optional.empty(), inputs);
    }

    SkillResult run(String skill, Optional<TimeRange> time, Object... inputs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i += 2) {
            values.put((String) inputs[i], List.of(inputs[i + 1].toString()));
        }
        SkillResult result = skills.get(skill).run(new SkillCall(skill, values, time), context);
        assertThat(result.skill()).isEqualTo(skill);
        Answers.assertGrounded(result);
        Answers.assertEvidenceWellFormed(result);
        return result;
    }

    /** The number of the incident whose title starts with the words. */
    long incident(String title) {
        return store.incidents().list(context.principal(), Optional.empty(), Optional.empty(), 100).stream()
                .filter(i -> i.title().startsWith(title)).findFirst().orElseThrow().number();
    }

    static TimeRange range(String from, String to, String text) {
        return new TimeRange(Instant.parse(from), Instant.parse(to), text);
    }

    @Test
    void offersEachSkillUnderTheNameThePlannerUses() {
        assertThat(skills.keySet()).containsExactly("incidents-list", "incident-summary", "incident-entities",
                "incident-timeline", "incident-impact", "incident-response", "alerts-list", "user-analysis",
                "host-analysis");
        assertThat(skills.get("incidents-list").spec().input("status").orElseThrow().choices())
                .containsExactly("open", "new", "active", "resolved");
        assertThat(skills.get("incident-response").spec().input("phase").orElseThrow().choices())
                .containsExactly("triage", "containment", "investigation", "remediation");
        assertThat(skills.get("user-analysis").spec().requiredInputs()).extracting(i -> i.name()).containsExactly("user");
        assertThat(skills.get("host-analysis").spec().requiredInputs()).extracting(i -> i.type())
                .containsExactly(EntityType.HOST);
        assertThat(skills.values()).allSatisfy(s -> assertThat(s.spec().examples()).hasSizeGreaterThanOrEqualTo(3));
    }

    @Nested
    @DisplayName("incidents-list")
    class IncidentsList {
        @Test
        void listsTheIncidentsMostSevereFirstAndStatesTheScope() {
            SkillResult result = run("incidents-list");

            assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(Answers.firstSentence(result)).startsWith("There are 4 incidents in tenant 'acme' (all stored"
                    + " data, from ").contains(": 3 critical and 1 high");
            assertThat(result.facts()).containsEntry("count", 4L).containsEntry("tenant", "acme");
            assertThat(result.tables().get(0).column("severity")).containsExactly("critical", "critical", "critical",
                    "high");
            assertThat(result.subjects()).first().isEqualTo(new EntityRef(EntityType.INCIDENT,
                    result.facts().get("top_incident").toString()));
            assertThat(result.queries()).first().satisfies(q -> {
                assertThat(q.language()).isEqualTo("incidents");
                assertThat(q.text()).isEqualTo("incidents order by severity, last seen limit 20");
                assertThat(q.rows()).isEqualTo(4);
            });
            assertThat(Answers.refs(result)).contains("incident:1");
            assertThat(result.followUps()).hasSizeBetween(2, 4);
        }

        @Test
        void filtersByHostAccountAndSeverity() {
            long phishing = incident("Process Opens LSASS");
            assertThat(run("incidents-list", "host", "WS007.kestrel.local").facts().get("incidents"))
                    .isEqualTo(List.of(phishing));
            assertThat(run("incidents-list", "user", "quinn.kim@kestrelfreight.example").facts().get("incidents"))
                    .isEqualTo(List.of(phishing));
            assertThat(run("incidents-list", "severity", "critical").facts()).containsEntry("count", 3L);
            assertThat(run("incidents-list", "status", "open").facts()).containsEntry("count", 4L);
        }

        @Test
        void explainsAnEmptyListAndWhatTheTenantHolds() {
            SkillResult result = run("incidents-list", "status", "resolved");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("No incident with status resolved in tenant 'acme'")
                    .contains("Without these filters the tenant has 4 incidents, 4 of them open.");
        }

        @Test
        void keepsToTheTimeRange() {
            SkillResult result = run("incidents-list", Optional.of(range("2029-06-01T00:00:00Z",
                    "2029-06-02T00:00:00Z", "1 June 2029")));

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).contains("1 June 2029 (2029-06-01T00:00:00Z to 2029-06-02T00:00:00Z)");
            assertThat(result.facts()).containsEntry("from", "2029-06-01T00:00:00Z");
        }
    }

    @Nested
    @DisplayName("incident-summary and the other incident skills")
    class OneIncident {
        @Test
        void summarizesTheIncidentInItsFirstSentence() {
            long number = incident("Process Opens LSASS");
            SkillResult result = run("incident-summary", "incident", "#" + number);

            assertThat(Answers.firstSentence(result)).startsWith("Incident #" + number + " is a critical-severity"
                    + " incident, \"Process Opens LSASS Memory for Reading on ws007").contains("new and unassigned",
                    "4 alerts", "host ws007");
            assertThat(result.facts()).containsEntry("incident", number).containsEntry("severity", "critical")
                    .containsEntry("status", "new").containsEntry("alerts", 4).containsKeys("score", "tactics",
                    "hosts", "users");
            assertThat((List<Object>) result.facts().get("hosts")).contains("ws007");
            assertThat(Answers.refs(result)).contains("incident:" + number).anyMatch(r -> r.startsWith("alert:"));
            assertThat(result.subjects()).startsWith(new EntityRef(EntityType.INCIDENT, Long.toString(number)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.vigil.copilot.skills.IncidentSkillsTest#incidentSkills")
        void answersThatAnUnknownIncidentDoesNotExistAndOffersTheOpenOnes(String skill) {
            SkillResult result = run(skill, "incident", "99");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("There is no incident #99 in tenant 'acme'; the open ones are #");
            assertThat(result.facts()).containsEntry("found", false);
            assertThat(result.subjects()).hasSize(4);
        }

        @Test
        void refusesAnInputThatIsNoNumber() {
            VigilException error = catchThrowableOfType(VigilException.class,
                    () -> run("incident-summary", "incident", "the bad one"));
            assertThat(error.code()).isEqualTo(ErrorCode.USAGE);
        }

        @Test
        void listsTheEntitiesWithTheirRoles() {
            long number = incident("Password Spray");
            SkillResult result = run("incident-entities", "incident", number);

            assertThat(Answers.firstSentence(result)).startsWith("Incident #" + number + " involves ");
            assertThat(result.tables().get(0).columns()).containsSequence("role", "kind", "entity", "alerts", "why");
            assertThat(result.tables().get(0).column("entity")).contains("203.0.113.50");
            // the spray's address is the source of the sign-in it won: the attacker; the account it broke into, a victim
            assertThat(result.tables().get(0).rows()).anySatisfy(row -> assertThat(row).startsWith("attacker", "ip",
                    "203.0.113.50", 4));
            assertThat(result.tables().get(0).rows()).anySatisfy(row -> assertThat(row).startsWith("victim", "user",
                    "jamal.novak", 1));
            assertThat(result.facts()).containsKeys("attackers", "victims", "privileged");
            assertThat(result.subjects()).contains(new EntityRef(EntityType.IP, "203.0.113.50"));
            assertThat(Answers.refs(result)).anyMatch(r -> r.startsWith("alert:"));
        }

        @Test
        void putsTheTimelineInOrderWithEvidencePerStep() {
            long number = incident("Process Opens LSASS");
            SkillResult result = run("incident-timeline", "incident", number);

            assertThat(Answers.firstSentence(result)).startsWith("Incident #" + number + " runs from ");
            List<Object> times = result.tables().get(0).column("time (UTC)");
            assertThat(times).isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
            assertThat(result.facts()).containsEntry("alerts", 4).containsKeys("first", "last", "entries");
            assertThat(result.evidence()).isNotEmpty().allSatisfy(e -> assertThat(e.refs()).isNotEmpty());
        }

        @Test
        void assessesImpactAndPhrasesActorsAsHypotheses() {
            long number = incident("Password Spray");
            SkillResult result = run("incident-impact", "incident", number);

            assertThat(Answers.firstSentence(result)).startsWith("Incident #" + number + " has an impact score of "
                    + result.facts().get("score") + " of 100");
            assertThat(result.facts()).containsKeys("hosts", "users", "privileged", "criticality", "factors",
                    "external_addresses");
            assertThat((List<Object>) result.facts().get("external_addresses")).contains("203.0.113.50");
            assertThat(result.markdown()).contains("Likely source:");
            assertThat(result.markdown()).doesNotContainIgnoringCase("attributed to");
        }

        @Test
        void groupsGuidedResponseByPhaseAndFiltersOnOne() {
            long number = incident("Process Opens LSASS");
            SkillResult all = run("incident-response", "incident", number);
            SkillResult containment = run("incident-response", "incident", number, "phase", "containment");

            assertThat(Answers.firstSentence(all)).startsWith("For incident #" + number + ", guided response gives ");
            assertThat(all.markdown()).contains("**Triage**", "**Containment**");
            assertThat(all.tables().get(0).column("phase")).contains("triage", "containment");
            assertThat(containment.tables().get(0).column("phase")).containsOnly("containment");
            assertThat(containment.tables().get(0).column("state")).contains("proposed");
            assertThat(containment.facts()).containsEntry("phase", "containment").containsEntry("approved", 0);
            assertThat(containment.subjects()).contains(new EntityRef(EntityType.HOST, "ws007"));
        }
    }

    static Stream<Arguments> incidentSkills() {
        return Stream.of("incident-summary", "incident-entities", "incident-timeline", "incident-impact",
                "incident-response").map(Arguments::of);
    }

    @Nested
    @DisplayName("alerts-list")
    class AlertsList {
        @Test
        void countsTheAlertsAndNamesTheTopRuleAndHost() {
            SkillResult result = run("alerts-list");

            assertThat(Answers.firstSentence(result)).startsWith("There are 16 alerts in tenant 'acme' (all stored"
                    + " data, from ").contains("from 8 rules", "the most frequent is \"Web Application Starts a Shell"
                    + " on Linux\" (high, 6 alerts)", "the host with most alerts is wiki01 (6)");
            assertThat(result.facts()).containsEntry("count", 16L).containsEntry("rules", 8L)
                    .containsEntry("top_rule", "Web Application Starts a Shell on Linux");
            assertThat(result.charts()).singleElement().satisfies(c -> assertThat(c.labels()).hasSize(8));
            assertThat(Answers.refs(result)).anyMatch(r -> r.startsWith("alert:"));
            assertThat(result.queries()).allSatisfy(q -> assertThat(q.language()).isEqualTo("sql"));
        }

        @Test
        void filtersByHostSeverityAddressAndRule() {
            assertThat(run("alerts-list", "host", "ws007").facts()).containsEntry("count", 3L)
                    .containsEntry("top_host", "ws007");
            assertThat(run("alerts-list", "severity", "critical").facts()).containsEntry("count", 3L);
            assertThat(run("alerts-list", "ip", "203.0.113.50").facts()).containsEntry("count", 4L);
            assertThat(run("alerts-list", "rule", "SSH Brute Force").facts()).containsEntry("count", 1L);
        }

        @Test
        void saysWhenMatchingAlertsLieOutsideTheTimeRange() {
            SkillResult result = run("alerts-list", Optional.of(range("2029-12-01T00:00:00Z", "2029-12-02T00:00:00Z",
                    "1 December 2029")), "host", "ws007");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("No alert with host ws007 in tenant 'acme' (1 December 2029")
                    .contains("Outside that time range 3 alerts match.");
        }
    }

    @Nested
    @DisplayName("user-analysis")
    class UserAnalysis {
        @Test
        void tellsWhatThePhishedAccountDidAndWhatStandsOut() {
            SkillResult result = run("user-analysis", "user", "KESTREL\\quinn.kim");

            assertThat(Answers.firstSentence(result)).startsWith("In all stored data, from ")
                    .contains("account quinn.kim ", "3 alerts and 1 incident name it");
            assertThat(result.facts()).containsEntry("user", "quinn.kim").containsEntry("alerts", 3L)
                    .containsKeys("signins", "signin_failures", "logons", "processes", "top_process", "hosts");
            assertThat((Long) result.facts().get("processes")).isPositive();
            assertThat((List<Object>) result.facts().get("hosts")).contains("ws007");
            assertThat((List<Object>) result.facts().get("incidents")).containsExactly(incident("Process Opens LSASS"));
            assertThat(result.queries()).extracting(q -> q.language()).contains("kql", "sql");
            assertThat(Answers.refs(result)).anyMatch(r -> r.startsWith("alert:")).contains("query:1");
            assertThat(result.subjects()).first().isEqualTo(new EntityRef(EntityType.USER, "quinn.kim"));
        }

        @Test
        void findsTheSprayedAccountsOneSignInFromTheSprayingAddress() {
            SkillResult result = run("user-analysis", "user", "jamal.novak");

            // a driver who signs in from a phone carrier's addresses, and once from the spraying address
            assertThat(result.facts()).containsEntry("signin_failures", 0L);
            assertThat((List<Object>) result.facts().get("signin_sources_once")).contains("203.0.113.50");
            assertThat(result.tables().get(0).column("address")).contains("203.0.113.50")
                    .allSatisfy(a -> assertThat(String.valueOf(a)).matches("203\\.0\\.113\\.50|100\\.64\\..*"));
        }

        @Test
        void explainsAnUnknownAccount() {
            SkillResult result = run("user-analysis", "user", "KESTREL\\nobody.here");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("No activity of account nobody.here is stored in tenant 'acme'"
                    + " (all stored data");
        }

        @Test
        void keepsToTheTimeRangeAndSaysWhenOlderDataExists() {
            SkillResult result = run("user-analysis", Optional.of(range("2030-01-05T00:00:00Z",
                    "2030-01-06T00:00:00Z", "5 January 2030")), "user", "jamal.novak");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).contains("Outside the time range");
            assertThat(result.queries()).first().satisfies(q -> assertThat(q.text())
                    .startsWith("// time window: 2030-01-05T00:00:00Z .. 2030-01-06T00:00:00Z"));
        }
    }

    @Nested
    @DisplayName("host-analysis")
    class HostAnalysis {
        @Test
        void tellsWhatRanOnThePhishedHostAndWhatStandsOut() {
            SkillResult result = run("host-analysis", "host", "WS007");

            assertThat(Answers.firstSentence(result)).startsWith("In all stored data, from ")
                    .contains("host ws007 shows");
            assertThat(result.facts()).containsEntry("host", "ws007").containsKeys("processes", "connections",
                    "logons", "alerts", "top_process");
            assertThat((List<Object>) result.facts().get("external_destinations"))
                    .contains(dev.vigil.demo.DemoOrganization.C2_ADDRESS);
            assertThat(result.facts()).containsKey("encoded_powershell");
            assertThat(Answers.refs(result)).anyMatch(r -> r.startsWith("event:"))
                    .anyMatch(r -> r.startsWith("alert:"));
            assertThat(result.tables()).anySatisfy(t -> assertThat(t.title()).startsWith("Processes started"));
        }

        @Test
        void explainsAnUnknownHost() {
            SkillResult result = run("host-analysis", "host", "nosuchhost");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("No activity of host nosuchhost is stored in tenant 'acme'");
        }

        @Test
        void keepsToTheTimeRange() {
            SkillResult day = run("host-analysis", Optional.of(range("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z",
                    "1 January 2030")), "host", "ws007");
            SkillResult all = run("host-analysis", "host", "ws007");

            assertThat((Long) day.facts().get("processes")).isLessThan((Long) all.facts().get("processes"));
            assertThat(day.markdown()).contains("1 January 2030 (2030-01-01T00:00:00Z to 2030-01-02T00:00:00Z)");
        }
    }

    @Test
    void neverShowsAnotherTenantsData() {
        // Globex holds the same organization a year later: none of its times may appear in Acme's answers.
        for (SkillResult result : List.of(run("incidents-list"), run("alerts-list"), run("host-analysis", "host",
                "ws007"), run("user-analysis", "user", "jamal.novak"))) {
            assertThat(result.toString()).doesNotContain("2031-");
            assertThat(result.facts()).containsEntry("tenant", "acme");
        }
    }
}
