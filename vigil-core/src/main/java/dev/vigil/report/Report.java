package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A report built from a tenant's data: what {@link MarkdownReport} and {@link HtmlReport} render. It holds no wall
 * clock time: it is generated for its period's end, so that the same data and parameters give the same report.
 *
 * @param template the template's name
 * @param title the title
 * @param description what the report covers, from the template
 * @param tenant the tenant whose data it reads
 * @param organization the organization's name as it is shown; the tenant's id when none was given
 * @param period the period covered; its end is the as-of time
 * @param audience who it is written for (executive or technical)
 * @param parameters the parameters it was built with, by name, sorted
 * @param sections the sections, in the template's order
 * @param glossary the terms the report uses, each with its explanation, for readers who are not analysts; empty for
 *     a technical report
 */
public record Report(String template, String title, String description, String tenant, String organization,
        ReportPeriod period, Audience audience, Map<String, String> parameters, List<ReportSection> sections,
        Map<String, String> glossary) {
    public Report {
        requireNonNull(template, "template is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(organization, "organization is null");
        requireNonNull(period, "period is null");
        requireNonNull(audience, "audience is null");
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        sections = List.copyOf(sections);
        glossary = Collections.unmodifiableMap(new TreeMap<>(glossary));
    }
}
