package dev.vigil.store;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds events and batches for the store specifications, the way the normalizer would. */
final class StoreTesting {
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");
    /** 2024-05-01T12:00:00Z */
    static final long BASE_MILLIS = 1_714_564_800_000L;

    private StoreTesting() {}

    /** Alternating names and values, in order; values may be null. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /**
     * An event of the tenant whose raw text is unique per {@code sequence}, so that its derived id is too; the same
     * arguments always give the same event (and id).
     */
    static Event event(TenantId tenant, String table, String eventCode, int sequence, Map<String, Object> fields) {
        long millis = BASE_MILLIS + sequence * 1000L;
        String raw = "{\"seq\":" + sequence + ",\"table\":\"" + table + "\",\"code\":\"" + eventCode + "\",\"fields\":\""
                + fields + "\"}";
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.EVENT_CODE.ordinal()] = eventCode;
        common[CommonColumn.HOST.ordinal()] = "host-" + (sequence % 3);
        common[CommonColumn.USER.ordinal()] = "user-" + sequence;
        return new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant, table,
                millis * 1000, common, new LinkedHashMap<>(fields), raw, new SourcePosition("test.json", sequence, 0));
    }

    static Event event(String table, String eventCode, int sequence, Map<String, Object> fields) {
        return event(ACME, table, eventCode, sequence, fields);
    }

    static EventSink.Batch batch(Event... events) {
        return new EventSink.Batch(List.of(events), List.of());
    }

    static EventSink.Batch batch(List<Event> events) {
        return new EventSink.Batch(events, List.of());
    }

    static List<List<Object>> rows(TenantStore store, String sql) {
        return store.query(sql, 100_000).rows();
    }

    static Object single(TenantStore store, String sql) {
        List<List<Object>> rows = rows(store, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + " but got " + rows);
        }
        return rows.get(0).get(0);
    }

    /** The SQL type of a column of an event table, as the view shows it. */
    static String columnType(TenantStore store, String table, String column) {
        return (String) single(store, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'main'"
                + " AND table_name = '" + table + "' AND column_name = '" + column + "'");
    }

    static QuarantinedRecord quarantined(TenantId tenant, String source, long line, QuarantineReason reason,
            String detail, String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        return QuarantinedRecord.of(tenant, new SourcePosition(source, line, line * 100), reason, detail, bytes,
                bytes.length, 0);
    }

    /**
     * The flag that lets a child JVM's libraries read memory through sun.misc.Unsafe quietly: JDK 23+ warns without
     * it, older JDKs do not know it (they then get a harmless property instead).
     */
    static String unsafeMemoryAccessFlag() {
        return Runtime.version().feature() >= 23 ? "--sun-misc-unsafe-memory-access=allow" : "-Dvigil.unsafe.flag=none";
    }
}
