package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static dev.vigil.store.StoreTesting.quarantined;
import static dev.vigil.store.StoreTesting.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.EventSink;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A tenant store's quarantine")
class TenantStoreQuarantineTest {
    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void keepsEachRecordWithItsSourceLineReasonDetailAndRawBytes() {
        QuarantinedRecord json = quarantined(ACME, "logs/a.json", 7, QuarantineReason.MALFORMED_JSON,
                "unexpected end of input", "{\"broken\":");
        QuarantinedRecord csv = quarantined(ACME, "logs/b.csv", 3, QuarantineReason.MALFORMED_CSV,
                "unterminated quote", "a,\"b");

        EventSink.Result result = store.store(new EventSink.Batch(
                List.of(event("SysmonEvent", "1", 1, fields("Image", "a.exe"))), List.of(json, csv)));

        assertThat(result).isEqualTo(new EventSink.Result(1, 0, 2, 0));
        assertThat(rows(store, "SELECT tenant, source, line, byte_offset, reason, detail, decode(raw), raw_length"
                + " FROM vigil_quarantine ORDER BY source"))
                .containsExactly(
                        List.of("acme", "logs/a.json", 7L, 700L, "malformed_json", "unexpected end of input", "{\"broken\":", 10L),
                        List.of("acme", "logs/b.csv", 3L, 300L, "malformed_csv", "unterminated quote", "a,\"b", 4L));
        assertThat(store.quarantineCounts()).isEqualTo(Map.of("malformed_csv", 1L, "malformed_json", 1L));
    }

    @Test
    void keepsBinaryBytesExactlyAndTheFullLengthOfATruncatedRecord() {
        byte[] prefix = new byte[64];
        Arrays.fill(prefix, (byte) 0xFF);
        prefix[0] = 0;
        QuarantinedRecord oversized = QuarantinedRecord.of(ACME, new SourcePosition("big.json", 1, 0),
                QuarantineReason.RECORD_TOO_LARGE, "record of 104857600 bytes", prefix, 104_857_600L, 0);

        store.store(new EventSink.Batch(List.of(), List.of(oversized)));

        assertThat(rows(store, "SELECT octet_length(raw), raw_length, hex(raw) FROM vigil_quarantine"))
                .containsExactly(List.of(64L, 104_857_600L, "00" + "FF".repeat(63)));
    }

    @Test
    void reAppendingTheSameRecordsQuarantinesThemOnce() {
        List<QuarantinedRecord> records = List.of(
                quarantined(ACME, "a.json", 1, QuarantineReason.MALFORMED_JSON, "bad", "{"),
                quarantined(ACME, "a.json", 2, QuarantineReason.INVALID_UTF8, "bad byte", "\u00ff"));
        store.store(new EventSink.Batch(List.of(), records));

        EventSink.Result again = store.store(new EventSink.Batch(List.of(), records));
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
        EventSink.Result afterReopen = store.store(new EventSink.Batch(List.of(), records));

        assertThat(again).isEqualTo(new EventSink.Result(0, 0, 0, 2));
        assertThat(afterReopen).isEqualTo(new EventSink.Result(0, 0, 0, 2));
        assertThat(store.quarantineCounts()).isEqualTo(Map.of("invalid_utf8", 1L, "malformed_json", 1L));
    }

    @Test
    void aRecordRepeatedWithinOneBatchIsQuarantinedOnce() {
        QuarantinedRecord record = quarantined(ACME, "a.json", 1, QuarantineReason.MALFORMED_JSON, "bad", "{");

        EventSink.Result result = store.store(new EventSink.Batch(List.of(), List.of(record, record)));

        assertThat(result).isEqualTo(new EventSink.Result(0, 0, 1, 1));
        assertThat(store.quarantineCounts()).isEqualTo(Map.of("malformed_json", 1L));
    }

    @Test
    void aQuarantinedRecordWithQuotesInItsFieldsIsStoredVerbatim() {
        QuarantinedRecord record = quarantined(ACME, "it's.json", 1, QuarantineReason.MALFORMED_JSON,
                "detail with 'quotes' and \"doubles\"", "{'");

        store.store(new EventSink.Batch(List.of(), List.of(record)));

        assertThat(rows(store, "SELECT source, detail, decode(raw) FROM vigil_quarantine"))
                .containsExactly(List.of("it's.json", "detail with 'quotes' and \"doubles\"",
                        new String("{'".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    }
}
