package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One section of a report template: a title, who it is for, and where its content comes from.
 *
 * @param id the section's id, unique in the template ({@code incidents}); {@code --sections} and {@code --without}
 *     name sections by it
 * @param title the heading
 * @param audience the audience it is shown to
 * @param enabled whether it is on unless the report's parameters turn it off (or on)
 * @param source the copilot skill or hunting query that computes it
 * @param prose text written before the result, with {@code {{placeholders}}}; empty for none
 * @param text how much of the skill's own text is shown: all of it, its first paragraph, or none (then the prose
 *     speaks for the section)
 * @param tables the result's tables shown: {@link #ALL_TABLES} for all, empty for none, else the titles (or the
 *     beginnings of the titles) of those shown
 * @param charts charts drawn from the result's tables
 * @param line the line the section starts at in the template, for errors found when it runs
 */
public record TemplateSection(String id, String title, Audience audience, boolean enabled, Source source, String prose,
        Text text, List<String> tables, List<ChartSpec> charts, int line) {
    /** The {@code tables} value that shows every table of the result. */
    public static final List<String> ALL_TABLES = List.of("*");

    /** How much of the skill's own text a section shows. */
    public enum Text { ALL, FIRST, NONE }

    /** Whether the table of this title is shown. */
    public boolean showsTable(String title) {
        return tables.equals(ALL_TABLES) || tables.stream().anyMatch(t -> title.toLowerCase(java.util.Locale.ROOT)
                .startsWith(t.toLowerCase(java.util.Locale.ROOT)));
    }

    /** Where a section's content comes from. */
    public sealed interface Source permits SkillSource, QuerySource {}

    /**
     * A copilot skill, called with inputs whose values may hold parameter placeholders ({@code {{incident}}}); an
     * input whose value is a placeholder of a parameter not given is left out.
     */
    public record SkillSource(String skill, Map<String, String> inputs) implements Source {
        public SkillSource {
            requireNonNull(skill, "skill is null");
            inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        }
    }

    /** A hunting query (KQL), run read-only over the report's period. */
    public record QuerySource(String kql, int line) implements Source {
        public QuerySource {
            requireNonNull(kql, "kql is null");
        }
    }

    public TemplateSection {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(source, "source is null");
        requireNonNull(prose, "prose is null");
        requireNonNull(text, "text is null");
        tables = List.copyOf(tables);
        charts = List.copyOf(charts);
    }
}
