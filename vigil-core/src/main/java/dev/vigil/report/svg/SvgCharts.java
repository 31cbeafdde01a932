package dev.vigil.report.svg;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Chart;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link Chart} as a standalone SVG 1.1 document, to embed inline in HTML or hand to openhtmltopdf (whose
 * Batik renderer takes the same plain SVG: rect, path, line, text and g, no CSS, no scripts, no ids).
 *
 * <ul>
 *   <li>{@link Chart.Kind#BAR BAR}: a bar per label, grouped side by side when there are several series, each with its
 *       value; negative values go below the zero line. When the labels are too long to stand under their bars (rule
 *       titles, host names) and there are at most 30, the bars lie horizontally with the labels in full beside them.
 *   <li>{@link Chart.Kind#LINE LINE}: a line per series over the labels in order, with round ticks on the value axis
 *       and a legend; series differ by colour and dash pattern, so they read without colour too.
 *   <li>{@link Chart.Kind#DONUT DONUT}: the first series as slices of a ring, one per label, with each slice's value
 *       and share in the legend. Slices need positive values: zero and negative values are listed as not drawn.
 *   <li>{@link Chart.Kind#HEATMAP HEATMAP}: a grid, the labels as columns and the series as rows, each cell shaded by
 *       its value on a five-step light-to-dark scale with its value written in it.
 * </ul>
 *
 * <p>The output is deterministic: the same chart gives the same bytes (numbers are formatted with fixed rules, not
 * the default locale, and nothing random or clock-based is written). Text from the chart is escaped and stripped of
 * characters XML cannot hold; text too long for its place is cut with an ellipsis and keeps its full form in a
 * {@code <title>} tooltip. The document's {@code aria-label} and {@code <title>} are the chart's title, and its
 * {@code <desc>} lists the data for screen readers. A chart without labels or series draws its title and "No data".
 * Non-finite values (NaN, infinities) are treated as missing.
 */
public final class SvgCharts {
    static final double WIDTH = 640;
    private static final double TITLE_SIZE = 15;
    private static final double LABEL_SIZE = 11;
    private static final double VALUE_SIZE = 10;
    private static final int DESCRIBED_POINTS = 60;
    /** Up to this many categories, labels too long to stand under their bars turn the bars horizontal. */
    private static final int MOST_HORIZONTAL_BARS = 30;

    private SvgCharts() {}

    /** The chart as an SVG document (a single {@code <svg>} element, no XML declaration). */
    public static String render(Chart chart) {
        requireNonNull(chart, "chart is null");
        if (chart.labels().isEmpty() || chart.series().isEmpty()) {
            return empty(chart);
        }
        return switch (chart.kind()) {
            case BAR -> bars(chart);
            case LINE -> lines(chart);
            case DONUT -> donut(chart);
            case HEATMAP -> heatmap(chart);
        };
    }

    // ------------------------------------------------------------------------------------------------------- bars

    private static String bars(Chart chart) {
        int labels = chart.labels().size();
        int longest = chart.labels().stream().mapToInt(l -> Svg.clean(l).length()).max().orElse(0);
        if (labels <= MOST_HORIZONTAL_BARS && longest > Svg.charsFitting(WIDTH / labels - 4, LABEL_SIZE)) {
            return horizontalBars(chart);
        }
        int seriesCount = chart.series().size();
        boolean legend = seriesCount > 1;
        boolean rotate = WIDTH / labels < 56;
        double left = 56;
        double right = 16;
        double top = 44;
        double bottom = (rotate ? 96 : 40) + (legend ? legendHeight(chart.series().size()) : 0);
        double height = 340 + (rotate ? 56 : 0) + (legend ? legendHeight(chart.series().size()) : 0);
        Svg svg = Svg.open(WIDTH, height, chart.title(), describe(chart));
        title(svg, chart.title());
        Axis axis = Axis.covering(allValues(chart), 6);
        double plotBottom = height - bottom;
        valueAxis(svg, axis, left, WIDTH - right, plotBottom, top);

        double band = (WIDTH - left - right) / labels;
        double groupWidth = band * 0.8;
        double barWidth = groupWidth / seriesCount;
        boolean valueLabels = barWidth >= 14;
        double zero = axis.position(0, plotBottom, top);
        for (int i = 0; i < labels; i++) {
            double groupStart = left + i * band + (band - groupWidth) / 2;
            for (int s = 0; s < seriesCount; s++) {
                Chart.Series series = chart.series().get(s);
                double value = series.values().get(i);
                if (!Double.isFinite(value)) {
                    continue;
                }
                double end = axis.position(value, plotBottom, top);
                double x = groupStart + s * barWidth;
                String tooltip = (legend ? series.name() + ", " : "") + chart.labels().get(i) + ": "
                        + Svg.value(value);
                svg.rect(x + 0.5, Math.min(zero, end), barWidth - 1, Math.abs(zero - end), color(s), null, tooltip);
                if (valueLabels) {
                    double y = value >= 0 ? end - 3 : end + VALUE_SIZE + 2;
                    svg.text(x + barWidth / 2, y, Svg.value(value), VALUE_SIZE, "middle", Svg.INK, false, 12);
                }
            }
        }
        svg.line(left, zero, WIDTH - right, zero, Svg.MUTED, 1, null);
        categoryLabels(svg, chart.labels(), left, band, plotBottom, rotate);
        if (legend) {
            legend(svg, chart.series().stream().map(Chart.Series::name).toList(), false, left,
                    height - legendHeight(chart.series().size()) + 4);
        }
        return svg.close();
    }


    /**
     * Bars along the value axis, one row per label with the label written in full on the left (up to about 44
     * characters): the layout for long names such as rule titles, which upright bars would cut to a few letters.
     */
    private static String horizontalBars(Chart chart) {
        int labels = chart.labels().size();
        int seriesCount = chart.series().size();
        boolean legend = seriesCount > 1;
        int longest = chart.labels().stream().mapToInt(l -> Svg.clean(l).length()).max().orElse(0);
        double labelWidth = Math.max(120, Math.min(300, longest * LABEL_SIZE * 0.6 + 12));
        double left = 16 + labelWidth;
        double right = 40; // room for the value written after the longest bar
        double top = 62;
        double barHeight = seriesCount == 1 ? 16 : Math.max(8, 26.0 / seriesCount);
        double rowHeight = barHeight * seriesCount + 8;
        double legendRows = legend ? legendHeight(seriesCount) : 0;
        double height = top + labels * rowHeight + 12 + legendRows;
        Svg svg = Svg.open(WIDTH, height, chart.title(), describe(chart));
        title(svg, chart.title());
        Axis axis = Axis.covering(allValues(chart), 5);
        double plotBottom = top + labels * rowHeight;
        for (double tick : axis.ticks()) {
            double x = axis.position(tick, left, WIDTH - right);
            svg.line(x, top - 4, x, plotBottom, Svg.GRID, 1, null);
            svg.text(x, top - 9, Svg.value(tick), LABEL_SIZE, "middle", Svg.MUTED, false, 8);
        }
        double zero = axis.position(0, left, WIDTH - right);
        int labelFitting = Svg.charsFitting(labelWidth - 8, LABEL_SIZE);
        for (int i = 0; i < labels; i++) {
            double rowTop = top + i * rowHeight + 4;
            svg.text(left - 8, rowTop + barHeight * seriesCount / 2 + 4, chart.labels().get(i), LABEL_SIZE, "end",
                    Svg.INK, false, labelFitting);
            for (int s = 0; s < seriesCount; s++) {
                Chart.Series series = chart.series().get(s);
                double value = series.values().get(i);
                if (!Double.isFinite(value)) {
                    continue;
                }
                double end = axis.position(value, left, WIDTH - right);
                double y = rowTop + s * barHeight;
                String tooltip = (legend ? series.name() + ", " : "") + chart.labels().get(i) + ": "
                        + Svg.value(value);
                svg.rect(Math.min(zero, end), y + 0.5, Math.abs(end - zero), barHeight - 1, color(s), null, tooltip);
                boolean negative = value < 0;
                svg.text(negative ? end - 4 : end + 4, y + barHeight / 2 + 3.5, Svg.value(value), VALUE_SIZE,
                        negative ? "end" : "start", Svg.INK, false, 12);
            }
        }
        svg.line(zero, top - 4, zero, plotBottom, Svg.MUTED, 1, null);
        if (legend) {
            legend(svg, chart.series().stream().map(Chart.Series::name).toList(), false, left,
                    height - legendRows + 4);
        }
        return svg.close();
    }

    // ------------------------------------------------------------------------------------------------------ lines

    private static String lines(Chart chart) {
        int labels = chart.labels().size();
        double left = 56;
        double right = 24;
        double top = 44;
        double legendRows = legendHeight(chart.series().size());
        double height = 340 + legendRows;
        double plotBottom = height - 40 - legendRows;
        Svg svg = Svg.open(WIDTH, height, chart.title(), describe(chart));
        title(svg, chart.title());
        Axis axis = Axis.covering(allValues(chart), 6);
        valueAxis(svg, axis, left, WIDTH - right, plotBottom, top);
        double plotWidth = WIDTH - left - right;
        double spacing = labels == 1 ? 0 : plotWidth / (labels - 1);
        for (int s = 0; s < chart.series().size(); s++) {
            Chart.Series series = chart.series().get(s);
            StringBuilder data = new StringBuilder();
            boolean penDown = false;
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < labels; i++) {
                double value = series.values().get(i);
                if (!Double.isFinite(value)) {
                    penDown = false; // a gap where data is missing
                    continue;
                }
                double x = labels == 1 ? left + plotWidth / 2 : left + i * spacing;
                double y = axis.position(value, plotBottom, top);
                data.append(penDown ? " L" : data.isEmpty() ? "M" : " M").append(Svg.num(x)).append(' ')
                        .append(Svg.num(y));
                penDown = true;
                points.add(new double[] {x, y, i, value});
            }
            if (!data.isEmpty()) {
                svg.path(data.toString(), null, color(s), 2, Svg.DASHES.get(s % Svg.DASHES.size()), null);
            }
            boolean markers = labels <= 40;
            for (double[] point : points) {
                if (markers) {
                    String tooltip = series.name() + ", " + chart.labels().get((int) point[2]) + ": "
                            + Svg.value(point[3]);
                    svg.rect(point[0] - 2.5, point[1] - 2.5, 5, 5, color(s), null, tooltip);
                }
            }
        }
        // at most about 10 labels under the axis, evenly chosen, so they never overlap
        int every = Math.max(1, (int) Math.ceil(labels / 10.0));
        int fitting = Svg.charsFitting(Math.max(spacing * every, 48), LABEL_SIZE);
        for (int i = 0; i < labels; i += every) {
            double x = labels == 1 ? left + plotWidth / 2 : left + i * spacing;
            svg.line(x, plotBottom, x, plotBottom + 4, Svg.MUTED, 1, null);
            // the first and last labels keep inside the drawing: anchored at their tick's side, not centred on it
            double half = Math.min(Svg.clean(chart.labels().get(i)).length(), fitting) * LABEL_SIZE * 0.3;
            String anchor = x + half > WIDTH - 2 ? "end" : x - half < 2 ? "start" : "middle";
            double at = anchor.equals("end") ? x + 4 : anchor.equals("start") ? x - 4 : x;
            svg.text(at, plotBottom + 17, chart.labels().get(i), LABEL_SIZE, anchor, Svg.INK, false, fitting);
        }
        legend(svg, chart.series().stream().map(Chart.Series::name).toList(), true, left, height - legendRows + 4);
        return svg.close();
    }

    // ------------------------------------------------------------------------------------------------------ donut

    private static String donut(Chart chart) {
        Chart.Series series = chart.series().getFirst();
        int labels = chart.labels().size();
        double total = 0;
        for (double value : series.values()) {
            if (Double.isFinite(value) && value > 0) {
                total += value;
            }
        }
        double rowHeight = 20;
        double height = Math.max(280, 60 + labels * rowHeight + 16);
        Svg svg = Svg.open(WIDTH, height, chart.title(), describe(chart));
        title(svg, chart.title());
        double cx = 150;
        double cy = 44 + (Math.min(height, 300) - 44) / 2;
        double outer = 100;
        double inner = 58;
        if (total <= 0 || !Double.isFinite(total)) {
            svg.path(ring(cx, cy, outer, inner), Svg.NONE_FILL, Svg.GRID, 1, null, null);
            svg.text(cx, cy + 4, "No data", LABEL_SIZE, "middle", Svg.MUTED, false, 20);
        } else {
            double angle = 0;
            for (int i = 0; i < labels; i++) {
                double value = series.values().get(i);
                if (!Double.isFinite(value) || value <= 0) {
                    continue;
                }
                double sweep = value / total * 2 * Math.PI;
                String tooltip = chart.labels().get(i) + ": " + Svg.value(value) + " (" + Svg.percent(value / total)
                        + ")";
                String data = sweep >= 2 * Math.PI - 1e-9 ? ring(cx, cy, outer, inner)
                        : slice(cx, cy, outer, inner, angle, angle + sweep);
                svg.path(data, color(i), "#ffffff", 1, null, tooltip);
                angle += sweep;
            }
            svg.text(cx, cy + 2, Svg.value(total), 18, "middle", Svg.INK, true, 10);
            svg.text(cx, cy + 18, "total", LABEL_SIZE, "middle", Svg.MUTED, false, 10);
        }
        // the legend: a swatch, the label, the value and its share
        double x = 290;
        double y = 64;
        int fitting = Svg.charsFitting(WIDTH - x - 130, LABEL_SIZE);
        for (int i = 0; i < labels; i++) {
            double value = series.values().get(i);
            boolean drawn = Double.isFinite(value) && value > 0 && total > 0;
            svg.rect(x, y + i * rowHeight - 10, 12, 12, drawn ? color(i) : Svg.NONE_FILL, drawn ? null : Svg.GRID);
            svg.text(x + 18, y + i * rowHeight, chart.labels().get(i), LABEL_SIZE, "start", Svg.INK, false, fitting);
            String figure = !Double.isFinite(value) ? "n/a"
                    : drawn ? Svg.value(value) + " (" + Svg.percent(value / total) + ")"
                    : Svg.value(value) + " (not drawn)";
            svg.text(WIDTH - 16, y + i * rowHeight, figure, LABEL_SIZE, "end", Svg.INK, false, 24);
        }
        return svg.close();
    }

    /** A ring segment from {@code start} to {@code end} radians, clockwise from twelve o'clock. */
    private static String slice(double cx, double cy, double outer, double inner, double start, double end) {
        int large = end - start > Math.PI ? 1 : 0;
        return "M" + point(cx, cy, outer, start) + " A" + Svg.num(outer) + " " + Svg.num(outer) + " 0 " + large
                + " 1 " + point(cx, cy, outer, end) + " L" + point(cx, cy, inner, end) + " A" + Svg.num(inner) + " "
                + Svg.num(inner) + " 0 " + large + " 0 " + point(cx, cy, inner, start) + " Z";
    }

    /** A full ring, as two half arcs each way (one arc cannot start and end at the same point). */
    private static String ring(double cx, double cy, double outer, double inner) {
        return "M" + point(cx, cy, outer, 0) + " A" + Svg.num(outer) + " " + Svg.num(outer) + " 0 1 1 "
                + point(cx, cy, outer, Math.PI) + " A" + Svg.num(outer) + " " + Svg.num(outer) + " 0 1 1 "
                + point(cx, cy, outer, 0) + " Z M" + point(cx, cy, inner, 0) + " A" + Svg.num(inner) + " "
                + Svg.num(inner) + " 0 1 0 " + point(cx, cy, inner, Math.PI) + " A" + Svg.num(inner) + " "
                + Svg.num(inner) + " 0 1 0 " + point(cx, cy, inner, 0) + " Z";
    }

    private static String point(double cx, double cy, double radius, double angle) {
        return Svg.num(cx + radius * Math.sin(angle)) + " " + Svg.num(cy - radius * Math.cos(angle));
    }

    // ---------------------------------------------------------------------------------------------------- heatmap

    private static String heatmap(Chart chart) {
        int columns = chart.labels().size();
        int rows = chart.series().size();
        double left = 130;
        double top = 44;
        double cellWidth = Math.max(24, Math.min(80, (WIDTH - left - 16) / columns));
        double cellHeight = 26;
        boolean rotate = cellWidth < 56;
        double headerHeight = rotate ? 70 : 22;
        double width = Math.max(WIDTH, left + columns * cellWidth + 16);
        double height = top + headerHeight + rows * cellHeight + 52;
        Svg svg = Svg.open(width, height, chart.title(), describe(chart));
        title(svg, chart.title());
        Shading shading = Shading.over(allValues(chart), false);
        double gridTop = top + headerHeight;
        for (int c = 0; c < columns; c++) {
            double x = left + c * cellWidth + cellWidth / 2;
            if (rotate) {
                svg.rotatedText(x + 4, gridTop - 6, -45, chart.labels().get(c), LABEL_SIZE, Svg.INK, 14);
            } else {
                svg.text(x, gridTop - 7, chart.labels().get(c), LABEL_SIZE, "middle", Svg.INK, false,
                        Svg.charsFitting(cellWidth - 4, LABEL_SIZE));
            }
        }
        int valueFitting = Svg.charsFitting(cellWidth - 4, VALUE_SIZE);
        for (int r = 0; r < rows; r++) {
            Chart.Series series = chart.series().get(r);
            double y = gridTop + r * cellHeight;
            svg.text(left - 8, y + cellHeight / 2 + 4, series.name(), LABEL_SIZE, "end", Svg.INK, false,
                    Svg.charsFitting(left - 12, LABEL_SIZE));
            for (int c = 0; c < columns; c++) {
                double value = series.values().get(c);
                int step = shading.step(value);
                double x = left + c * cellWidth;
                String fill = step < 0 ? Svg.NONE_FILL : Svg.HEAT.get(step);
                svg.rect(x, y, cellWidth, cellHeight, fill, "#ffffff",
                        series.name() + ", " + chart.labels().get(c) + ": " + Svg.value(value));
                svg.text(x + cellWidth / 2, y + cellHeight / 2 + 4, Svg.value(value), VALUE_SIZE, "middle",
                        step < 0 ? Svg.MUTED : Svg.HEAT_TEXT.get(step), false, valueFitting);
            }
        }
        shading.legend(svg, left, gridTop + rows * cellHeight + 20, allValues(chart));
        return svg.close();
    }

    // ------------------------------------------------------------------------------------------------------ parts

    private static String empty(Chart chart) {
        Svg svg = Svg.open(WIDTH, 160, chart.title(), "No data.");
        title(svg, chart.title());
        svg.rect(16, 44, WIDTH - 32, 100, Svg.NONE_FILL, Svg.GRID);
        svg.text(WIDTH / 2, 98, "No data", 13, "middle", Svg.MUTED, false, 20);
        return svg.close();
    }

    private static void title(Svg svg, String title) {
        svg.text(16, 26, title, TITLE_SIZE, "start", Svg.INK, true, Svg.charsFitting(WIDTH - 32, TITLE_SIZE));
    }

    private static void valueAxis(Svg svg, Axis axis, double left, double right, double bottom, double top) {
        for (double tick : axis.ticks()) {
            double y = axis.position(tick, bottom, top);
            svg.line(left, y, right, y, Svg.GRID, 1, null);
            svg.text(left - 6, y + 4, Svg.value(tick), LABEL_SIZE, "end", Svg.MUTED, false, 8);
        }
        svg.line(left, top, left, bottom, Svg.MUTED, 1, null);
    }

    private static void categoryLabels(Svg svg, List<String> labels, double left, double band, double bottom,
            boolean rotate) {
        for (int i = 0; i < labels.size(); i++) {
            double x = left + i * band + band / 2;
            if (rotate) {
                svg.rotatedText(x + 3, bottom + 12, -45, labels.get(i), LABEL_SIZE, Svg.INK, 16);
            } else {
                svg.text(x, bottom + 17, labels.get(i), LABEL_SIZE, "middle", Svg.INK, false,
                        Svg.charsFitting(band - 4, LABEL_SIZE));
            }
        }
    }

    private static double legendHeight(int entries) {
        return 22.0 * ((entries + 2) / 3);
    }

    /** The series' names with their swatch (and, for lines, their dash), three to a row. */
    private static void legend(Svg svg, List<String> names, boolean dashes, double left, double top) {
        double column = (WIDTH - left - 16) / 3;
        int fitting = Svg.charsFitting(column - 40, LABEL_SIZE);
        for (int i = 0; i < names.size(); i++) {
            double x = left + (i % 3) * column;
            double y = top + (i / 3) * 22.0;
            if (dashes) {
                svg.line(x, y + 6, x + 24, y + 6, color(i), 2.5, Svg.DASHES.get(i % Svg.DASHES.size()));
            } else {
                svg.rect(x + 6, y, 12, 12, color(i), null);
            }
            svg.text(x + 30, y + 10, names.get(i), LABEL_SIZE, "start", Svg.INK, false, fitting);
        }
    }

    static String color(int index) {
        return Svg.PALETTE.get(index % Svg.PALETTE.size());
    }

    private static List<Double> allValues(Chart chart) {
        List<Double> values = new ArrayList<>();
        chart.series().forEach(s -> values.addAll(s.values()));
        return values;
    }

    /** The data as text, for the {@code <desc>} a screen reader reads; long charts are cut with a count. */
    private static String describe(Chart chart) {
        StringBuilder text = new StringBuilder();
        text.append(switch (chart.kind()) {
            case BAR -> "Bar chart";
            case LINE -> "Line chart";
            case DONUT -> "Donut chart";
            case HEATMAP -> "Heat map";
        }).append(" of ").append(chart.labels().size()).append(chart.labels().size() == 1 ? " label" : " labels");
        int written = 0;
        int total = chart.labels().size() * chart.series().size();
        for (Chart.Series series : chart.kind() == Chart.Kind.DONUT ? chart.series().subList(0, 1) : chart.series()) {
            text.append(". ").append(Svg.clean(series.name())).append(':');
            for (int i = 0; i < chart.labels().size() && written < DESCRIBED_POINTS; i++, written++) {
                text.append(i == 0 ? " " : ", ").append(Svg.clean(chart.labels().get(i))).append(' ')
                        .append(Svg.value(series.values().get(i)));
            }
            if (written >= DESCRIBED_POINTS) {
                text.append(" and ").append(total - written).append(" more");
                break;
            }
        }
        return text.append('.').toString();
    }
}
