package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.assertRejected;
import static dev.vigil.ingest.ParserTesting.fields;
import static dev.vigil.ingest.ParserTesting.micros;
import static dev.vigil.ingest.ParserTesting.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.QuarantineReason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyslogParserTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneOffset.UTC);
    private final SyslogParser parser = new SyslogParser(NOW, ZoneOffset.UTC);

    @Test
    void rfc3164Example1HasHostTagAndMessageAndTakesLastYearForAFutureDate() throws Exception {
        ParsedRecord parsed = parser.parse(record(
                "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"));

        assertThat(parsed.table()).isEqualTo("Syslog");
        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "auth", "SeverityLevel", "crit", "HostName", "mymachine", "ProcessName", "su",
                "ProcessID", null, "SyslogMessage", "'su root' failed for lonvick on /dev/pts/8"));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2023-10-11T22:14:15Z"));
    }

    @Test
    void rfc3164Example2WithoutTagIsAllMessageAndTakesThisYearForAPastDate() throws Exception {
        ParsedRecord parsed = parser.parse(record("<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!"));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "user", "SeverityLevel", "notice", "HostName", "10.0.0.99", "ProcessName", null,
                "ProcessID", null, "SyslogMessage", "Use the BFG!"));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-02-05T17:32:18Z"));
    }

    @Test
    void rfc3164Example3TakesTheWordAfterTheTimestampAsHostAsTheRfcExplains() throws Exception {
        String content = "1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: Mix=OK, "
                + "Jelly=OK # Devices: Mixer=OK, Jelly_Injector=OK, Frier=OK # Transport: Conveyer1=OK, "
                + "Conveyer2=OK # %%";
        ParsedRecord parsed = parser.parse(record("<165>Aug 24 05:34:00 CST " + content));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "local4", "SeverityLevel", "notice", "HostName", "CST", "ProcessName", null,
                "ProcessID", null, "SyslogMessage", content));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2023-08-24T05:34:00Z"));
    }

    @Test
    void rfc3164Example4KeepsTheRelayedOriginalAsMessage() throws Exception {
        ParsedRecord parsed = parser.parse(record("<0>Oct 22 10:52:12 scapegoat 1990 Oct 22 10:52:01 TZ-6 "
                + "scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!"));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "kern", "SeverityLevel", "emerg", "HostName", "scapegoat", "ProcessName", null,
                "ProcessID", null, "SyslogMessage",
                "1990 Oct 22 10:52:01 TZ-6 scapegoat.dmz.example.org 10.1.2.3 sched[0]: That's All Folks!"));
    }

    @Test
    void rfc3164TagWithPidGivesProcessNameAndNumericProcessId() throws Exception {
        ParsedRecord parsed = parser.parse(record("<38>Jun 15 11:59:01 web01 sshd[4242]: Accepted publickey"));

        assertThat(parsed.fields()).containsEntry("ProcessName", "sshd").containsEntry("ProcessID", 4242L)
                .containsEntry("SyslogMessage", "Accepted publickey").containsEntry("Facility", "auth");
    }

    @Test
    void rfc3164WithoutHostNameTakesTheTagWordAsTag() throws Exception {
        ParsedRecord parsed = parser.parse(record("<38>Jun 15 11:59:01 sshd[7]: hello"));

        assertThat(parsed.fields()).containsEntry("HostName", null).containsEntry("ProcessName", "sshd")
                .containsEntry("ProcessID", 7L).containsEntry("SyslogMessage", "hello");
    }

    @Test
    void rfc3164WithoutPriIsUserNotice() throws Exception {
        ParsedRecord parsed = parser.parse(record("Jun 14 08:00:00 host cron[1]: job"));

        assertThat(parsed.fields()).containsEntry("Facility", "user").containsEntry("SeverityLevel", "notice")
                .containsEntry("HostName", "host");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-14T08:00:00Z"));
    }

    @Test
    void rfc3164DateWithinOneDayAheadStaysInThisYear() throws Exception {
        ParsedRecord parsed = parser.parse(record("<13>Jun 16 11:00:00 host app: clock skew"));

        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-16T11:00:00Z"));
    }

    @Test
    void rfc3164TimestampIsReadInTheDefaultZone() throws Exception {
        SyslogParser inParis = new SyslogParser(NOW, ZoneId.of("Europe/Paris"));

        ParsedRecord parsed = inParis.parse(record("<13>Jun 15 10:00:00 host app: summer time"));

        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-15T08:00:00Z"));
    }

    @Test
    void rfc3164AcceptsAnIsoTimestampInPlaceOfTheBsdOne() throws Exception {
        ParsedRecord parsed = parser.parse(record("<34>2024-05-01T10:00:00Z host app: msg"));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "auth", "SeverityLevel", "crit", "HostName", "host", "ProcessName", "app",
                "ProcessID", null, "SyslogMessage", "msg"));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-05-01T10:00:00Z"));
    }

    @Test
    void rfc3164WithoutTimestampAfterPriIsAllMessageWithUnknownTime() throws Exception {
        ParsedRecord parsed = parser.parse(record("<13>kernel: something happened"));

        assertThat(parsed.fields()).containsEntry("HostName", null).containsEntry("ProcessName", "kernel")
                .containsEntry("SyslogMessage", "something happened");
        assertThat(parsed.timeMicros()).isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    @Test
    void rfc5424Example1WithNilValuesAndBom() throws Exception {
        ParsedRecord parsed = parser.parse(record("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 "
                + "- \uFEFF'su root' failed for lonvick on /dev/pts/8"));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "auth", "SeverityLevel", "crit", "Version", 1L, "HostName", "mymachine.example.com",
                "ProcessName", "su", "ProcessID", null, "MsgId", "ID47", "StructuredData", null,
                "SyslogMessage", "'su root' failed for lonvick on /dev/pts/8"));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2003-10-11T22:14:15.003Z"));
    }

    @Test
    void rfc5424Example2WithOffsetAndMicroseconds() throws Exception {
        ParsedRecord parsed = parser.parse(record(
                "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts."));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "local4", "SeverityLevel", "notice", "Version", 1L, "HostName", "192.0.2.1",
                "ProcessName", "myproc", "ProcessID", 8710L, "MsgId", null, "StructuredData", null,
                "SyslogMessage", "%% It's time to make the do-nuts."));
        assertThat(parsed.timeMicros()).isEqualTo(micros("2003-08-24T12:14:15.000003Z"));
    }

    @Test
    void rfc5424Example3FlattensStructuredDataParameters() throws Exception {
        String structuredData = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]";
        ParsedRecord parsed = parser.parse(record("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - "
                + "ID47 " + structuredData + " \uFEFFAn application event log entry..."));

        assertThat(parsed.fields()).containsExactlyEntriesOf(fields(
                "Facility", "local4", "SeverityLevel", "notice", "Version", 1L, "HostName", "mymachine.example.com",
                "ProcessName", "evntslog", "ProcessID", null, "MsgId", "ID47", "StructuredData", structuredData,
                "exampleSDID@32473.iut", "3", "exampleSDID@32473.eventSource", "Application",
                "exampleSDID@32473.eventID", "1011", "SyslogMessage", "An application event log entry..."));
    }

    @Test
    void rfc5424Example4HasTwoElementsAndNoMessage() throws Exception {
        String structuredData = "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
                + "[examplePriority@32473 class=\"high\"]";
        ParsedRecord parsed = parser.parse(record(
                "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 " + structuredData));

        assertThat(parsed.fields()).containsEntry("StructuredData", structuredData)
                .containsEntry("examplePriority@32473.class", "high").containsEntry("SyslogMessage", null);
    }

    @Test
    void rfc5424ParameterValuesUnescapeQuoteBackslashAndBracket() throws Exception {
        ParsedRecord parsed = parser.parse(record(
                "<14>1 - host app - - [x@1 v=\"a\\\"b\\\\c\\]d\\e\"] msg"));

        assertThat(parsed.fields()).containsEntry("x@1.v", "a\"b\\c]d\\e").containsEntry("SyslogMessage", "msg");
        assertThat(parsed.timeMicros()).isEqualTo(ParsedRecord.UNKNOWN_TIME);
    }

    @Test
    void cefPayloadInSyslogBecomesCommonSecurityLogWithComputerAndSyslogTime() throws Exception {
        ParsedRecord parsed = parser.parse(record("<134>Jun 15 11:00:00 fw01 CEF:0|Security|threatmanager|1.0|100|"
                + "worm successfully stopped|10|src=10.0.0.1 dst=2.1.2.2 spt=1232"));

        assertThat(parsed.table()).isEqualTo("CommonSecurityLog");
        assertThat(parsed.fields()).containsEntry("DeviceVendor", "Security").containsEntry("SourcePort", 1232L)
                .containsEntry("Computer", "fw01");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-15T11:00:00Z"));
    }

    @Test
    void cefPayloadTimeWinsOverTheSyslogTime() throws Exception {
        ParsedRecord parsed = parser.parse(record("<134>1 2024-06-15T11:00:00Z fw01 app - - - \uFEFFCEF:0|V|P|1|2|"
                + "name|5|rt=1718000000000"));

        assertThat(parsed.fields()).containsEntry("Computer", "fw01").containsEntry("Activity", "name");
        assertThat(parsed.timeMicros()).isEqualTo(1_718_000_000_000_000L);
    }

    @Test
    void leefPayloadAfterATagBecomesCommonSecurityLog() throws Exception {
        ParsedRecord parsed = parser.parse(record(
                "<13>Jun 15 11:00:00 qradar app: LEEF:1.0|IBM|QRadar|7.5|Login|src=10.0.0.1\tusrName=bob"));

        assertThat(parsed.table()).isEqualTo("CommonSecurityLog");
        assertThat(parsed.fields()).containsEntry("SourceIP", "10.0.0.1").containsEntry("SourceUserName", "bob")
                .containsEntry("Computer", "qradar");
    }

    static Stream<Arguments> malformedSyslog() {
        return Stream.of(
                Arguments.of("<192>Oct 11 22:14:15 host app: msg", "PRI 192 at column 2 is out of range; expected 0 to 191"),
                Arguments.of("<1a>Oct 11 22:14:15 host", "PRI '<1a>' at column 1 is not '<', 1 to 3 digits and '>'"),
                Arguments.of("<1234>x", "PRI '<1234>' at column 1 is not '<', 1 to 3 digits and '>'"),
                Arguments.of("<>x", "PRI '<>' at column 1 is not '<', 1 to 3 digits and '>'"),
                Arguments.of("<13>", "nothing follows the PRI at column 5"),
                Arguments.of("", "empty record; expected a syslog message"),
                Arguments.of("just some text", "no PRI ('<0>' to '<191>') and no timestamp at column 1; expected RFC "
                        + "3164 '<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG' or RFC 5424"),
                Arguments.of("<34>1 2003-10-11T22:14:15.003Z host", "RFC 5424 header is missing APP-NAME at column 36;"
                        + " expected '<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]'"),
                Arguments.of("<34>1 2003-10-11T22:14:15.003Z host app - ID47", "RFC 5424 header is missing "
                        + "STRUCTURED-DATA at column 47; expected '<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID"
                        + " STRUCTURED-DATA [MSG]'"),
                Arguments.of("<34>1  host app - - -", "RFC 5424 header has an empty TIMESTAMP at column 7 (two spaces in"
                        + " a row); expected '<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]'"),
                Arguments.of("<34>1 yesterday host app - - -",
                        "RFC 5424 TIMESTAMP 'yesterday' at column 7 is not an RFC 3339 date-time"),
                Arguments.of("<34>1 - host app - - x", "RFC 5424 STRUCTURED-DATA at column 22 must be '-' or start with '['"),
                Arguments.of("<34>1 - host app - - [id a=\"1\"", "RFC 5424 SD-ELEMENT 'id' opened at column 22 is not "
                        + "closed with ']'"),
                Arguments.of("<34>1 - host app - - [id a=1]", "expected '\"' to open the value of SD-PARAM 'a' at column 28"),
                Arguments.of("<34>1 - host app - - [id a=\"1]", "value of SD-PARAM 'a' opened at column 28 is not closed "
                        + "with '\"'"),
                Arguments.of("<34>1 - host app - - [id a]", "expected PARAM-NAME=\"value\" in SD-ELEMENT 'id' at column 26"),
                Arguments.of("<34>1 - host app - - []", "RFC 5424 SD-ID at column 23 is empty"),
                Arguments.of("<34>1 - host app - - [id]x", "expected a space after STRUCTURED-DATA at column 26, found 'x'"),
                Arguments.of("<34>1 - host app - - -msg", "expected a space after STRUCTURED-DATA at column 23, found 'm'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSyslog")
    void malformedSyslogIsRejectedWithAPreciseDetail(String input, String detail) {
        assertRejected(parser, input, QuarantineReason.MALFORMED_SYSLOG, detail);
    }

    @Test
    void malformedCefPayloadIsRejectedAsCef() {
        assertRejected(parser, "<13>Jun 15 11:00:00 host CEF:0|a|b|", QuarantineReason.MALFORMED_CEF,
                "CEF header has 3 of 7 fields at column 26; expected 'CEF:Version|Device Vendor|Device Product|"
                        + "Device Version|Device Event Class ID|Name|Severity|'");
    }

    @Test
    void invalidUtf8IsRejectedNamingTheByteOffset() {
        byte[] bytes = {'<', '1', '3', '>', 'a', (byte) 0xC3, '(', 'b'};

        assertThatThrownBy(() -> parser.parse(record(bytes)))
                .isInstanceOfSatisfying(RecordRejectedException.class, rejection -> {
                    assertThat(rejection.reason()).isEqualTo(QuarantineReason.INVALID_UTF8);
                    assertThat(rejection.detail()).isEqualTo("invalid UTF-8 byte 0xC3 at byte offset 5");
                });
    }
}
