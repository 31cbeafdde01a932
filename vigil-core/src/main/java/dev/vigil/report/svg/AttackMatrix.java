package dev.vigil.report.svg;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Tactic;
import dev.vigil.intel.attack.Technique;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ATT&amp;CK matrix to draw as a heat map ({@link AttackHeatmap}): a column per tactic in kill-chain order, a cell
 * per technique with a value such as the number of enabled rules covering it, or of alerts citing it.
 *
 * @param title what the values are, e.g. "ATT&amp;CK coverage of enabled detections"
 * @param columns the tactics, left to right
 */
public record AttackMatrix(String title, List<Column> columns) {
    public AttackMatrix {
        requireNonNull(title, "title is null");
        columns = List.copyOf(columns);
    }

    /**
     * A tactic's column.
     *
     * @param tactic the tactic's name, e.g. "Credential Access"
     * @param cells its techniques, top to bottom
     */
    public record Column(String tactic, List<Cell> cells) {
        public Column {
            requireNonNull(tactic, "tactic is null");
            cells = List.copyOf(cells);
        }
    }

    /**
     * A technique's cell.
     *
     * @param techniqueId e.g. {@code T1003}
     * @param name e.g. "OS Credential Dumping"
     * @param value what the cell is shaded by; zero or less is drawn as "none"
     */
    public record Cell(String techniqueId, String name, double value) {
        public Cell {
            requireNonNull(techniqueId, "techniqueId is null");
            requireNonNull(name, "name is null");
        }
    }

    /** Which techniques of the knowledge base get a cell. */
    public enum Scope {
        /** Every active technique: the full matrix, so gaps show. */
        ALL,
        /** Only techniques with a value above zero: a compact matrix of what is there. */
        WITH_VALUE
    }

    /**
     * The matrix of the knowledge base's active tactics (in kill-chain order) and techniques, each technique valued
     * from {@code values}. Sub-techniques do not get cells of their own: their values add to their technique's, so
     * a rule for T1003.001 counts towards T1003. Technique ids in {@code values} are matched without regard to case;
     * ids the knowledge base does not know (or that name a revoked technique) are left out. Cells are ordered by
     * technique name, as ATT&amp;CK's own matrix is.
     *
     * @param values a value by technique or sub-technique id
     */
    public static AttackMatrix of(String title, AttackKnowledge attack, Map<String, ? extends Number> values,
            Scope scope) {
        requireNonNull(attack, "attack is null");
        requireNonNull(values, "values is null");
        requireNonNull(scope, "scope is null");
        // each value goes to its technique: a sub-technique's to its parent
        Map<String, Double> byId = new HashMap<>();
        values.forEach((id, value) -> attack.technique(id.strip().toUpperCase(Locale.ROOT))
                .filter(t -> t.id().equalsIgnoreCase(id.strip()))
                .map(t -> t.isSubtechnique() ? t.parentId().orElse(t.id().replaceFirst("\\..*", "")) : t.id())
                .ifPresent(techniqueId -> byId.merge(techniqueId, value.doubleValue(), Double::sum)));
        List<Column> columns = new ArrayList<>();
        for (Tactic tactic : attack.tactics()) {
            List<Cell> cells = new ArrayList<>();
            for (Technique technique : attack.techniquesOf(tactic.id())) {
                if (technique.isSubtechnique()) {
                    continue;
                }
                double value = byId.getOrDefault(technique.id(), 0.0);
                if (scope == Scope.ALL || value > 0) {
                    cells.add(new Cell(technique.id(), technique.name(), value));
                }
            }
            cells.sort(Comparator.comparing(Cell::name).thenComparing(Cell::techniqueId));
            columns.add(new Column(tactic.name(), cells));
        }
        return new AttackMatrix(title, columns);
    }

    /** The number of cells with a value above zero, over all columns (a technique under two tactics counts twice). */
    public long cellsWithValue() {
        return columns.stream().flatMap(c -> c.cells().stream()).filter(c -> c.value() > 0).count();
    }
}
