package dev.vigil.store;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.RemoteEntries;
import dev.vigil.incident.RemoteEntry;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * The remote entries a tenant's stored events show, read for the {@link dev.vigil.incident.Correlator}: the 4624
 * logons on the machine entered and the Sysmon 3 connections other machines opened to it, within a window of minutes.
 * Each look-up is two queries bounded by time (DuckDB skips the row groups outside the window by their time range, as
 * events are stored in about the order they happen) and by the machine, and the rows go through
 * {@link RemoteEntry#of}, the one rule of what counts as a remote entry. A table or field the tenant has never stored
 * reads as absent.
 */
final class StoredRemoteEntries implements RemoteEntries {
    private static final Map<String, List<String>> FIELDS = Map.of(
            "SecurityEvent", List.of("LogonType", "WorkstationName"),
            "SysmonEvent", List.of("Initiated", "DestinationPort", "DestinationHostname"));

    private final TenantStore store;
    private final DuckDBConnection connection;
    /** Per table, its columns (folded), read once per instance: a correlation run. */
    private final Map<String, Set<String>> columns = new HashMap<>();
    private int lookups;

    StoredRemoteEntries(TenantStore store, DuckDBConnection connection) {
        this.store = requireNonNull(store, "store is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    /** How many look-ups this instance answered. */
    int lookups() {
        return lookups;
    }

    @Override
    public List<RemoteEntry> into(Set<EntityKey> targets, long fromMicros, long toMicros) {
        List<String> hosts = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (EntityKey target : targets) {
            switch (target.kind()) {
                case HOST -> hosts.add(target.value());
                case IP -> addresses.add(target.value());
                default -> { }
            }
        }
        if (hosts.isEmpty() && addresses.isEmpty()) {
            return List.of();
        }
        lookups++;
        List<RemoteEntry> found = new ArrayList<>();
        if (!hosts.isEmpty()) { // the logons on the machine
            found.addAll(read("SecurityEvent", "4624", List.of(new Match("lower(split_part(host, '.', 1))", hosts)),
                    fromMicros, toMicros));
        }
        // the connections other machines opened to it, by its address or its name
        found.addAll(read("SysmonEvent", "3", List.of(new Match("dst_ip", addresses),
                new Match("lower(split_part(\"DestinationHostname\", '.', 1))", hosts)), fromMicros, toMicros));
        found.removeIf(entry -> !targets.contains(entry.target()));
        found.sort(Comparator.comparingLong(RemoteEntry::timeMicros).thenComparing(RemoteEntry::eventId));
        return found;
    }

    /** A column expression that must be one of some values. */
    private record Match(String expression, List<String> values) {}

    /** The remote entries of one table and event code in the window, whose row meets any of the matches. */
    private List<RemoteEntry> read(String table, String code, List<Match> matches, long fromMicros, long toMicros) {
        if (!store.tableNames().contains(table)) {
            return List.of(); // no such events stored: the store's catalog says so without asking the database
        }
        return store.read("looking up remote entries", table, List.<RemoteEntry>of(), () -> {
            Set<String> present = columns(table);
            List<String> fields = FIELDS.get(table);
            List<Match> usable = matches.stream().filter(m -> !m.values().isEmpty())
                    .filter(m -> !m.expression().contains("DestinationHostname")
                            || present.contains("destinationhostname"))
                    .toList();
            if (usable.isEmpty() || !present.contains("event_code")) {
                return List.of();
            }
            StringBuilder sql = new StringBuilder("SELECT CAST(event_id AS VARCHAR), epoch_us(\"time\"), host,"
                    + " \"user\", src_ip, dst_ip");
            for (String field : fields) {
                sql.append(present.contains(field.toLowerCase(Locale.ROOT))
                        ? ", CAST(" + Catalog.quote(field) + " AS VARCHAR)" : ", NULL");
            }
            sql.append(" FROM ").append(Catalog.quote(table)).append(" WHERE event_code = ? AND \"time\" BETWEEN"
                    + " make_timestamptz(?::BIGINT) AND make_timestamptz(?::BIGINT) AND (");
            for (int i = 0; i < usable.size(); i++) {
                sql.append(i == 0 ? "" : " OR ").append(usable.get(i).expression())
                        .append(" IN (SELECT unnest(?::VARCHAR[]))");
            }
            sql.append(')');
            List<RemoteEntry> entries = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                statement.setString(1, code);
                statement.setLong(2, fromMicros);
                statement.setLong(3, toMicros);
                for (int i = 0; i < usable.size(); i++) {
                    Array array = connection.createArrayOf("VARCHAR", usable.get(i).values().toArray());
                    statement.setArray(4 + i, array);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        entry(rows, table, code, fields).ifPresent(entries::add);
                    }
                }
            }
            return entries;
        });
    }

    /** A row as the event it is, through the one rule of what a remote entry is. */
    private java.util.Optional<RemoteEntry> entry(ResultSet row, String table, String code, List<String> fields)
            throws SQLException {
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.HOST.ordinal()] = row.getString(3);
        common[CommonColumn.USER.ordinal()] = row.getString(4);
        common[CommonColumn.SRC_IP.ordinal()] = row.getString(5);
        common[CommonColumn.DST_IP.ordinal()] = row.getString(6);
        common[CommonColumn.EVENT_CODE.ordinal()] = code;
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String value = row.getString(7 + i);
            if (value != null) {
                values.put(fields.get(i), value);
            }
        }
        return RemoteEntry.of(new Event(EventId.parse(row.getString(1)), store.tenant(), table, row.getLong(2), common,
                values, "", new SourcePosition(table, 0, 0)));
    }

    private Set<String> columns(String table) throws SQLException {
        Set<String> known = columns.get(table);
        if (known != null) {
            return known;
        }
        Set<String> names = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT lower(column_name) FROM"
                + " information_schema.columns WHERE table_schema = 'main' AND table_name = ?")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        columns.put(table, names);
        return names;
    }
}
