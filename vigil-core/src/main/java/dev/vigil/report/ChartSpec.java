package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A chart a template draws from one of its section's result tables.
 *
 * @param kind bar, line or donut; heatmap for an ATT&amp;CK tactic/technique matrix
 * @param title the chart's title
 * @param table the title of the result table it reads; empty for the section's first table
 * @param label the column whose cells label the bars, points or slices (for a heat map: the tactic column)
 * @param values the numeric columns drawn, one series each (for a heat map: technique id, name and value columns)
 * @param line where the chart is declared in the template, for errors found when it is drawn
 */
public record ChartSpec(Kind kind, String title, String table, String label, List<String> values, int line) {
    public enum Kind {
        BAR, LINE, DONUT, HEATMAP;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChartSpec {
        requireNonNull(kind, "kind is null");
        requireNonNull(title, "title is null");
        requireNonNull(table, "table is null");
        requireNonNull(label, "label is null");
        values = List.copyOf(values);
    }
}
