package dev.vigil.copilot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.ingest.EventSink;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The value dictionaries questions are linked against, kept up to date while events keep arriving. */
@DisplayName("The tenant facts the planner reads")
class TenantFactsTest {
    private static final TenantId ACME = TenantId.of("acme");

    @TempDir
    Path data;

    @Test
    void listTheHostsUsersAndProcessesOfEveryCommitSeenByAReader() {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant", "acme"));
        try (TenantStore writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
                TenantStore.Readers readers = writer.readers()) {
            writer.store(batch(event(1, "WS001", "alice", "C:\\Windows\\System32\\cmd.exe")));
            try (TenantStore reader = readers.open()) {
                TenantFacts first = new TenantFacts(new Workspace(config, reader));
                assertThat(first.values().get(EntityType.HOST)).containsExactly("WS001");
                assertThat(first.tables()).containsExactly("ProcessEvent");

                writer.store(batch(event(2, "WS002", "bob", "/usr/bin/curl")));
                writer.store(batch(event(3, "WS001", "carol", "C:\\Windows\\System32\\cmd.exe")));
                TenantFacts later = new TenantFacts(new Workspace(config, reader));

                assertThat(later.values().get(EntityType.HOST)).containsExactlyInAnyOrder("WS001", "WS002");
                assertThat(later.values().get(EntityType.USER)).containsExactlyInAnyOrder("alice", "bob", "carol");
                assertThat(later.values().get(EntityType.PROCESS)).contains("cmd.exe", "curl").doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void readTheEventsAgainInAnotherOpenOfTheStore() {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant", "acme"));
        try (TenantStore writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            writer.store(batch(event(1, "WS001", "alice", "cmd.exe")));
            assertThat(new TenantFacts(new Workspace(config, writer)).values().get(EntityType.HOST)).containsExactly("WS001");
        }
        try (TenantStore writer = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE)) {
            writer.store(batch(event(2, "WS009", "dave", "cmd.exe")));
            assertThat(new TenantFacts(new Workspace(config, writer)).values().get(EntityType.HOST))
                    .containsExactlyInAnyOrder("WS001", "WS009");
        }
    }

    private static EventSink.Batch batch(Event... events) {
        return new EventSink.Batch(List.of(events), List.of());
    }

    private static Event event(int sequence, String host, String user, String process) {
        long millis = 1_714_564_800_000L + sequence * 1000L;
        String raw = "{\"seq\":" + sequence + "}";
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.EVENT_CODE.ordinal()] = "1";
        common[CommonColumn.HOST.ordinal()] = host;
        common[CommonColumn.USER.ordinal()] = user;
        common[CommonColumn.PROCESS.ordinal()] = process;
        Map<String, Object> fields = new LinkedHashMap<>(Map.of("Image", process));
        return new Event(EventId.derive(ACME, millis, raw.getBytes(StandardCharsets.UTF_8), 0), ACME, "ProcessEvent",
                millis * 1000, common, fields, raw, new SourcePosition("test.json", sequence, 0));
    }
}
