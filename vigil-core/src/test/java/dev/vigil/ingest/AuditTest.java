package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.QuarantineReason;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditTest {
    private static final String SAMPLE = "datasets/atomic/linux/discovery/host/sh_arp_cache.zip";
    private final AuditParser parser = new AuditParser();

    private static List<RawRecord> readAll(InputStream in) throws Exception {
        List<RawRecord> records = new ArrayList<>();
        try (AuditRecordReader reader = new AuditRecordReader(in, "audit.log", 1 << 20)) {
            for (RawRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
        }
        return records;
    }

    private static InputStream sample() throws Exception {
        Path otrf = SharedData.require("otrf-security-datasets", "OTRF/Security-Datasets");
        ZipInputStream zip = new ZipInputStream(java.nio.file.Files.newInputStream(otrf.resolve(SAMPLE)));
        ZipEntry entry = zip.getNextEntry();
        assertThat(entry).isNotNull();
        return zip;
    }

    @Test
    void realAuditdSampleGroupsLinesByAuditIdAndBuildsTheCommandLine() throws Exception {
        List<RawRecord> records = readAll(sample());

        assertThat(records).hasSize(2);
        assertThat(records.get(1).position().line()).isEqualTo(7);
        ParsedRecord arp = parser.parse(records.get(0));
        assertThat(arp.table()).isEqualTo("LinuxAudit");
        assertThat(arp.fields())
                .containsEntry("AuditId", "1604994496.155:92733")
                .containsEntry("RecordTypes", "SYSCALL,EXECVE,CWD,PATH,PATH,PROCTITLE")
                .containsEntry("comm", "arp").containsEntry("exe", "/usr/sbin/arp").containsEntry("key", null)
                .containsEntry("a0", "558e251634a0").containsEntry("EXECVE.a0", "arp")
                .containsEntry("name", "/usr/sbin/arp").containsEntry("PATH.name", "/lib64/ld-linux-x86-64.so.2")
                .containsEntry("cwd", "/home/wardog").containsEntry("proctitle", "arp -a")
                .containsEntry("CommandLine", "arp -a");
        assertThat(arp.timeMicros()).isEqualTo(1_604_994_496_155_000L);
        ParsedRecord grep = parser.parse(records.get(1));
        assertThat(grep.fields()).containsEntry("CommandLine", "grep -v ^?").containsEntry("proctitle", "grep -v ^?");
    }

    @Test
    void thirdOccurrenceOfAKeyInOneTypeIsNumbered() throws Exception {
        String event = "type=PATH msg=audit(1.5:1): name=\"a\"\ntype=PATH msg=audit(1.5:1): name=\"b\"\n"
                + "type=PATH msg=audit(1.5:1): name=\"c\"";

        assertThat(parser.parse(ParserTesting.record(event)).fields())
                .containsEntry("name", "a").containsEntry("PATH.name", "b").containsEntry("PATH.name.2", "c");
    }

    @Test
    void hexEncodedAndChunkedArgumentsAreDecodedIntoTheCommandLine() throws Exception {
        String event = "type=EXECVE msg=audit(1604994496.155:7): argc=3 a0=\"sh\" a1=2D63 a2_len=6 a2[0]=6563 "
                + "a2[1]=686F2078";

        assertThat(parser.parse(ParserTesting.record(event)).fields()).containsEntry("CommandLine", "sh -c echo x");
    }

    @Test
    void userSpaceMessagesHaveTheirNestedPairsParsed() throws Exception {
        String event = "node=web01 type=USER_LOGIN msg=audit(1604994496.155:8): pid=1 uid=0 msg='op=login "
                + "acct=\"bob\" exe=\"/usr/sbin/sshd\" res=success'";

        assertThat(parser.parse(ParserTesting.record(event)).fields()).containsEntry("node", "web01")
                .containsEntry("op", "login").containsEntry("acct", "bob").containsEntry("res", "success");
    }

    @Test
    void linesWithoutAnAuditIdAreRecordsOfTheirOwn() throws Exception {
        String log = "garbage\ntype=CWD msg=audit(1.0:1): cwd=\"/\"\ntype=CWD msg=audit(1.0:2): cwd=\"/\"\n";

        List<RawRecord> records = readAll(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)));

        assertThat(records).extracting(RawRecord::text).containsExactly(
                "garbage", "type=CWD msg=audit(1.0:1): cwd=\"/\"", "type=CWD msg=audit(1.0:2): cwd=\"/\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "garbage|line 1 does not start with 'type=' at column 1; expected "
                + "'type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...'",
        "type= msg=audit(1.0:1): a=b|line 1 has an empty type at column 6",
        "type=CWD cwd=x|line 1 has no 'msg=audit(' after type=CWD at column 10; expected "
                + "'type=TYPE msg=audit(SECONDS.MILLIS:SERIAL): key=value ...'",
        "type=CWD msg=audit(1.0:1 a=b|line 1 has no ')' closing 'msg=audit(' at column 10",
        "type=CWD msg=audit(now): a=b|line 1 has audit id 'now' at column 20; expected SECONDS.MILLIS:SERIAL",
        "type=CWD msg=audit(1.0:1) a=b|line 1 has no ':' after 'msg=audit(1.0:1)' at column 26"})
    void malformedAuditLinesAreRejectedWithAPreciseDetail(String line, String detail) {
        assertRejected(parser, line, QuarantineReason.MALFORMED_AUDIT, detail);
    }

    @Test
    void linesOfDifferentEventsInOneRecordAreRejected() {
        assertRejected(parser, "type=CWD msg=audit(1.0:1): a=b\ntype=CWD msg=audit(1.0:2): a=b",
                QuarantineReason.MALFORMED_AUDIT,
                "line 2 has audit id '1.0:2' but the first line has '1.0:1'; one record holds one audit event");
    }
}
