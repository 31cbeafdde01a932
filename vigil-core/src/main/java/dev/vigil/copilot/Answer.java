package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer object every surface returns (CLI {@code --json}, REST, UI, reports): the Markdown answer and
 * everything behind it.
 *
 * @param prompt the question as asked
 * @param markdown the answer; its first sentence answers the question, and it states its scope (time range, tables,
 *     tenant)
 * @param plan how it was planned
 * @param queries the queries run, in order (evidence may cite {@code query:<n>})
 * @param tables result tables
 * @param charts chart specifications
 * @param evidence each claim with the records or knowledge behind it
 * @param followUps suggested next prompts
 * @param log the process log: the plan and each skill call with its time
 * @param subjects the entities the answer is about, for the session's context
 * @param plannerMicros the planner's own time
 * @param totalMicros the time from prompt to answer
 */
public record Answer(String prompt, String markdown, Plan plan, List<ExecutedQuery> queries, List<Table> tables,
        List<Chart> charts, List<Evidence> evidence, List<String> followUps, List<StepLog> log,
        List<EntityRef> subjects, long plannerMicros, long totalMicros) {
    public Answer {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(markdown, "markdown is null");
        requireNonNull(plan, "plan is null");
        queries = List.copyOf(queries);
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        evidence = List.copyOf(evidence);
        followUps = List.copyOf(followUps);
        log = List.copyOf(log);
        subjects = List.copyOf(subjects);
    }
}
