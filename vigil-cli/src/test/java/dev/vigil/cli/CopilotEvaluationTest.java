package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The copilot's evaluation suite ({@code copilot-eval.yaml}): analyst questions over the demo organization, each
 * with the plan, inputs and key facts a correct answer has. The suite reports its accuracy per kind of question and
 * holds the copilot to at least 90%.
 */
class CopilotEvaluationTest {
    static final Instant NOW = DemoCopilot.NOW;
    static final ZoneId UTC = DemoCopilot.UTC;
    static final double BAR = 0.90;

    @TempDir
    static Path data;

    static DemoCopilot demo;
    static Copilot copilot;

    @BeforeAll
    static void seedTheDemo() {
        demo = DemoCopilot.seed(data);
        copilot = demo.copilot();
    }

    @AfterAll
    static void close() {
        if (demo != null) {
            demo.close();
        }
    }

    record Outcome(String kind, String question, boolean passed, String why) {}

    @Test
    void answersAtLeastNinetyPercentOfTheQuestionsCorrectly() {
        List<Map<String, Object>> suite = load("copilot-eval.yaml");
        assertThat(suite).hasSizeGreaterThanOrEqualTo(150);
        Principal analyst = new Principal("eval", Role.ANALYST);
        List<Outcome> outcomes = new ArrayList<>();
        for (Map<String, Object> entry : suite) {
            outcomes.add(evaluate(entry, analyst));
        }
        Map<String, int[]> byKind = new TreeMap<>();
        StringBuilder misses = new StringBuilder();
        for (Outcome o : outcomes) {
            int[] counts = byKind.computeIfAbsent(o.kind(), k -> new int[2]);
            counts[1]++;
            if (o.passed()) {
                counts[0]++;
            } else {
                misses.append("\n  MISS [").append(o.kind()).append("] ").append(o.question()).append("\n       ")
                        .append(o.why());
            }
        }
        long passed = outcomes.stream().filter(Outcome::passed).count();
        double accuracy = (double) passed / outcomes.size();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "copilot evaluation: %d of %d correct (%.1f%%)", passed, outcomes.size(), accuracy * 100));
        byKind.forEach((kind, c) -> report.append(String.format(Locale.ROOT, "\n  %-14s %3d of %3d (%.0f%%)", kind,
                c[0], c[1], 100.0 * c[0] / c[1])));
        System.out.println(report + misses.toString());
        assertThat(accuracy).as(report + misses.toString()).isGreaterThanOrEqualTo(BAR);
    }

    /** Questions never tuned against: their accuracy estimates how the copilot does on unseen questions. */
    @Test
    void answersMostHeldOutQuestionsItWasNeverTunedOn() {
        List<Map<String, Object>> holdout = load("copilot-holdout.yaml");
        Principal analyst = new Principal("eval", Role.ANALYST);
        List<Outcome> outcomes = holdout.stream().map(e -> evaluate(e, analyst)).toList();
        long passed = outcomes.stream().filter(Outcome::passed).count();
        double accuracy = (double) passed / outcomes.size();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "copilot held-out questions: %d of %d correct (%.1f%%)", passed, outcomes.size(), accuracy * 100));
        outcomes.stream().filter(o -> !o.passed()).forEach(o -> report.append("\n  MISS [").append(o.kind())
                .append("] ").append(o.question()).append("\n       ").append(o.why()));
        System.out.println(report);
        assertThat(accuracy).as(report.toString()).isGreaterThanOrEqualTo(0.75);
    }

    @SuppressWarnings("unchecked")
    static Outcome evaluate(Map<String, Object> entry, Principal analyst) {
        String question = (String) entry.get("q");
        String kind = kind(entry);
        SessionContext context = SessionContext.empty();
        for (String earlier : (List<String>) entry.getOrDefault("session", List.of())) {
            context = copilot.ask(earlier, context, analyst, NOW, UTC, s -> { }).context();
        }
        Answer answer;
        try {
            answer = copilot.ask(question, context, analyst, NOW, UTC, s -> { }).answer();
        } catch (RuntimeException e) {
            return new Outcome(kind, question, false, "threw " + e);
        }
        Plan plan = answer.plan();
        String got = plan.route() + " " + plan.steps().stream().map(SkillCall::display).toList();
        List<String> skills = (List<String>) entry.get("skills");
        String route = (String) entry.get("route");
        if (skills != null) {
            if (!plan.skillNames().equals(skills) || plan.route() == Plan.Route.QUERY && !skills.equals(List.of("hunt"))) {
                return new Outcome(kind, question, false, "expected skills " + skills + ", got " + got);
            }
        } else if (route != null && !plan.route().name().equalsIgnoreCase(route)) {
            return new Outcome(kind, question, false, "expected route " + route + ", got " + got);
        }
        Map<String, Object> inputs = (Map<String, Object>) entry.getOrDefault("inputs", Map.of());
        for (Map.Entry<String, Object> input : inputs.entrySet()) {
            String want = String.valueOf(input.getValue());
            boolean found = plan.steps().stream().anyMatch(step -> step.all(input.getKey()).stream()
                    .anyMatch(v -> v.equalsIgnoreCase(want)));
            if (!found) {
                return new Outcome(kind, question, false, "expected input " + input.getKey() + "=" + want + ", got " + got);
            }
        }
        for (String fragment : (List<String>) entry.getOrDefault("kql", List.of())) {
            String kql = plan.steps().stream().flatMap(s -> s.all("query").stream()).reduce("", String::concat);
            if (!kql.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT))) {
                return new Outcome(kind, question, false, "expected the query to contain '" + fragment + "', got "
                        + kql.replace('\n', ' '));
            }
        }
        for (String fragment : (List<String>) entry.getOrDefault("answer", List.of())) {
            if (!answer.markdown().toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT))) {
                return new Outcome(kind, question, false, "expected the answer to contain '" + fragment + "', got: "
                        + answer.markdown().lines().findFirst().orElse(""));
            }
        }
        boolean failedStep = answer.log().stream().anyMatch(s -> s.status().equals("failed"));
        if (failedStep && route == null) {
            return new Outcome(kind, question, false, "a step failed: " + answer.log());
        }
        return new Outcome(kind, question, true, "");
    }

    @SuppressWarnings("unchecked")
    static String kind(Map<String, Object> entry) {
        if (entry.containsKey("session")) {
            return "follow-up";
        }
        String q = (String) entry.get("q");
        if (q.startsWith("/")) {
            return "direct";
        }
        List<String> skills = (List<String>) entry.get("skills");
        if (skills != null) {
            if (skills.size() > 1) {
                return "compound";
            }
            String s = skills.get(0);
            return s.equals("security-report") ? "reports" : s.startsWith("incident") ? "incidents" : s.contains("analysis") && !s.startsWith("article")
                    && !s.startsWith("script") ? "entities" : List.of("indicator-reputation", "actor-profile",
                    "technique-explainer", "article-analysis").contains(s) ? "intel" : List.of("cve-impact",
                    "posture-summary", "asset-exposure", "weaknesses", "remediation-plan").contains(s) ? "posture" : s;
        }
        return String.valueOf(entry.get("route"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(String name) {
        try (InputStream in = CopilotEvaluationTest.class.getResourceAsStream(name)) {
            return (List<Map<String, Object>>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
