package dev.vigil.store;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The host, user and process names events hold, as the copilot's value dictionaries list them: a host or user as
 * stored, a process by its file name ({@code C:\Windows\System32\cmd.exe} is {@code cmd.exe}).
 *
 * <p>A store's writer collects the names of the events it stores in a unit of work and publishes them when it commits
 * ({@link Journal}), so that a reader that keeps the dictionaries can add what each commit brought instead of reading
 * every event table again: under steady ingest a dictionary is otherwise stale after every batch, and reading it
 * again scans the whole store.
 *
 * @param hosts distinct host names
 * @param users distinct user names
 * @param processes distinct process file names, none empty
 */
public record EntityValues(Set<String> hosts, Set<String> users, Set<String> processes) {

    public EntityValues {
        hosts = Set.copyOf(hosts);
        users = Set.copyOf(users);
        processes = Set.copyOf(processes);
    }

    /** No names. */
    public static EntityValues none() {
        return new EntityValues(Set.of(), Set.of(), Set.of());
    }

    public boolean isEmpty() {
        return hosts.isEmpty() && users.isEmpty() && processes.isEmpty();
    }

    /** The file name of a process path, as the dictionary's query takes it: what follows the last slash or backslash. */
    public static String processName(String process) {
        int cut = Math.max(process.lastIndexOf('/'), process.lastIndexOf('\\'));
        return process.substring(cut + 1);
    }

    /** Collects the names of the events stored in one unit of work. Confined to the writer's thread. */
    static final class Collector {
        private final Set<String> hosts = new LinkedHashSet<>();
        private final Set<String> users = new LinkedHashSet<>();
        private final Set<String> processes = new LinkedHashSet<>();
        private boolean stored;

        void add(Event event) {
            stored = true;
            String host = event.common(CommonColumn.HOST);
            if (host != null) {
                hosts.add(host);
            }
            String user = event.common(CommonColumn.USER);
            if (user != null) {
                users.add(user);
            }
            String process = event.common(CommonColumn.PROCESS);
            if (process != null) {
                String name = processName(process);
                if (!name.isEmpty()) {
                    processes.add(name);
                }
            }
        }

        /** Whether any event was stored since the last {@link #take}. */
        boolean stored() {
            return stored;
        }

        /** The names collected, and forgets them. */
        EntityValues take() {
            EntityValues values = new EntityValues(hosts, users, processes);
            clear();
            return values;
        }

        void clear() {
            hosts.clear();
            users.clear();
            processes.clear();
            stored = false;
        }
    }

    /**
     * The commits of events to one database in this process, numbered from 1, with the names each brought; the
     * latest {@link #KEPT} are kept. Shared by a writer and its readers; safe for use by many threads.
     */
    static final class Journal {
        static final int KEPT = 512;

        private record Entry(long commit, EntityValues values) {}

        private final Deque<Entry> entries = new ArrayDeque<>();
        private long commits;

        /** Records a commit that stored events; returns its number. */
        synchronized long committed(EntityValues values) {
            commits++;
            entries.addLast(new Entry(commits, values));
            if (entries.size() > KEPT) {
                entries.removeFirst();
            }
            return commits;
        }

        /** The number of the latest commit of events. */
        synchronized long commits() {
            return commits;
        }

        /**
         * The names of the commits after {@code since} (up to the latest), or empty when the journal no longer
         * holds all of them.
         */
        synchronized Optional<EntityValues> since(long since) {
            if (since >= commits) {
                return Optional.of(none());
            }
            if (entries.isEmpty() || entries.peekFirst().commit() > since + 1) {
                return Optional.empty();
            }
            Set<String> hosts = new LinkedHashSet<>();
            Set<String> users = new LinkedHashSet<>();
            Set<String> processes = new LinkedHashSet<>();
            for (Entry entry : entries) {
                if (entry.commit() > since) {
                    hosts.addAll(entry.values().hosts());
                    users.addAll(entry.values().users());
                    processes.addAll(entry.values().processes());
                }
            }
            return Optional.of(new EntityValues(hosts, users, processes));
        }
    }
}
