package dev.vigil.copilot.session;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Clarification;
import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.TimeRange;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Sessions and answers with every part filled, as a real investigation would produce them. */
final class SessionFixtures {
    static final Instant T0 = Instant.parse("2024-05-02T09:00:00Z");
    static final UUID ID = UUID.fromString("7d4c1f0e-3b2a-4c5d-9e8f-0a1b2c3d4e5f");

    private SessionFixtures() {}

    /** An answer with a plan of two steps (one with a time range), a query, a table, a chart and evidence. */
    static Answer summary() {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        inputs.put("incident", List.of("12"));
        TimeRange day = new TimeRange(Instant.parse("2024-05-01T00:00:00Z"), Instant.parse("2024-05-02T00:00:00Z"),
                "yesterday");
        Plan plan = new Plan(Plan.Route.SKILL, List.of(SkillCall.of("incident-summary", inputs),
                new SkillCall("host-activity", Map.of("host", List.of("WS-042", "DB-1")), Optional.of(day))), 0.92,
                "the prompt names incident 12", Optional.empty());
        Table alerts = new Table("Alerts of incident 12", List.of("time", "rule", "host", "count", "score", "open"),
                List.of(List.of("2024-05-01T10:02:00Z", "Mimikatz | LSASS access", "WS-042", 3L, 0.75, true),
                        Arrays.asList("2024-05-01T10:05:00Z", "PsExec service", "DB-1", 1L, 1.5, null)));
        return new Answer("Summarize incident 12", """
                Incident **12** is a credential theft on WS-042, moving to DB-1.

                # Timeline
                Two alerts in three minutes.""", plan,
                List.of(new ExecutedQuery("kql", "SecurityAlert\n| where IncidentNumber == 12\n| take 100", 2, 14)),
                List.of(alerts),
                List.of(new Chart(Chart.Kind.BAR, "Alerts per host", List.of("WS-042", "DB-1"),
                        List.of(new Chart.Series("alerts", List.of(3.0, 1.0))))),
                List.of(new Evidence("LSASS was read on WS-042", List.of("alert:9f1c", "query:1")),
                        new Evidence("T1003.001 is credential dumping", List.of("attack:T1003.001"))),
                List.of("Show the timeline of incident 12", "How do I contain incident 12?"),
                List.of(new StepLog("plan", "ok", "2 steps", 310), new StepLog("/incident-summary incident=12", "ok",
                        "2 alerts", 5200)),
                List.of(new EntityRef(EntityType.INCIDENT, "12"), new EntityRef(EntityType.HOST, "WS-042")),
                310, 6100);
    }

    /** An answer that asks back, with the options to pick from. */
    static Answer clarification() {
        Clarification question = new Clarification("Which incident? The open ones are #12 and #14.", List.of(
                new Clarification.Option("#12 Credential theft on WS-042", "Summarize incident 12"),
                new Clarification.Option("#14 Phishing of bob", "Summarize incident 14")));
        return new Answer("Summarize the incident", "Which incident? The open ones are #12 and #14.",
                Plan.clarify(question, 0.4, "two open incidents"), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(new StepLog("plan", "ok", "clarify", 120)), List.of(), 120, 150);
    }

    static Session session() {
        return new Session(ID, "Incident 12 triage", "alice", true, T0, T0.plusSeconds(120),
                List.of(new Turn(1, T0.plusSeconds(30), "Summarize the incident", clarification()),
                        new Turn(2, T0.plusSeconds(90), "Summarize incident 12", summary())),
                List.of(new Pin(2, "root cause: LSASS read", T0.plusSeconds(120), "alice")));
    }
}
