package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.assertRejected;
import static dev.vigil.ingest.ParserTesting.fields;
import static dev.vigil.ingest.ParserTesting.micros;
import static dev.vigil.ingest.ParserTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.QuarantineReason;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CefAndLeefParserTest {
    private static final String CEF_EXPECTED = "; expected 'CEF:Version|Device Vendor|Device Product|Device Version|"
            + "Device Event Class ID|Name|Severity|'";
    private final CefParser cef = new CefParser();
    private final LeefParser leef = new LeefParser(ZoneOffset.UTC);

    @Test
    void cefStandardExampleMapsHeaderAndExtensionToSentinelNames() throws Exception {
        ParsedRecord parsed = cef.parse(record("CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|"
                + "src=10.0.0.1 dst=2.1.2.2 spt=1232"));

        assertThat(parsed.table()).isEqualTo("CommonSecurityLog");
        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "DeviceVendor", "Security", "DeviceProduct", "threatmanager", "DeviceVersion", "1.0",
                "DeviceEventClassID", "100", "Activity", "worm successfully stopped", "LogSeverity", "10",
                "SourceIP", "10.0.0.1", "DestinationIP", "2.1.2.2", "SourcePort", 1232L));
        assertThat(parsed.timeMicros()).isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    @Test
    void cefAfterAnUnknownSyslogPrefixIsFound() throws Exception {
        ParsedRecord parsed = cef.parse(record("Sep 19 08:26:10 host CEF:0|Security|threatmanager|1.0|100|"
                + "worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232"));

        assertThat(parsed.fields()).containsEntry("DeviceVendor", "Security").containsEntry("DestinationIP", "2.1.2.2");
    }

    @Test
    void cefHeaderUnescapesPipeAndBackslash() throws Exception {
        ParsedRecord parsed = cef.parse(record("CEF:0|security|threatmanager|1.0|100|detected a \\| in message|10|"
                + "src=10.0.0.1 act=blocked a \\\\ dst=1.1.1.1"));

        assertThat(parsed.fields()).containsEntry("Activity", "detected a | in message")
                .containsEntry("DeviceAction", "blocked a \\").containsEntry("DestinationIP", "1.1.1.1");
    }

    @Test
    void cefExtensionUnescapesEqualsNewlinesAndKeepsMultiWordValues() throws Exception {
        ParsedRecord parsed = cef.parse(record("CEF:0|security|threatmanager|1.0|100|detected a = in message|10|"
                + "src=10.0.0.1 act=blocked a \\= dst=1.1.1.1 msg=line one\\nline two\\r suser=John Smith "
                + "filePath=C:\\Windows\\cmd.exe cs1Label=Rule Name cs1=Block all cn1=42 custom=kept"));

        assertThat(parsed.fields()).containsEntry("Activity", "detected a = in message")
                .containsEntry("DeviceAction", "blocked a =").containsEntry("Message", "line one\nline two\r")
                .containsEntry("SourceUserName", "John Smith").containsEntry("FilePath", "C:\\Windows\\cmd.exe")
                .containsEntry("DeviceCustomString1Label", "Rule Name").containsEntry("DeviceCustomString1", "Block all")
                .containsEntry("DeviceCustomNumber1", 42L).containsEntry("custom", "kept");
    }

    @Test
    void cefWithoutExtensionMayOmitTheLastPipe() throws Exception {
        ParsedRecord parsed = cef.parse(record("CEF:0|Vendor|Product|1|42|Name|Low"));

        assertThat(parsed.fields()).containsEntry("LogSeverity", "Low").hasSize(6);
    }

    @Test
    void cefTimeIsReceiptTimeInEpochMillisOrTextElseEndOrStart() throws Exception {
        assertThat(cef.parse(record("CEF:0|V|P|1|2|N|3|rt=1718445600000 end=Jun 01 2024 00:00:00")).timeMicros())
                .isEqualTo(micros("2024-06-15T10:00:00Z"));
        assertThat(cef.parse(record("CEF:0|V|P|1|2|N|3|end=Jun 01 2024 10:00:00.250 UTC")).timeMicros())
                .isEqualTo(micros("2024-06-01T10:00:00.250Z"));
        assertThat(cef.parse(record("CEF:0|V|P|1|2|N|3|start=Jun 01 2024 10:00:00")).timeMicros())
                .isEqualTo(micros("2024-06-01T10:00:00Z"));
    }

    @Test
    void cefNonNumericPortStaysText() throws Exception {
        assertThat(cef.parse(record("CEF:0|V|P|1|2|N|3|spt=http dpt=")).fields())
                .containsEntry("SourcePort", "http").containsEntry("DestinationPort", null);
    }

    @Test
    void leef1ExampleIsTabSeparated() throws Exception {
        ParsedRecord parsed = leef.parse(record("LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\t"
                + "dst=172.50.123.1\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black"));

        assertThat(parsed.table()).isEqualTo("CommonSecurityLog");
        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "DeviceVendor", "Microsoft", "DeviceProduct", "MSExchange", "DeviceVersion", "4.0 SP1",
                "DeviceEventClassID", "15345", "LEEFVersion", "1.0", "SourceIP", "192.0.2.0",
                "DestinationIP", "172.50.123.1", "LogSeverity", "5", "DeviceEventCategory", "anomaly",
                "SourcePort", 81L, "DestinationPort", 21L, "SourceUserName", "joe.black"));
    }

    @Test
    void leef2WithCaretDelimiter() throws Exception {
        ParsedRecord parsed = leef.parse(record("LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=10.0.1.8^"
                + "dst=10.0.0.5^sev=5^srcPort=81^dstPort=21"));

        assertThat(parsed.fields()).containsEntry("LEEFVersion", "2.0").containsEntry("SourceIP", "10.0.1.8")
                .containsEntry("DestinationIP", "10.0.0.5").containsEntry("DestinationPort", 21L);
    }

    @ParameterizedTest(name = "delimiter field {0}")
    @MethodSource("hexDelimiters")
    void leef2WithHexDelimiter(String delimiterField, String separator) throws Exception {
        ParsedRecord parsed = leef.parse(record("LEEF:2.0|Vendor|Product|Version|EventID|" + delimiterField
                + "|src=1.1.1.1" + separator + "action=block"));

        assertThat(parsed.fields()).containsEntry("SourceIP", "1.1.1.1").containsEntry("DeviceAction", "block");
    }

    static Stream<Arguments> hexDelimiters() {
        return Stream.of(Arguments.of("x09", "\t"), Arguments.of("0x09", "\t"), Arguments.of("x7C", "|"),
                Arguments.of("", "\t"));
    }

    @Test
    void leef2WithoutDelimiterFieldUsesTab() throws Exception {
        ParsedRecord parsed = leef.parse(record("LEEF:2.0|Vendor|Product|Version|EventID|src=1.1.1.1\tdst=2.2.2.2"));

        assertThat(parsed.fields()).containsEntry("SourceIP", "1.1.1.1").containsEntry("DestinationIP", "2.2.2.2");
    }

    @Test
    void leefDevTimeIsReadWithDevTimeFormat() throws Exception {
        ParsedRecord parsed = leef.parse(record("LEEF:1.0|V|P|1|E|devTime=Jun 15 2024 10:00:00.123 UTC\t"
                + "devTimeFormat=MMM dd yyyy HH:mm:ss.SSS zzz"));

        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-15T10:00:00.123Z"));
    }

    @Test
    void leefDevTimeWithoutFormatIsEpochMillis() throws Exception {
        assertThat(leef.parse(record("LEEF:1.0|V|P|1|E|devTime=1718445600000")).timeMicros())
                .isEqualTo(micros("2024-06-15T10:00:00Z"));
        assertThat(leef.parse(record("LEEF:1.0|V|P|1|E|src=1.1.1.1")).timeMicros())
                .isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("cef", "CEF:0|Vendor|Product|1.0|100|", "CEF header has 5 of 7 fields at column 1" + CEF_EXPECTED),
                Arguments.of("cef", "CEF:0|Vendor|Product", "CEF header has 3 of 7 fields at column 1" + CEF_EXPECTED),
                Arguments.of("cef", "host CEF:0|V|P|1|2|N|src=1", "CEF header has 6 of 7 fields at column 6" + CEF_EXPECTED),
                Arguments.of("cef", "hello", "no 'CEF:' found" + CEF_EXPECTED),
                Arguments.of("leef", "LEEF:1.0|Vendor|Product|", "LEEF:1.0 header has 3 of 5 fields at column 1; "
                        + "expected 'LEEF:1.0|Vendor|Product|Version|EventID|'"),
                Arguments.of("leef", "LEEF:2.0|Vendor|Product|1|", "LEEF:2.0 header has 4 of 6 fields at column 1; "
                        + "expected 'LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|'"),
                Arguments.of("leef", "LEEF:3.0|V|P|1|E|", "unsupported LEEF version '3.0' at column 6; expected 1.0 or 2.0"),
                Arguments.of("leef", "LEEF:2.0|V|P|1|E|xZZ|a=b", "LEEF:2.0 delimiter 'xZZ' at column 18 is neither one "
                        + "character nor a hex code such as x09"),
                Arguments.of("leef", "nothing", "no 'LEEF:' found; expected 'LEEF:1.0|Vendor|Product|Version|EventID|'"
                        + " or 'LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|'"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformed")
    void malformedHeaderIsRejectedWithAPreciseDetail(String format, String input, String detail) {
        if (format.equals("cef")) {
            assertRejected(cef, input, QuarantineReason.MALFORMED_CEF, detail);
        } else {
            assertRejected(leef, input, QuarantineReason.MALFORMED_LEEF, detail);
        }
    }
}
