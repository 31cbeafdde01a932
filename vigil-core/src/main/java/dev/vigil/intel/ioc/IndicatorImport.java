package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What reading one file of indicators gave: the indicators (deduplicated, provenance merged), the entries that could
 * not be imported and why, notes on what was imported with a caveat, and the other objects the file holds.
 *
 * @param source the file, as named to the reader
 * @param format the format it was read as; null when it was not recognized
 * @param entries how many entries were read: STIX indicator objects, MISP attributes, CSV rows, list lines
 * @param indicators the indicators, one per type and value
 * @param rejected entries not imported, each with where it is and why
 * @param notes what was imported with a caveat (a dropped part of a pattern, a qualifier ignored)
 * @param otherObjects STIX objects that are not indicators, counted by type ({@code attack-pattern: 7}); MISP
 *     attributes skipped as not for detection, by reason
 * @param problem why the file as a whole cannot be imported, or null
 */
public record IndicatorImport(String source, IntelFormat format, int entries, List<Indicator> indicators,
        List<Remark> rejected, List<Remark> notes, Map<String, Integer> otherObjects, String problem) {

    public IndicatorImport {
        requireNonNull(source, "source is null");
        indicators = List.copyOf(indicators);
        rejected = List.copyOf(rejected);
        notes = List.copyOf(notes);
        otherObjects = Map.copyOf(otherObjects);
    }

    /** A file that cannot be imported as a whole. */
    static IndicatorImport problem(String source, IntelFormat format, String problem) {
        return new IndicatorImport(source, format, 0, List.of(), List.of(), List.of(), Map.of(), problem);
    }

    /**
     * Whether the file is a STIX knowledge bundle: objects such as attack patterns, intrusion sets or malware, and no
     * indicator at all (ATT&CK is one); it is for the ATT&CK importer, not this one.
     */
    public boolean isKnowledgeOnly() {
        return problem == null && format == IntelFormat.STIX && entries == 0 && !otherObjects.isEmpty();
    }

    /** The other objects in name order, for reports. */
    public Map<String, Integer> otherObjectsSorted() {
        return new TreeMap<>(otherObjects);
    }

    /**
     * Something said about one entry.
     *
     * @param location where it is: a STIX id, {@code line 12}, {@code Attribute 3 (uuid)}
     */
    public record Remark(String location, String message) {
        public Remark {
            requireNonNull(location, "location is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            return location + ": " + message;
        }
    }
}
