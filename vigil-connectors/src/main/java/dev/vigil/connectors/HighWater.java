package dev.vigil.connectors;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** The highest modification time seen, and the ids of the records at exactly that time. Confined to one run. */
final class HighWater {
    private Instant mark;
    private final Set<String> ids = new HashSet<>();

    HighWater(Instant mark, Set<String> ids) {
        this.mark = mark;
        this.ids.addAll(ids);
    }

    void observe(String id, Instant modified) {
        if (mark == null || modified.isAfter(mark)) {
            mark = modified;
            ids.clear();
            ids.add(id);
        } else if (modified.equals(mark)) {
            ids.add(id);
        }
    }

    Instant mark() {
        return mark;
    }

    Set<String> ids() {
        return Set.copyOf(ids);
    }
}
