package dev.vigil.model;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * A normalized event, ready to store: its identity, tenant, table and time, the common columns, the native fields
 * under their source names, the original record and where it came from.
 *
 * <p>Events are immutable once built. For speed on the ingest path the constructor takes ownership of the field map
 * and the common-column array instead of copying them; both are only exposed read-only.
 */
public final class Event {
    private final EventId id;
    private final TenantId tenant;
    private final String table;
    private final long timeMicros;
    private final String[] common;
    private final Map<String, Object> fields;
    private final String raw;
    private final SourcePosition position;

    /**
     * @param common values by {@link CommonColumn#ordinal()}, null where unknown; owned by the event
     * @param fields native fields in source order; owned by the event
     */
    public Event(EventId id, TenantId tenant, String table, long timeMicros, String[] common,
            Map<String, Object> fields, String raw, SourcePosition position) {
        this.id = requireNonNull(id, "id is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.table = requireNonNull(table, "table is null");
        this.timeMicros = timeMicros;
        this.common = requireNonNull(common, "common is null");
        if (common.length != CommonColumn.count()) {
            throw new IllegalArgumentException("common has " + common.length + " values, expected " + CommonColumn.count());
        }
        this.fields = Collections.unmodifiableMap(requireNonNull(fields, "fields is null"));
        this.raw = requireNonNull(raw, "raw is null");
        this.position = requireNonNull(position, "position is null");
    }

    public EventId id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public String table() {
        return table;
    }

    /** Event time in microseconds since the epoch, UTC. */
    public long timeMicros() {
        return timeMicros;
    }

    public String common(CommonColumn column) {
        return common[column.ordinal()];
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public String raw() {
        return raw;
    }

    public SourcePosition position() {
        return position;
    }

    @Override
    public String toString() {
        return "Event[" + id + " " + table + " " + Arrays.toString(common) + " " + fields + "]";
    }
}
