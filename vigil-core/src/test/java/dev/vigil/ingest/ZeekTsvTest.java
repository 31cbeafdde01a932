package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zeek's native tab-separated logs: the header lines type and name the rows below them. */
class ZeekTsvTest {
    private static final String CONN_LOG = String.join("\n",
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#open\t2024-05-01-10-00-00",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\tlocal_orig\thistory",
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tbool\tstring",
            "1714557600.123456\tCabc1\t10.0.0.5\t49152\t198.51.100.7\t443\ttcp\tssl\t1.5\tT\tShADad",
            "1714557601.000000\tCabc2\t10.0.0.6\t49153\t198.51.100.8\t53\tudp\t-\t-\tF\t(empty)",
            "#close\t2024-05-01-11-00-00",
            "#separator \\x09",
            "#path\tdns",
            "#fields\tts\tuid\tquery",
            "#types\ttime\tstring\tstring",
            "1714557602.5\tCdns1\texample.org",
            "");

    @TempDir
    Path dir;

    @Test
    void rowsAreTypedByTheirHeaderAndNamedByTheirPath() throws IOException {
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("zeek.log"), CONN_LOG));

        assertThat(summary.read()).isEqualTo(3);
        assertThat(summary.quarantined()).isZero();
        Event first = sink.events().get(0);
        assertThat(first.table()).isEqualTo("ZeekConn");
        assertThat(first.position().line()).isEqualTo(9);
        assertThat(first.fields())
                .containsEntry("id.orig_p", 49152L)
                .containsEntry("duration", 1.5)
                .containsEntry("local_orig", true)
                .containsEntry("service", "ssl");
        assertThat(first.common(CommonColumn.SRC_IP)).isEqualTo("10.0.0.5");
        assertThat(first.common(CommonColumn.DST_IP)).isEqualTo("198.51.100.7");
        assertThat(first.timeMicros()).isEqualTo(1_714_557_600_123_456L);
        Event second = sink.events().get(1);
        assertThat(second.fields()).containsEntry("service", null).containsEntry("history", "");
        Event dns = sink.events().get(2);
        assertThat(dns.table()).isEqualTo("ZeekDns");
        assertThat(dns.common(CommonColumn.DOMAIN)).isEqualTo("example.org");
    }

    @Test
    void aRowThatDoesNotMatchItsHeaderIsQuarantinedWithTheCounts() {
        ZeekTsvReader reader = new ZeekTsvReader(new java.io.ByteArrayInputStream(
                "#separator \\x09\n#fields\ta\tb\n1\t2\t3\n".getBytes(StandardCharsets.UTF_8)), "z.log", 1 << 20);
        ParserTesting.assertRejected(record -> {
            try {
                reader.next();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return new ZeekTsvParser(reader).parse(record);
        }, "1\t2\t3", QuarantineReason.MALFORMED_ZEEK, "row has 3 fields, #fields names 2");
    }
}
