package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A report template: what a report is called, who it is for, the parameters it needs, and its ordered sections.
 * Read from YAML by {@link TemplateParser}; built-in ones ship with Vigil and a tenant can import its own.
 *
 * @param name the name it is asked for by ({@code executive}); letters, digits, '-' and '_'
 * @param title the report's title
 * @param description one or two sentences on what it reports
 * @param audience the audience it is written for unless the report's parameters say otherwise
 * @param period the default period ({@code 30d}); empty when it has none (an incident report covers the incident)
 * @param requires the parameters the report cannot run without ({@code incident}, {@code actor}, {@code session})
 * @param sections the sections, in order
 * @param source where it was read from (a file name or {@code builtin:executive}), for error messages
 */
public record ReportTemplate(String name, String title, String description, Audience audience, String period,
        List<String> requires, List<TemplateSection> sections, String source) {
    public ReportTemplate {
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(period, "period is null");
        requireNonNull(source, "source is null");
        requires = List.copyOf(requires);
        sections = List.copyOf(sections);
    }

    public Optional<TemplateSection> section(String id) {
        return sections.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
