package dev.vigil.lake;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small synthetic events, built the way the normalizer builds them, for the writer and compaction specifications. */
final class LakeEvents {
    /** 2024-05-01T12:00:00Z */
    static final long BASE_MILLIS = 1_714_564_800_000L;

    private LakeEvents() {}

    /** Process events {@code from} to {@code to} (exclusive) of the tenant, one second apart, on one host per 3. */
    static EventSink.Batch processes(TenantId tenant, int from, int to) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("EventID", 1L);
            fields.put("Computer", "WS" + (i % 3));
            fields.put("Image", i % 2 == 0 ? "C:\\Windows\\cmd.exe" : "C:\\Windows\\explorer.exe");
            fields.put("CommandLine", "cmd.exe /c step " + i);
            fields.put("host", "native-host-" + i); // clashes with the common column host
            long millis = BASE_MILLIS + i * 1000L;
            String raw = "{\"seq\":" + i + "}";
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.HOST.ordinal()] = "WS" + (i % 3);
            common[CommonColumn.EVENT_CODE.ordinal()] = "1";
            events.add(new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant,
                    "SysmonEvent", millis * 1000, common, fields, raw, new SourcePosition("test.jsonl", i, 0)));
        }
        return new EventSink.Batch(events, List.of());
    }
}
