package dev.vigil.posture.inventory;

import java.util.List;

/**
 * What one inventory file gave.
 *
 * @param format {@code vigil-json}, {@code vigil-csv}, {@code cyclonedx}, {@code osquery}, or null if unrecognized
 * @param rejected records skipped, each with {@code file:line} or {@code file: /json/pointer} and the reason
 * @param problem why the whole file could not be read, or null
 */
public record InventoryImport(String source, String format, Inventory inventory, List<String> rejected,
        String problem) {
    public InventoryImport {
        rejected = List.copyOf(rejected);
    }

    static InventoryImport problem(String source, String problem) {
        return new InventoryImport(source, null, Inventory.empty(), List.of(), problem);
    }
}
