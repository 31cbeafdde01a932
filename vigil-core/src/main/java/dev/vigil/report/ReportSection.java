package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Table;
import java.util.List;

/**
 * One section of a built report.
 *
 * @param id the template section's id
 * @param title its heading
 * @param status {@code ok}; {@code empty} when the data holds nothing for it; {@code failed} when it could not run
 *     (the markdown says why)
 * @param markdown the section's text: the template's prose, then the skill's or query's own words
 * @param tables the result's tables
 * @param figures the charts
 * @param evidence the claims of the text and the records behind them
 * @param call how the section was computed: the skill call as typed ({@code /report-incidents audience=executive})
 *     or {@code hunting query}
 * @param queries the queries behind every number of the section, for the appendix
 */
public record ReportSection(String id, String title, Status status, String markdown, List<Table> tables,
        List<Figure> figures, List<Evidence> evidence, String call, List<ExecutedQuery> queries) {
    public enum Status { OK, EMPTY, FAILED }

    public ReportSection {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(status, "status is null");
        requireNonNull(markdown, "markdown is null");
        requireNonNull(call, "call is null");
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
        evidence = List.copyOf(evidence);
        queries = List.copyOf(queries);
    }
}
