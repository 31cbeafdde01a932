package dev.vigil.report.svg;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws an {@link AttackMatrix} as an SVG 1.1 heat map in the shape of ATT&amp;CK's own matrix: a column per tactic,
 * headed by its name and how many of its techniques have a value, and under it a cell per technique showing its id,
 * its value and its name, shaded on a five-step light-to-dark scale from zero to the highest value. Cells of zero or
 * less are drawn in a neutral grey as "none", so gaps stand out. A legend under the matrix gives each shade's range.
 *
 * <p>Like {@link SvgCharts}, the output is deterministic, escapes all text, cuts long names with an ellipsis (the full
 * name stays in the cell's {@code <title>} tooltip), and keeps to plain SVG for Batik. A matrix without columns draws
 * its title and "No data".
 */
public final class AttackHeatmap {
    private static final double COLUMN_WIDTH = 118;
    private static final double GAP = 4;
    private static final double CELL_HEIGHT = 32;
    private static final double HEADER_HEIGHT = 44;
    private static final double TOP = 44;
    private static final double LEFT = 16;

    private AttackHeatmap() {}

    /** The matrix as an SVG document (a single {@code <svg>} element). */
    public static String render(AttackMatrix matrix) {
        requireNonNull(matrix, "matrix is null");
        int columns = matrix.columns().size();
        int tallest = matrix.columns().stream().mapToInt(c -> c.cells().size()).max().orElse(0);
        double width = Math.max(SvgCharts.WIDTH, LEFT * 2 + columns * (COLUMN_WIDTH + GAP) - GAP);
        double height = TOP + HEADER_HEIGHT + Math.max(1, tallest) * CELL_HEIGHT + 48;
        Svg svg = Svg.open(width, height, matrix.title(), describe(matrix));
        svg.text(LEFT, 26, matrix.title(), 15, "start", Svg.INK, true, Svg.charsFitting(width - 32, 15));
        if (columns == 0) {
            svg.rect(LEFT, TOP, width - 2 * LEFT, height - TOP - 16, Svg.NONE_FILL, Svg.GRID);
            svg.text(width / 2, TOP + (height - TOP) / 2, "No data", 13, "middle", Svg.MUTED, false, 20);
            return svg.close();
        }
        List<Double> values = new ArrayList<>();
        matrix.columns().forEach(c -> c.cells().forEach(cell -> values.add(cell.value())));
        Shading shading = Shading.over(values, true);
        int nameFitting = Svg.charsFitting(COLUMN_WIDTH - 8, 9);
        for (int c = 0; c < columns; c++) {
            AttackMatrix.Column column = matrix.columns().get(c);
            double x = LEFT + c * (COLUMN_WIDTH + GAP);
            long scored = column.cells().stream().filter(cell -> cell.value() > 0).count();
            header(svg, x, column.tactic());
            svg.text(x + COLUMN_WIDTH / 2, TOP + HEADER_HEIGHT - 8, scored + " of " + column.cells().size(), 9,
                    "middle", Svg.MUTED, false, 20);
            for (int r = 0; r < column.cells().size(); r++) {
                AttackMatrix.Cell cell = column.cells().get(r);
                double y = TOP + HEADER_HEIGHT + r * CELL_HEIGHT;
                int step = shading.step(cell.value());
                String fill = step < 0 ? Svg.NONE_FILL : Svg.HEAT.get(step);
                String ink = step < 0 ? Svg.INK : Svg.HEAT_TEXT.get(step);
                svg.rect(x, y, COLUMN_WIDTH, CELL_HEIGHT - 2, fill, step < 0 ? Svg.GRID : null,
                        cell.techniqueId() + " " + cell.name() + " (" + column.tactic() + "): "
                                + Svg.value(cell.value()));
                svg.text(x + 4, y + 12, cell.techniqueId(), 9, "start", ink, true, 10);
                if (cell.value() > 0) {
                    svg.text(x + COLUMN_WIDTH - 4, y + 12, Svg.value(cell.value()), 9, "end", ink, true, 8);
                }
                svg.text(x + 4, y + 24, cell.name(), 9, "start", ink, false, nameFitting);
            }
        }
        shading.legend(svg, LEFT, height - 16, values);
        return svg.close();
    }

    /** The tactic's name on up to two lines, split at a space, the second cut if need be. */
    private static void header(Svg svg, double x, String tactic) {
        String name = Svg.clean(tactic);
        int fitting = Svg.charsFitting(COLUMN_WIDTH - 4, 10);
        double center = x + COLUMN_WIDTH / 2;
        if (name.length() <= fitting) {
            svg.text(center, TOP + 14, name, 10, "middle", Svg.INK, true, fitting);
            return;
        }
        int split = name.lastIndexOf(' ', fitting);
        if (split <= 0) {
            svg.text(center, TOP + 14, name, 10, "middle", Svg.INK, true, fitting);
            return;
        }
        svg.text(center, TOP + 10, name.substring(0, split), 10, "middle", Svg.INK, true, fitting);
        svg.text(center, TOP + 23, name.substring(split + 1), 10, "middle", Svg.INK, true, fitting);
    }

    private static String describe(AttackMatrix matrix) {
        StringBuilder text = new StringBuilder("ATT&CK matrix of ").append(matrix.columns().size()).append(" tactics");
        for (AttackMatrix.Column column : matrix.columns()) {
            List<String> scored = column.cells().stream().filter(c -> c.value() > 0)
                    .map(c -> c.techniqueId() + " " + Svg.value(c.value())).toList();
            text.append(". ").append(Svg.clean(column.tactic())).append(": ").append(scored.size()).append(" of ")
                    .append(column.cells().size()).append(" with a value");
            if (!scored.isEmpty()) {
                text.append(" (").append(String.join(", ", scored.subList(0, Math.min(12, scored.size()))))
                        .append(scored.size() > 12 ? ", …" : "").append(')');
            }
        }
        return text.append('.').toString();
    }
}
