package dev.vigil.copilot.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The planner's decisions, with word-overlap ranking (no embedding model) and a small reader that knows incident
 * numbers, a few hosts and addresses: direct calls, compound prompts, session references, questions back, data
 * questions and their follow-ups.
 */
class PlannerTest {
    static final Instant NOW = Instant.parse("2026-11-29T18:00:00Z");
    static final ZoneId UTC = ZoneId.of("UTC");

    static final List<SkillSpec> SKILLS = List.of(
            new SkillSpec("incident-summary", "incidents", "Summarize an incident",
                    List.of("summarize incident 12", "overview of incident 3"),
                    List.of(SkillInput.required("incident", EntityType.INCIDENT, "the incident number"))),
            new SkillSpec("incident-response", "incidents", "Guide the response to an incident: contain, remediate",
                    List.of("how do I contain incident 12", "remediation steps for incident 3"),
                    List.of(SkillInput.required("incident", EntityType.INCIDENT, "the incident number"),
                            SkillInput.choice("phase", "the phase", "containment", "remediation"))),
            new SkillSpec("host-analysis", "entities", "What a host did and what is unusual about it",
                    List.of("analyze host WS007", "what happened on host web01"),
                    List.of(SkillInput.required("host", EntityType.HOST, "the host"))),
            new SkillSpec("hunt", "hunting", "Run a hunting query", List.of("run this query"),
                    List.of(SkillInput.required("query", EntityType.TEXT, "the query"))));

    static final Planner.Data DATA = new Planner.Data() {
        @Override
        public Collection<String> tables() {
            return List.of("SecurityEvent", "SysmonEvent");
        }

        @Override
        public List<Planner.Candidate> candidates(EntityType type, int limit) {
            return type == EntityType.INCIDENT
                    ? List.of(new Planner.Candidate("12", "#12 Password spray"), new Planner.Candidate("14", "#14 Phishing"))
                    : List.of();
        }
    };

    /** Finds incident numbers, two hosts, IPv4 addresses and lsass. */
    static Reading read(String prompt, Instant now, ZoneId zone) {
        List<Mention> mentions = new ArrayList<>();
        Matcher m = Pattern.compile("(?i)incident (\\d+)|\\b(ws007|ws011)\\b|\\b(\\d+\\.\\d+\\.\\d+\\.\\d+)\\b|\\b(lsass)\\b")
                .matcher(prompt);
        while (m.find()) {
            if (m.group(1) != null) {
                mentions.add(new Mention(EntityType.INCIDENT, m.group(1), m.group(), m.start(), m.end(), 1));
            } else if (m.group(2) != null) {
                mentions.add(new Mention(EntityType.HOST, m.group(2).toUpperCase(), m.group(), m.start(), m.end(), 1));
            } else if (m.group(3) != null) {
                mentions.add(new Mention(EntityType.IP, m.group(3), m.group(), m.start(), m.end(), 1));
            } else {
                mentions.add(new Mention(EntityType.PROCESS, "lsass.exe", m.group(), m.start(), m.end(), 1));
            }
        }
        return new Reading(prompt, mentions, Optional.empty(), List.of(), List.of());
    }

    final Planner planner = new Planner(SKILLS,
            new SkillRanker(SKILLS, Optional.empty(), text -> Planner.typeWordsOf(read(text, NOW, UTC))),
            new FrameReader(Lexicon.builtIn()), PlannerTest::read, false);

    Plan plan(String prompt) {
        return plan(prompt, SessionContext.empty());
    }

    Plan plan(String prompt, SessionContext context) {
        return planner.plan(prompt, context, NOW, UTC, DATA).plan();
    }

    @Test
    void aSlashCallRunsTheNamedSkillWithItsInputs() {
        Plan plan = plan("/incident-response incident=12 phase=containment");
        assertThat(plan.route()).isEqualTo(Plan.Route.DIRECT);
        assertThat(plan.steps()).containsExactly(SkillCall.of("incident-response",
                Map.of("incident", List.of("12"), "phase", List.of("containment"))));
        assertThat(plan("/incident-summary #12").steps().get(0).first("incident")).contains("12");
    }

    @Test
    void anUnknownSlashCallAsksWithTheNearestNames() {
        Plan plan = plan("/incident-summry 12");
        assertThat(plan.route()).isEqualTo(Plan.Route.CLARIFY);
        assertThat(plan.clarification().orElseThrow().question()).contains("/incident-summary");
    }

    @Test
    void aSlashCallWithoutItsRequiredInputSaysWhichOne() {
        Plan plan = plan("/incident-summary");
        assertThat(plan.route()).isEqualTo(Plan.Route.CLARIFY);
        assertThat(plan.clarification().orElseThrow().question()).contains("needs incident");
    }

