package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Event;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remote entries held in memory, by the machine entered and time: for a correlator fed from a stream of events, and
 * for benchmarks. A look-up costs the entries of its window, whatever the number held.
 */
public final class RemoteEntryIndex implements RemoteEntries {
    private final Map<EntityKey, NavigableMap<Long, List<RemoteEntry>>> byTarget = new HashMap<>();
    private int size;

    /** Takes in the remote entry the event shows, if any (see {@link RemoteEntry#of}); returns whether it did. */
    public boolean observe(Event event) {
        return RemoteEntry.of(event).map(entry -> {
            add(entry);
            return true;
        }).orElse(false);
    }

    public void add(RemoteEntry entry) {
        requireNonNull(entry, "entry is null");
        byTarget.computeIfAbsent(entry.target(), t -> new TreeMap<>())
                .computeIfAbsent(entry.timeMicros(), t -> new ArrayList<>(1)).add(entry);
        size++;
    }

    /** Forgets the entries before a time: a correlator never looks further back than its window. */
    public void forgetBefore(long timeMicros) {
        byTarget.values().removeIf(entries -> {
            NavigableMap<Long, List<RemoteEntry>> old = entries.headMap(timeMicros, false);
            size -= old.values().stream().mapToInt(List::size).sum();
            old.clear();
            return entries.isEmpty();
        });
    }

    /** The number of entries held. */
    public int size() {
        return size;
    }

    @Override
    public List<RemoteEntry> into(Set<EntityKey> targets, long fromMicros, long toMicros) {
        List<RemoteEntry> found = new ArrayList<>();
        for (EntityKey target : targets) {
            NavigableMap<Long, List<RemoteEntry>> entries = byTarget.get(target);
            if (entries != null) {
                entries.subMap(fromMicros, true, toMicros, true).values().forEach(found::addAll);
            }
        }
        found.sort(Comparator.comparingLong(RemoteEntry::timeMicros).thenComparing(RemoteEntry::eventId));
        return found;
    }
}
