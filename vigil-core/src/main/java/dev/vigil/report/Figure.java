package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart of a report section: its data as a table, and the drawing as SVG.
 *
 * @param title what it shows
 * @param kind how it is drawn
 * @param data the numbers drawn: for bar, line and donut, a label column then one column per series; for a heat
 *     map, the columns tactic, technique, name and value
 * @param svg the drawing, an {@code <svg>} element; empty when no drawing is available, and then HTML shows the data
 */
public record Figure(String title, Chart.Kind kind, Table data, String svg) {
    public Figure {
        requireNonNull(title, "title is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(data, "data is null");
        requireNonNull(svg, "svg is null");
    }

    /** A figure of a chart specification (bar, line or donut), without its drawing yet. */
    public static Figure of(Chart chart) {
        List<String> columns = new ArrayList<>();
        columns.add("label");
        chart.series().forEach(s -> columns.add(s.name()));
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < chart.labels().size(); i++) {
            List<Object> row = new ArrayList<>();
            row.add(chart.labels().get(i));
            for (Chart.Series s : chart.series()) {
                row.add(s.values().get(i));
            }
            rows.add(row);
        }
        return new Figure(chart.title(), chart.kind(), new Table(chart.title(), columns, rows), "");
    }

    /** The figure's data as a chart specification (not for heat maps, whose data is a matrix). */
    public Chart chart() {
        if (kind == Chart.Kind.HEATMAP) {
            throw new IllegalStateException("a heat map is a matrix, not a chart of series: " + title);
        }
        List<String> labels = data.rows().stream().map(r -> String.valueOf(r.get(0))).toList();
        List<Chart.Series> series = new ArrayList<>();
        for (int c = 1; c < data.columns().size(); c++) {
            int column = c;
            series.add(new Chart.Series(data.columns().get(c), data.rows().stream()
                    .map(r -> r.get(column) instanceof Number n ? n.doubleValue() : 0.0).toList()));
        }
        return new Chart(kind, title, labels, series);
    }

    public Figure withSvg(String drawing) {
        return new Figure(title, kind, data, drawing);
    }
}