    @Test
    void aSkillIsChosenByMeaningAndItsInputsFilledFromThePrompt() {
        Plan plan = plan("summarize incident 12");
        assertThat(plan.route()).isEqualTo(Plan.Route.SKILL);
        assertThat(plan.steps()).containsExactly(SkillCall.of("incident-summary", Map.of("incident", List.of("12"))));
    }

    @Test
    void aCompoundPromptIsPlannedClauseByClauseAndItIsTheEarlierIncident() {
        Plan plan = plan("summarize incident 12 and tell me how to contain it");
        assertThat(plan.skillNames()).containsExactly("incident-summary", "incident-response");
        assertThat(plan.steps().get(1).first("incident")).contains("12");
        assertThat(plan.steps().get(1).first("phase")).contains("containment");
    }

    @Test
    void aMissingRequiredInputIsAskedForWithConcreteOptions() {
        Plan plan = plan("summarize the incident");
        assertThat(plan.route()).isEqualTo(Plan.Route.CLARIFY);
        assertThat(plan.clarification().orElseThrow().question()).contains("#12 Password spray", "#14 Phishing");
        assertThat(plan.clarification().orElseThrow().options()).extracting(o -> o.prompt())
                .containsExactly("/incident-summary incident=12", "/incident-summary incident=14");
    }

    @Test
    void theSessionSuppliesItAndTheSecondOne() {
        SessionContext discussed = SessionContext.empty().after(List.of(new EntityRef(EntityType.INCIDENT, "14")),
                List.of(), Optional.empty(), List.of("incident-summary"));
        assertThat(plan("how do I contain it", discussed).steps().get(0).first("incident")).contains("14");

        SessionContext listed = SessionContext.empty().after(List.of(), List.of(new EntityRef(EntityType.INCIDENT, "14"),
                new EntityRef(EntityType.INCIDENT, "12")), Optional.empty(), List.of("incidents-list"));
        assertThat(plan("summarize the second one", listed).steps().get(0).first("incident")).contains("12");
    }

    @Test
    void anOpenDataQuestionBecomesAHuntingQuery() {
        Plan plan = plan("which processes accessed lsass on ws007");
        assertThat(plan.route()).isEqualTo(Plan.Route.QUERY);
        String kql = plan.steps().get(0).first("query").orElseThrow();
        assertThat(kql).contains("action == \"process_access\"", "TargetImage", "lsass.exe", "WS007");
    }

    @Test
    void aFollowUpEditsTheLastQuestion() {
        Planner.Planned first = planner.plan("which processes accessed lsass on ws007", SessionContext.empty(), NOW, UTC,
                DATA);
        SessionContext context = SessionContext.empty().after(first.inputs(), List.of(), first.frame(), List.of("hunt"));
        String kql = plan("and on ws011?", context).steps().get(0).first("query").orElseThrow();
        assertThat(kql).contains("lsass.exe", "WS011").doesNotContain("WS007");
    }

    @Test
    void aHuntingQueryIsRunAsWritten() {
        Plan plan = plan("SecurityEvent | where EventID == 4625 | count");
        assertThat(plan.route()).isEqualTo(Plan.Route.QUERY);
        assertThat(plan.steps().get(0).first("query")).contains("SecurityEvent | where EventID == 4625 | count");
    }

    @Test
    void dataTheTenantDoesNotStoreIsSaidAndNamed() {
        Plan plan = plan("show failed cloud sign-ins");
        assertThat(plan.route()).isEqualTo(Plan.Route.UNANSWERABLE);
        assertThat(plan.rationale()).contains("SigninLogs");
    }

    @Test
    void aWordThatNamesTwoStoredValuesIsAskedAbout() {
        Reading.Reader ambiguous = (prompt, now, zone) -> {
            int at = prompt.indexOf("jsmoth");
            Mention smith = new Mention(EntityType.USER, "jsmith", "jsmoth", at, at + 6, 0.8);
            Mention smyth = new Mention(EntityType.USER, "jsmyth", "jsmoth", at, at + 6, 0.8);
            return new Reading(prompt, List.of(smith), Optional.empty(), List.of(), List.of(List.of(smith, smyth)));
        };
        Planner asking = new Planner(SKILLS, new SkillRanker(SKILLS, Optional.empty(), t -> t),
                new FrameReader(Lexicon.builtIn()), ambiguous, false);
        Plan plan = asking.plan("failed logons for jsmoth", SessionContext.empty(), NOW, UTC, DATA).plan();
        assertThat(plan.route()).isEqualTo(Plan.Route.CLARIFY);
        assertThat(plan.clarification().orElseThrow().question())
                .isEqualTo("Which did you mean by 'jsmoth': jsmith (user) or jsmyth (user)?");
        assertThat(plan.clarification().orElseThrow().options()).extracting(o -> o.prompt())
                .containsExactly("failed logons for jsmith", "failed logons for jsmyth");
    }

    @Test
    void somethingNothingFitsIsUnanswerable() {
        assertThat(plan("write me a limerick about pizza").route()).isEqualTo(Plan.Route.UNANSWERABLE);
    }
}
