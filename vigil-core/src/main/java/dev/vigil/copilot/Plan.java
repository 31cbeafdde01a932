package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How the planner means to answer a prompt.
 *
 * @param route which way it goes
 * @param steps the skill calls, in order (empty when it asks back or cannot answer)
 * @param confidence how sure the planner is of its reading, from 0 to 1
 * @param rationale why it chose this plan, in a sentence (shown in the process log)
 * @param clarification the question to ask back, on the {@link Route#CLARIFY} route
 */
public record Plan(Route route, List<SkillCall> steps, double confidence, String rationale,
        Optional<Clarification> clarification) {

    public enum Route {
        /** Skills answer: their typed inputs are satisfied and they outrank free querying. */
        SKILL,
        /** An open data question, compiled into a hunting query. */
        QUERY,
        /** {@code /skill input...}: the analyst named the skill. */
        DIRECT,
        /** Two readings are close or a required input is missing: ask back. */
        CLARIFY,
        /** Nothing Vigil can do answers this; the answer says so and what would. */
        UNANSWERABLE
    }

    public Plan {
        requireNonNull(route, "route is null");
        steps = List.copyOf(steps);
        requireNonNull(rationale, "rationale is null");
        requireNonNull(clarification, "clarification is null");
        if (route == Route.CLARIFY && clarification.isEmpty()) {
            throw new IllegalArgumentException("a clarifying plan needs its question");
        }
    }

    public static Plan clarify(Clarification question, double confidence, String rationale) {
        return new Plan(Route.CLARIFY, List.of(), confidence, rationale, Optional.of(question));
    }

    public static Plan unanswerable(String rationale) {
        return new Plan(Route.UNANSWERABLE, List.of(), 0, rationale, Optional.empty());
    }

    public List<String> skillNames() {
        return steps.stream().map(SkillCall::skill).toList();
    }
}
