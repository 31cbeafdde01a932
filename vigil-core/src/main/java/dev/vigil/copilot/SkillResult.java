package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a skill returns: prose composed only from its own results, and the structured parts behind it.
 *
 * @param skill the skill that produced it
 * @param status how it went
 * @param markdown the skill's part of the answer; every figure and entity in it comes from the tables, facts or
 *     evidence below
 * @param tables result tables
 * @param charts chart specifications
 * @param queries queries the skill ran
 * @param evidence claims and the records behind them
 * @param followUps prompts that would take the investigation further
 * @param facts the key facts of the result by name ({@code count}, {@code top_host} ...), which tests and
 *     evaluation check, and which later steps of a plan can read
 * @param subjects the entities the result is about, in the order shown, for the session's context
 */
public record SkillResult(String skill, Status status, String markdown, List<Table> tables, List<Chart> charts,
        List<ExecutedQuery> queries, List<Evidence> evidence, List<String> followUps, Map<String, Object> facts,
        List<EntityRef> subjects) {

    public enum Status {
        /** The skill answered. */
        OK,
        /** The skill ran, and the data holds nothing that answers; the markdown says what was searched. */
        EMPTY,
        /** The skill could not run: the markdown says why and how to fix it. */
        FAILED
    }

    public SkillResult {
        requireNonNull(skill, "skill is null");
        requireNonNull(status, "status is null");
        requireNonNull(markdown, "markdown is null");
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
        queries = List.copyOf(queries);
        evidence = List.copyOf(evidence);
        followUps = List.copyOf(followUps);
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        subjects = List.copyOf(subjects);
    }

    public static Builder builder(String skill) {
        return new Builder(skill);
    }

    public static SkillResult failed(String skill, String message) {
        return builder(skill).status(Status.FAILED).markdown(message).build();
    }

    /** Collects a result piece by piece. */
    public static final class Builder {
        private final String skill;
        private Status status = Status.OK;
        private final StringBuilder markdown = new StringBuilder();
        private final List<Table> tables = new ArrayList<>();
        private final List<Chart> charts = new ArrayList<>();
        private final List<ExecutedQuery> queries = new ArrayList<>();
        private final List<Evidence> evidence = new ArrayList<>();
        private final List<String> followUps = new ArrayList<>();
        private final Map<String, Object> facts = new LinkedHashMap<>();
        private final List<EntityRef> subjects = new ArrayList<>();

        private Builder(String skill) {
            this.skill = requireNonNull(skill, "skill is null");
        }

        public Builder status(Status value) {
            status = requireNonNull(value, "status is null");
            return this;
        }

        public Builder markdown(String text) {
            markdown.setLength(0);
            markdown.append(text);
            return this;
        }

        /** Appends a paragraph (a blank line separates paragraphs). */
        public Builder paragraph(String text) {
            if (!markdown.isEmpty()) {
                markdown.append("\n\n");
            }
            markdown.append(text);
            return this;
        }

        public Builder table(Table table) {
            tables.add(table);
            return this;
        }

        public Builder chart(Chart chart) {
            charts.add(chart);
            return this;
        }

        public Builder query(ExecutedQuery query) {
            queries.add(query);
            return this;
        }

        public Builder evidence(String claim, List<String> refs) {
            if (!refs.isEmpty()) {
                evidence.add(new Evidence(claim, refs));
            }
            return this;
        }

        public Builder followUp(String prompt) {
            if (!followUps.contains(prompt)) {
                followUps.add(prompt);
            }
            return this;
        }

        public Builder fact(String name, Object value) {
            facts.put(name, value);
            return this;
        }

        public Builder subject(EntityType type, String value) {
            EntityRef ref = new EntityRef(type, value);
            if (!subjects.contains(ref)) {
                subjects.add(ref);
            }
            return this;
        }

        public int queryCount() {
            return queries.size();
        }

        public SkillResult build() {
            return new SkillResult(skill, status, markdown.toString(), tables, charts, queries, evidence, followUps,
                    facts, subjects);
        }
    }
}
