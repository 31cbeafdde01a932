package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A chart specification: the data and the kind of drawing, rendered by the UI, reports (SVG) and the terminal.
 *
 * @param kind how to draw it
 * @param title what it shows
 * @param labels the categories or time buckets, in order
 * @param series one or more named series, each with a value per label
 */
public record Chart(Kind kind, String title, List<String> labels, List<Series> series) {
    public enum Kind { BAR, LINE, DONUT, HEATMAP }

    public record Series(String name, List<Double> values) {
        public Series {
            requireNonNull(name, "name is null");
            values = List.copyOf(values);
        }
    }

    public Chart {
        requireNonNull(kind, "kind is null");
        requireNonNull(title, "title is null");
        labels = List.copyOf(labels);
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.values().size() != labels.size()) {
                throw new IllegalArgumentException("chart '" + title + "': series " + s.name() + " has "
                        + s.values().size() + " values for " + labels.size() + " labels");
            }
        }
    }
}
