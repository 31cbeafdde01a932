package dev.vigil.intel.ioc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Operations on collections of indicators. */
public final class Indicators {
    private Indicators() {}

    /**
     * One indicator per type and value, in the order each value first appears, with the provenance of every listing
     * of it merged ({@link Provenance#merge}): all feeds kept, the highest confidence, the earliest first seen and the
     * latest last seen.
     */
    public static List<Indicator> deduplicate(Iterable<Indicator> indicators) {
        Map<String, Indicator> byKey = new LinkedHashMap<>();
        for (Indicator indicator : indicators) {
            byKey.merge(indicator.key(), indicator, Indicator::merge);
        }
        return new ArrayList<>(byKey.values());
    }
}
