package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What ATT&amp;CK says about detecting one technique, gathered from the three places it has kept it over the versions.
 *
 * @param technique the technique
 * @param text the technique's own detection prose ({@code x_mitre_detection}, up to v17); often empty
 * @param strategies the active detection strategies that detect it (v18 and later)
 * @param dataComponents the active data components that reveal it: those that detect it directly (up to v17) and
 *     those its strategies' analytics read (v18 and later), sorted by id
 */
public record Detection(Technique technique, String text, List<DetectionStrategy> strategies,
        List<DataComponent> dataComponents) {

    public Detection {
        requireNonNull(technique, "technique is null");
        requireNonNull(text, "text is null");
        strategies = List.copyOf(strategies);
        dataComponents = List.copyOf(dataComponents);
    }

    /** ATT&amp;CK gives no detection data at all for the technique. */
    public boolean isEmpty() {
        return text.isBlank() && strategies.isEmpty() && dataComponents.isEmpty();
    }
}
