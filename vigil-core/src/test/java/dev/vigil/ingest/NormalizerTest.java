package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.fields;
import static dev.vigil.ingest.ParserTesting.micros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizerTest {
    private static final Normalizer NORMALIZER = Normalizer.standard(IngestTesting.CLOCK);

    private static Event normalize(String table, Map<String, Object> fields) {
        return normalize(new ParsedRecord(table, fields));
    }

    private static Event normalize(ParsedRecord parsed) {
        return NORMALIZER.normalize(TenantId.DEFAULT, ParserTesting.record("raw"), parsed, 0);
    }

    private static String column(String table, CommonColumn column, Object... namesAndValues) {
        return normalize(table, fields(namesAndValues)).common(column);
    }

    @Test
    void aTableUsesItsOwnCandidatesInOrder() {
        Event event = normalize("SecurityEvent", fields("SubjectUserName", "SYSTEM", "TargetUserName", "bob",
                "Computer", "dc1", "NewProcessName", "C:\\a.exe", "Image", "C:\\b.exe", "IpAddress", "10.0.0.1"));

        assertThat(event.common(CommonColumn.USER)).isEqualTo("bob");
        assertThat(event.common(CommonColumn.HOST)).isEqualTo("dc1");
        assertThat(event.common(CommonColumn.PROCESS)).isEqualTo("C:\\a.exe");
        assertThat(event.common(CommonColumn.SRC_IP)).isEqualTo("10.0.0.1");
    }

    @Test
    void aTableWithoutItsOwnListForAColumnUsesTheDefaultList() {
        assertThat(column("SecurityEvent", CommonColumn.HOST, "HostName", "h1")).isEqualTo("h1");
        assertThat(column("SomeUnknownTable", CommonColumn.USER, "UserName", "u1")).isEqualTo("u1");
    }

    @Test
    void aTableListReplacesTheDefaultListForThatColumn() {
        // Syslog names an empty action list, so even a default candidate does not fill it.
        assertThat(column("Syslog", CommonColumn.ACTION, "action", "x")).isNull();
        assertThat(column("JsonEvent", CommonColumn.ACTION, "action", "x")).isEqualTo("x");
        // SecurityEvent's user list does not include the default 'User'.
        assertThat(column("SecurityEvent", CommonColumn.USER, "User", "u")).isNull();
    }

    @ParameterizedTest(name = "''{0}'' is skipped")
    @CsvSource(value = {"-", "''"}, nullValues = "NULL")
    void dashAndEmptyValuesAreSkippedInFavourOfTheNextCandidate(String unusable) {
        assertThat(column("SecurityEvent", CommonColumn.USER, "TargetUserName", unusable, "SubjectUserName", "ann"))
                .isEqualTo("ann");
        assertThat(column("SecurityEvent", CommonColumn.USER, "TargetUserName", null, "SubjectUserName", "ann"))
                .isEqualTo("ann");
    }

    @Test
    void notApplicableUsersAreSkipped() {
        assertThat(column("JsonEvent", CommonColumn.USER, "User", "N/A", "UserName", "x")).isEqualTo("x");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "10.0.0.1, 10.0.0.1",
        "::ffff:10.1.2.3, 10.1.2.3",
        "::FFFF:192.168.0.1, 192.168.0.1",
        "fe80::1%eth0, fe80::1",
        "2001:DB8::1, 2001:db8::1",
        "[2001:db8::2]:443, 2001:db8::2",
        "10.0.0.1:8080, 10.0.0.1",
        "localhost, NULL",
        "999.1.1.1, NULL",
        "::1, ::1",
    }, nullValues = "NULL")
    void sourceAndDestinationAddressesMustBeIpLiterals(String value, String expected) {
        assertThat(column("JsonEvent", CommonColumn.SRC_IP, "src_ip", value)).isEqualTo(expected);
        assertThat(column("JsonEvent", CommonColumn.DST_IP, "dst_ip", value)).isEqualTo(expected);
    }

    @Test
    void anAddressThatIsNotAnIpFallsThroughToTheNextCandidate() {
        assertThat(column("SecurityEvent", CommonColumn.SRC_IP, "IpAddress", "-", "SourceAddress", "WS01",
                "SourceIp", "::ffff:172.16.0.9")).isEqualTo("172.16.0.9");
    }

    @Test
    void sysmonHashesYieldTheSha256() {
        assertThat(column("SysmonEvent", CommonColumn.FILE_HASH, "Hashes",
                "SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E,"
                        + "SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,"
                        + "IMPHASH=00000000000000000000000000000000"))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @ParameterizedTest(name = "Level {0} -> {1}")
    @CsvSource(value = {"0, informational", "1, critical", "2, high", "3, medium", "4, informational", "5, informational"})
    void windowsLevelsMapToSeverities(long level, String severity) {
        assertThat(column("SecurityEvent", CommonColumn.SEVERITY, "Level", level)).isEqualTo(severity);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {"0, informational", "1, low", "3, low", "4, medium", "6, medium", "7, high", "8, high",
        "9, critical", "10, critical", "Very-High, critical", "Medium, medium", "warn, medium", "err, high",
        "notice, informational", "odd, odd"})
    void cefAndVendorSeveritiesMapToTheVocabulary(String value, String severity) {
        assertThat(column("CommonSecurityLog", CommonColumn.SEVERITY, "LogSeverity", value)).isEqualTo(severity);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(value = {
        "outcome, Succeeded, success",
        "outcome, ALLOWED, success",
        "outcome, ok, success",
        "outcome, denied, failure",
        "outcome, Blocked, failure",
        "outcome, dropped, failure",
        "outcome, partial, partial",
        "ResultType, 0, success",
        "ResultType, 50126, failure",
    })
    void outcomesMapToSuccessOrFailure(String field, String value, String outcome) {
        assertThat(column("JsonEvent", CommonColumn.OUTCOME, field, value)).isEqualTo(outcome);
    }

    @Test
    void booleanOutcomesMapToSuccessOrFailure() {
        assertThat(column("JsonEvent", CommonColumn.OUTCOME, "success", true)).isEqualTo("success");
        assertThat(column("JsonEvent", CommonColumn.OUTCOME, "success", false)).isEqualTo("failure");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {"0, success", "50126, failure", "50053, failure"})
    void signinLogsResultTypeZeroIsSuccessAndAnythingElseFailure(String resultType, String outcome) {
        assertThat(column("SigninLogs", CommonColumn.OUTCOME, "ResultType", resultType)).isEqualTo(outcome);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "0x8010000000000000, failure",
        "0x8020000000000000, success",
        "Audit Failure, failure",
        "'Audit Success, Classic', success",
        "0x4000000000000000, NULL",
    }, nullValues = "NULL")
    void windowsKeywordsGiveTheAuditOutcome(String keywords, String outcome) {
        assertThat(column("SecurityEvent", CommonColumn.OUTCOME, "Keywords", keywords)).isEqualTo(outcome);
    }

    @Test
    void anExplicitOutcomeWinsOverKeywords() {
        assertThat(column("JsonEvent", CommonColumn.OUTCOME, "Keywords", "0x8010000000000000", "outcome", "success"))
                .isEqualTo("success");
    }

    @ParameterizedTest(name = "{0} {1} -> {2}, {3}")
    @CsvSource(value = {
        "SecurityEvent, 4624, logon, success",
        "SecurityEvent, 4625, logon_failed, failure",
        "SecurityEvent, 4688, process_create, NULL",
        "SysmonEvent, 1, process_create, NULL",
        "SysmonEvent, 22, dns_query, NULL",
        "WindowsEvent, 4104, powershell_script_block, NULL",
        "WindowsEvent, 4624, NULL, NULL",
        "JsonEvent, 4624, NULL, NULL",
    }, nullValues = "NULL")
    void eventCodesNameTheActionAndSometimesTheOutcomePerTable(String table, long code, String action,
            String outcome) {
        Event event = normalize(table, fields("EventID", code));

        assertThat(event.common(CommonColumn.EVENT_CODE)).isEqualTo(String.valueOf(code));
        assertThat(event.common(CommonColumn.ACTION)).isEqualTo(action);
        assertThat(event.common(CommonColumn.OUTCOME)).isEqualTo(outcome);
    }

    @Test
    void theEventCodeActionWinsOverANativeAction() {
        assertThat(column("SecurityEvent", CommonColumn.ACTION, "EventID", 4688L, "Activity", "4688 - A new process"))
                .isEqualTo("process_create");
    }

    @Test
    void theParsersTimeWins() {
        Event event = normalize(new ParsedRecord("JsonEvent", fields("timestamp", "2001-01-01T00:00:00Z"),
                micros("2024-05-01T10:00:00Z")));

        assertThat(event.timeMicros()).isEqualTo(micros("2024-05-01T10:00:00Z"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(value = {
        "timestamp, 2024-05-01T10:00:00.5Z, 2024-05-01T10:00:00.500Z",
        "time, 2024-05-01 10:00:00, 2024-05-01T10:00:00Z",
        "eventTime, 'Wed, 1 May 2024 10:00:00 GMT', 2024-05-01T10:00:00Z",
        "ts, 1714557600.25, 2024-05-01T10:00:00.250Z",
    })
    void timeFallsBackToTheConfiguredCandidates(String field, String value, String expected) {
        assertThat(normalize("JsonEvent", fields(field, value)).timeMicros()).isEqualTo(micros(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {"1714557600, 2024-05-01T10:00:00Z", "1714557600123, 2024-05-01T10:00:00.123Z",
        "1714557600123456, 2024-05-01T10:00:00.123456Z", "1714557600123456789, 2024-05-01T10:00:00.123456Z"})
    void epochNumbersOfAnyPrecisionAreTimes(long epoch, String expected) {
        assertThat(normalize("JsonEvent", fields("ts", epoch)).timeMicros()).isEqualTo(micros(expected));
    }

    @Test
    void anEpochDoubleIsATime() {
        assertThat(normalize("JsonEvent", fields("time", 1714557600.5)).timeMicros())
                .isEqualTo(micros("2024-05-01T10:00:00.500Z"));
    }

    @Test
    void anUnusableTimeCandidateFallsThroughToTheNext() {
        assertThat(normalize("JsonEvent", fields("TimeCreated", "soon", "Timestamp", 42L, "time",
                "2024-05-01T10:00:00Z")).timeMicros()).isEqualTo(micros("2024-05-01T10:00:00Z"));
    }

    @Test
    void anEventWithoutATimeGetsTheClocksTime() {
        Event event = normalize("JsonEvent", fields("msg", "no time here"));

        assertThat(event.timeMicros()).isEqualTo(micros(IngestTesting.NOW.toString()));
    }

    @Test
    void theEventKeepsTableFieldsRawAndPosition() {
        Map<String, Object> fields = fields("a", "b");
        Event event = normalize("JsonEvent", fields);

        assertThat(event.table()).isEqualTo("JsonEvent");
        assertThat(event.fields()).isEqualTo(fields);
        assertThat(event.raw()).isEqualTo("raw");
        assertThat(event.position()).isEqualTo(ParserTesting.POSITION);
        assertThat(event.tenant()).isEqualTo(TenantId.DEFAULT);
    }

    @Test
    void aMappingNamingAnUnknownColumnIsRejected() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Normalizer.fromYaml(
                "defaults:\n  time: [t]\n  columns:\n    hots: [Computer]\n", IngestTesting.CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'hots'");
    }
}
