package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.FormatSniffer.Kind;
import dev.vigil.ingest.FormatSniffer.Sniffed;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FormatSnifferTest {
    private static Sniffed sniff(String text) {
        return FormatSniffer.sniff(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length + 64];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        for (int i = values.length; i < result.length; i++) {
            result[i] = (byte) ('a' + i % 26);
        }
        return result;
    }

    static Stream<Arguments> logs() {
        return Stream.of(
                Arguments.of("ndjson", "{\"a\":1}\n{\"a\":2}\n", Format.JSON),
                Arguments.of("array", "[{\"a\":1}]", Format.JSON),
                Arguments.of("json after BOM and blank lines", "\uFEFF\n\n  {\"a\":1}", Format.JSON),
                Arguments.of("CEF", "CEF:0|Vendor|Product|1.0|100|name|5|src=10.0.0.1\n", Format.CEF),
                Arguments.of("LEEF", "LEEF:2.0|IBM|QRadar|1.0|42|^|src=10.0.0.1\n", Format.LEEF),
                Arguments.of("RFC 5424", "<165>1 2003-10-11T22:14:15.003Z host app - ID47 - msg\n", Format.SYSLOG),
                Arguments.of("RFC 3164", "<34>Oct 11 22:14:15 mymachine su: 'su root' failed\n", Format.SYSLOG),
                Arguments.of("BSD syslog without PRI", "May  1 10:00:00 host sshd[42]: Accepted password for bob\n",
                        Format.SYSLOG),
                Arguments.of("Cisco IOS without PRI", "172.16.5.10 6705: Feb 17 13:40:03.673: %PARSER-5-CFGLOG_LOGGEDCMD: "
                        + "User:admin logged command:x\n", Format.SYSLOG),
                Arguments.of("CEF over syslog", "Jan 18 11:07:53 host CEF:0|Security|threatmanager|1.0|100|worm|10|src=10.0.0.1\n",
                        Format.SYSLOG),
                Arguments.of("auditd", "type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e syscall=2\n",
                        Format.AUDITD),
                Arguments.of("CSV", "time,user,action\n2024-05-01T10:00:00Z,bob,login\n", Format.CSV),
                Arguments.of("TSV", "time\tuser\taction\n2024-05-01\tbob\tlogin\n", Format.CSV),
                Arguments.of("CSV with quoted second line", "a,b\n\"x,y\",z\n", Format.CSV));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logs")
    void eachLogFormatIsRecognizedByItsFirstBytes(String name, String head, Format format) {
        Sniffed sniffed = sniff(head);

        assertThat(sniffed.kind()).isEqualTo(Kind.LOG);
        assertThat(sniffed.format()).isEqualTo(format);
    }

    @Test
    void octetCountedSyslogIsMarkedSo() {
        Sniffed sniffed = sniff("71 <34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed");

        assertThat(sniffed.format()).isEqualTo(Format.SYSLOG);
        assertThat(sniffed.octetCounted()).isTrue();
    }

    @Test
    void csvRemembersItsDelimiter() {
        assertThat(sniff("a;b;c\n1;2;3\n").csvDelimiter()).isEqualTo(';');
        assertThat(sniff("a\tb\n1\t2\n").csvDelimiter()).isEqualTo('\t');
    }

    static Stream<Arguments> binaries() {
        return Stream.of(
                Arguments.of("pcap", bytes(0xD4, 0xC3, 0xB2, 0xA1), Kind.NOT_A_LOG, "a pcap packet capture"),
                Arguments.of("pcap big-endian", bytes(0xA1, 0xB2, 0xC3, 0xD4), Kind.NOT_A_LOG, "a pcap packet capture"),
                Arguments.of("pcap nanosecond", bytes(0x4D, 0x3C, 0xB2, 0xA1), Kind.NOT_A_LOG, "a pcap packet capture"),
                Arguments.of("pcapng", bytes(0x0A, 0x0D, 0x0D, 0x0A), Kind.NOT_A_LOG, "a pcapng packet capture"),
                Arguments.of("ELF", bytes(0x7F, 'E', 'L', 'F'), Kind.NOT_A_LOG, "an ELF executable"),
                Arguments.of("PE", bytes('M', 'Z', 0x90), Kind.NOT_A_LOG, "a Windows executable"),
                Arguments.of("PDF", bytes('%', 'P', 'D', 'F', '-'), Kind.NOT_A_LOG, "a PDF document"),
                Arguments.of("PNG", bytes(0x89, 'P', 'N', 'G'), Kind.NOT_A_LOG, "an image"),
                Arguments.of("binary EVTX", bytes('E', 'l', 'f', 'F', 'i', 'l', 'e', 0), Kind.UNSUPPORTED_LOG,
                        "a binary Windows .evtx log; convert it to JSON first (evtx_dump -o jsonl FILE)"),
                Arguments.of("zstd", bytes(0x28, 0xB5, 0x2F, 0xFD), Kind.UNSUPPORTED_LOG,
                        "zstd-compressed data; decompress it first (zstd -d)"),
                Arguments.of("xz", bytes(0xFD, '7', 'z', 'X', 'Z', 0), Kind.UNSUPPORTED_LOG,
                        "xz-compressed data; decompress it first (xz -d)"),
                Arguments.of("Parquet", bytes('P', 'A', 'R', '1'), Kind.UNSUPPORTED_LOG,
                        "a Parquet file; export it to JSON or CSV first"),
                Arguments.of("NUL bytes", bytes('{', '"', 'a', 0, 'b'), Kind.BINARY, "binary data (it contains NUL bytes)"),
                Arguments.of("control bytes", bytes(1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16, 17, 18, 19, 20, 21, 22),
                        Kind.BINARY, "binary data (mostly control bytes)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void binaryInputsAreToldApartFromLogs(String name, byte[] head, Kind kind, String description) {
        Sniffed sniffed = FormatSniffer.sniff(head);

        assertThat(sniffed.kind()).isEqualTo(kind);
        assertThat(sniffed.description()).isEqualTo(description);
        assertThat(sniffed.format()).isNull();
    }

    @Test
    void proseIsUnknownText() {
        Sniffed sniffed = sniff("# Vigil\n\nVigil is an open-source security copilot. It reads logs\n"
                + "and answers questions about them. See the documentation for more.\n");

        assertThat(sniffed.kind()).isEqualTo(Kind.UNKNOWN_TEXT);
        assertThat(sniffed.description()).isEqualTo("text in no format Vigil recognizes");
    }

    @Test
    void blankTextIsUnknownText() {
        assertThat(sniff("  \n\n").kind()).isEqualTo(Kind.UNKNOWN_TEXT);
    }
}
