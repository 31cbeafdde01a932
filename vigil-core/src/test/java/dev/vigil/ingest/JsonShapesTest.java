package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.micros;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonShapesTest {
    private static ParsedRecord classify(String json) throws RecordRejectedException {
        return classify(json, JsonShape.AUTO);
    }

    private static ParsedRecord classify(String json, JsonShape forced) throws RecordRejectedException {
        return new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", forced))
                .parse(ParserTesting.record(json));
    }

    private static String evtxDump(String channel, String provider, String eventData) {
        return "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\"},"
                + "\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"" + provider + "\",\"Guid\":\"{5770}\"}},"
                + "\"EventID\":4688,\"Level\":0,\"EventRecordID\":77,"
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2019-03-19T23:34:25.123456Z\"}},"
                + "\"Channel\":" + channel + ",\"Computer\":\"WS01.corp.local\"},"
                + "\"EventData\":" + eventData + "}}";
    }

    // --- evtx_dump -------------------------------------------------------------------------------------------

    @Test
    void evtxDumpIsRewrittenToTheWindowsEventSchemaNames() throws Exception {
        ParsedRecord parsed = classify(evtxDump("\"Security\"", "Microsoft-Windows-Security-Auditing",
                "{\"NewProcessName\":\"C:\\\\Windows\\\\cmd.exe\",\"SubjectUserName\":\"ann\"}"));

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2019-03-19T23:34:25.123456Z"));
        assertThat(parsed.fields()).containsExactlyEntriesOf(ParserTesting.fields(
                "Provider_Name", "Microsoft-Windows-Security-Auditing", "Provider_Guid", "{5770}", "EventID", 4688L,
                "Level", 0L, "EventRecordID", 77L, "TimeCreated", "2019-03-19T23:34:25.123456Z", "Channel", "Security",
                "Computer", "WS01.corp.local", "NewProcessName", "C:\\Windows\\cmd.exe", "SubjectUserName", "ann"));
    }

    @ParameterizedTest(name = "channel {0}, provider {1} -> {2}")
    @CsvSource(value = {
        "'\"Security\"', Microsoft-Windows-Security-Auditing, SecurityEvent",
        "'\"security\"', Whatever, SecurityEvent",
        "null, Microsoft-Windows-Security-Auditing, SecurityEvent",
        "'\"Microsoft-Windows-Sysmon/Operational\"', Microsoft-Windows-Sysmon, SysmonEvent",
        "null, Microsoft-Windows-Sysmon, SysmonEvent",
        "'\"Microsoft-Windows-PowerShell/Operational\"', Microsoft-Windows-PowerShell, WindowsEvent",
        "'\"System\"', Service Control Manager, WindowsEvent",
        "null, Microsoft-Windows-Eventlog, WindowsEvent",
    })
    void theChannelOrElseTheProviderPicksTheWindowsTable(String channel, String provider, String table)
            throws Exception {
        assertThat(classify(evtxDump(channel, provider, "{\"A\":\"1\"}")).table()).isEqualTo(table);
    }

    @Test
    void evtxDumpEventDataNullIsAnEventWithoutData() throws Exception {
        ParsedRecord parsed = classify(evtxDump("\"System\"", "EventLog", "null"));

        assertThat(parsed.fields()).doesNotContainKeys("EventData", "Event.EventData")
                .containsEntry("EventID", 4688L).containsEntry("Computer", "WS01.corp.local");
    }

    @Test
    void evtxDumpEventIdWithQualifiersKeepsTheNumberAsEventIdAndTheQualifiersBeside() throws Exception {
        ParsedRecord parsed = classify("{\"Event\":{\"System\":{\"EventID\":{\"#attributes\":{\"Qualifiers\":16384},"
                + "\"#text\":7036},\"Channel\":\"System\",\"Computer\":\"dc1\","
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2020-01-01T00:00:00Z\"}}},"
                + "\"EventData\":{\"param1\":\"Windows Update\",\"param2\":\"running\"}}}");

        assertThat(parsed.table()).isEqualTo("WindowsEvent");
        assertThat(parsed.fields()).containsEntry("EventID", 7036L).containsEntry("EventID_Qualifiers", 16384L)
                .containsEntry("param1", "Windows Update").doesNotContainKey("EventID.#text");
    }

    @Test
    void evtxDumpEventDataTextBecomesEventData() throws Exception {
        ParsedRecord parsed = classify(evtxDump("\"Application\"", "App", "{\"#text\":\"free text\"}"));

        assertThat(parsed.fields()).containsEntry("EventData", "free text");
    }

    @Test
    void evtxDumpUserDataFieldsComeToTheTopWithoutTheirWrapperElement() throws Exception {
        ParsedRecord parsed = classify("{\"Event\":{\"System\":{\"EventID\":1102,\"Channel\":\"Security\","
                + "\"Computer\":\"dc1\"},\"UserData\":{\"LogFileCleared\":{\"#attributes\":{\"xmlns\":\"http://x\"},"
                + "\"SubjectUserName\":\"admin\",\"SubjectDomainName\":\"CORP\"}}}}");

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.fields()).containsEntry("SubjectUserName", "admin").containsEntry("SubjectDomainName", "CORP")
                .doesNotContainKeys("LogFileCleared.SubjectUserName", "#attributes.xmlns", "xmlns");
    }

    @Test
    void anEventDataFieldThatCollidesWithASystemFieldKeepsBothUnderAPrefix() throws Exception {
        ParsedRecord parsed = classify(evtxDump("\"Security\"", "Microsoft-Windows-Security-Auditing",
                "{\"Computer\":\"other\"}"));

        assertThat(parsed.fields()).containsEntry("Computer", "WS01.corp.local").containsEntry("EventData.Computer", "other");
    }

    // --- Winlogbeat ------------------------------------------------------------------------------------------

    @Test
    void winlogbeat6IsRewrittenToTheWindowsEventSchemaNames() throws Exception {
        ParsedRecord parsed = classify("{\"@timestamp\":\"2019-05-18T20:19:22.950Z\",\"log_name\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"event_id\":1,\"computer_name\":\"WKST01\",\"source_name\":\"Microsoft-Windows-Sysmon\","
                + "\"record_number\":\"1234\",\"event_data\":{\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x /y\"},"
                + "\"message\":\"Process Create\"}");

        assertThat(parsed.table()).isEqualTo("SysmonEvent");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2019-05-18T20:19:22.950Z"));
        assertThat(parsed.fields()).containsExactlyEntriesOf(ParserTesting.fields(
                "@timestamp", "2019-05-18T20:19:22.950Z", "Channel", "Microsoft-Windows-Sysmon/Operational",
                "EventID", 1L, "Computer", "WKST01", "Provider_Name", "Microsoft-Windows-Sysmon",
                "EventRecordID", "1234", "Image", "C:\\x.exe", "CommandLine", "x /y", "Message", "Process Create"));
    }

    @Test
    void winlogbeat7IsRewrittenToTheWindowsEventSchemaNames() throws Exception {
        ParsedRecord parsed = classify("{\"@timestamp\":\"2020-10-29T04:16:15.000Z\",\"winlog\":{\"channel\":\"Security\","
                + "\"event_id\":\"4624\",\"computer_name\":\"DC01\",\"provider_name\":\"Microsoft-Windows-Security-Auditing\","
                + "\"record_id\":99,\"event_data\":{\"TargetUserName\":\"bob\",\"IpAddress\":\"10.0.0.5\"}},"
                + "\"host\":{\"name\":\"dc01\"}}");

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.fields()).containsEntry("Channel", "Security").containsEntry("EventID", 4624L)
                .containsEntry("Computer", "DC01").containsEntry("Provider_Name", "Microsoft-Windows-Security-Auditing")
                .containsEntry("EventRecordID", 99L).containsEntry("TargetUserName", "bob")
                .containsEntry("IpAddress", "10.0.0.5").containsEntry("host.name", "dc01")
                .doesNotContainKeys("winlog.channel", "winlog.event_data.TargetUserName");
    }

    // --- NXLog -----------------------------------------------------------------------------------------------

    @Test
    void nxlogHostnameSourceNameAndRecordNumberTakeTheWindowsNames() throws Exception {
        ParsedRecord parsed = classify("{\"EventTime\":\"2020-10-29 00:16:15\",\"Hostname\":\"WORKSTATION5.theshire.local\","
                + "\"EventID\":4104,\"SourceName\":\"Microsoft-Windows-PowerShell\",\"RecordNumber\":81,"
                + "\"Channel\":\"Microsoft-Windows-PowerShell/Operational\",\"ScriptBlockText\":\"whoami\","
                + "\"@timestamp\":\"2020-10-29T04:16:15.893Z\"}");

        assertThat(parsed.table()).isEqualTo("WindowsEvent");
        assertThat(parsed.fields()).containsEntry("Computer", "WORKSTATION5.theshire.local")
                .containsEntry("Provider_Name", "Microsoft-Windows-PowerShell").containsEntry("EventRecordID", 81L)
                .containsEntry("ScriptBlockText", "whoami").doesNotContainKeys("Hostname", "SourceName", "RecordNumber");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2020-10-29T04:16:15.893Z"));
    }

    @Test
    void nxlogKeepsHostnameWhenComputerIsAlsoPresent() throws Exception {
        ParsedRecord parsed = classify("{\"EventID\":1,\"Hostname\":\"a\",\"Computer\":\"b\",\"Channel\":\"System\"}");

        assertThat(parsed.fields()).containsEntry("Computer", "b").containsEntry("Hostname", "a");
    }

    // --- Sentinel --------------------------------------------------------------------------------------------

    @Test
    void sentinelSecurityEventWithXmlEventDataIsExpanded() throws Exception {
        ParsedRecord parsed = classify("{\"Type\":\"SecurityEvent\",\"TimeGenerated\":\"2021-08-02T13:09:20.04Z\","
                + "\"Computer\":\"ADFS01\",\"EventID\":4624,\"Channel\":\"Security\",\"EventData\":"
                + "\"<EventData xmlns=\\\"http://schemas.microsoft.com/win/2004/08/events/event\\\">"
                + "<Data Name=\\\"TargetUserName\\\">svc&amp;adfs</Data><Data Name=\\\"IpAddress\\\">10.1.1.1</Data>"
                + "<Data Name=\\\"Empty\\\" /></EventData>\"}");

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2021-08-02T13:09:20.040Z"));
        assertThat(parsed.fields()).containsEntry("TargetUserName", "svc&adfs").containsEntry("IpAddress", "10.1.1.1")
                .containsEntry("Empty", null).doesNotContainKey("EventData");
    }

    @Test
    void sentinelSysmonEventWithJsonEventDataIsExpanded() throws Exception {
        ParsedRecord parsed = classify("{\"Type\":\"Event\",\"TimeGenerated\":\"2021-12-12T10:00:00Z\","
                + "\"Computer\":\"web01\",\"EventID\":1,\"Source\":\"Microsoft-Windows-Sysmon\","
                + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"EventData\":\"{\\\"Image\\\":\\\"C:\\\\\\\\java.exe\\\",\\\"Computer\\\":\\\"inner\\\"}\"}");

        assertThat(parsed.table()).isEqualTo("SysmonEvent");
        assertThat(parsed.fields()).containsEntry("Image", "C:\\java.exe").containsEntry("Computer", "web01")
                .doesNotContainKey("EventData");
    }

    @Test
    void sentinelEventDataThatIsNotJsonStaysText() throws Exception {
        ParsedRecord parsed = classify("{\"Type\":\"Event\",\"TimeGenerated\":\"2021-12-12T10:00:00Z\","
                + "\"EventID\":1,\"Channel\":\"System\",\"EventData\":\"{not json\"}");

        assertThat(parsed.fields()).containsEntry("EventData", "{not json");
    }

    @Test
    void sentinelTablesOtherThanWindowsEventsComeFromType() throws Exception {
        ParsedRecord parsed = classify("{\"TimeGenerated\":\"2021-08-02T13:32:07Z\",\"Type\":\"OfficeActivity\","
                + "\"Operation\":\"MailItemsAccessed\"}");

        assertThat(parsed.table()).isEqualTo("OfficeActivity");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2021-08-02T13:32:07Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Drop Table", "x;DROP", "1abc", "vigil_events", "Séc", ""})
    void aSentinelTypeThatIsNotASafeTableNameFallsBackToTheDefaultTable(String type) throws Exception {
        ParsedRecord parsed = classify("{\"TimeGenerated\":\"2021-08-02T13:32:07Z\",\"Type\":\"" + type + "\"}");

        assertThat(parsed.table()).isEqualTo("JsonEvent");
    }

    // --- Defender --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "ProcessCreated, DeviceProcessEvents",
        "ConnectionSuccess, DeviceNetworkEvents",
        "InboundConnectionAccepted, DeviceNetworkEvents",
        "ListeningConnectionCreated, DeviceNetworkEvents",
        "LogonSuccess, DeviceLogonEvents",
        "FileCreated, DeviceFileEvents",
        "RegistryValueSet, DeviceRegistryEvents",
        "ImageLoaded, DeviceImageLoadEvents",
        "LdapSearch, DeviceEvents",
    })
    void defenderDeviceEventsAreToldApartByActionType(String action, String table) throws Exception {
        ParsedRecord parsed = classify("{\"Timestamp\":\"2021-08-02T13:11:39.7724491Z\",\"DeviceId\":\"0\","
                + "\"DeviceName\":\"adfs01\",\"ActionType\":\"" + action + "\"}");

        assertThat(parsed.table()).isEqualTo(table);
        assertThat(parsed.timeMicros()).isEqualTo(micros("2021-08-02T13:11:39.772449Z"));
    }

    static Stream<Arguments> defenderIdentityAndCloudTables() {
        return Stream.of(
                Arguments.of("{\"Timestamp\":\"2021-01-01T00:00:00Z\",\"ActionType\":\"x\",\"ApplicationId\":1,"
                        + "\"AccountObjectId\":\"o\"}", "CloudAppEvents"),
                Arguments.of("{\"Timestamp\":\"2021-01-01T00:00:00Z\",\"ActionType\":\"LogonSuccess\","
                        + "\"LogonType\":\"x\",\"Protocol\":\"Kerberos\"}", "IdentityLogonEvents"),
                Arguments.of("{\"Timestamp\":\"2021-01-01T00:00:00Z\",\"ActionType\":\"Directory Services replication\","
                        + "\"DestinationDeviceName\":\"dc\"}", "IdentityDirectoryEvents"),
                Arguments.of("{\"Timestamp\":\"2021-01-01T00:00:00Z\",\"ActionType\":\"x\"}", "DefenderEvents"),
                Arguments.of("{\"Timestamp\":\"2021-01-01T00:00:00Z\",\"ActionType\":\"x\",\"DeviceName\":\"d\","
                        + "\"Type\":\"DeviceTvmSoftwareInventory\"}", "DeviceTvmSoftwareInventory"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("defenderIdentityAndCloudTables")
    void defenderExportsWithoutADeviceAreToldApartByTheirColumns(String json, String table) throws Exception {
        assertThat(classify(json).table()).isEqualTo(table);
    }

    // --- OCSF ------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {
        "Email Activity, OcsfEmailActivity",
        "API Activity, OcsfAPIActivity",
        "network_activity, OcsfNetworkActivity",
        "'DNS Activity (v2)', OcsfDNSActivityV2",
    })
    void ocsfEventsGoToOcsfAndTheirClassName(String className, String table) throws Exception {
        ParsedRecord parsed = classify("{\"class_uid\":4009,\"class_name\":\"" + className + "\",\"category_uid\":4,"
                + "\"time\":1729710607409,\"metadata\":{\"version\":\"1.4.0\"}}");

        assertThat(parsed.table()).isEqualTo(table);
        assertThat(parsed.timeMicros()).isEqualTo(1729710607409L * 1000);
    }

    @Test
    void ocsfWithoutAClassNameIsNamedFromItsClassUid() throws Exception {
        ParsedRecord parsed = classify("{\"class_uid\":3002,\"metadata\":{\"version\":\"1.0.0\"},"
                + "\"time_dt\":\"2023-01-01T00:00:00Z\"}");

        assertThat(parsed.table()).isEqualTo("OcsfAuthentication");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2023-01-01T00:00:00Z"));
    }

    @Test
    void ocsfWithAnUnknownClassUidGoesToOcsfAndTheUid() throws Exception {
        assertThat(classify("{\"class_uid\":9999,\"category_uid\":9}").table()).isEqualTo("Ocsf9999");
    }

    @Test
    void zeekJsonLogsGoToZeekAndTheirPath() throws Exception {
        ParsedRecord parsed = classify("{\"_path\":\"conn\",\"ts\":1700000000.5,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\","
                + "\"id.resp_h\":\"10.0.0.2\"}");

        assertThat(parsed.table()).isEqualTo("ZeekConn");
        assertThat(parsed.timeMicros()).isEqualTo(1_700_000_000_500_000L);
        assertThat(new JsonShapes("JsonEvent", JsonShape.AUTO).classify(new java.util.LinkedHashMap<>(java.util.Map.of(
                "ts", "2024-05-01T10:00:00Z", "uid", "C2", "id.orig_h", "10.0.0.1")), "logs/dns.log").table())
                .isEqualTo("ZeekDns");
    }

    @Test
    void trailingCommasAndCommentsAreAccepted() throws Exception {
        assertThat(classify("{\"a\": 1, // the first\n \"b\": [1, 2,], /* done */}").fields())
                .containsEntry("a", 1L).containsEntry("b", "[1, 2,]");
    }

    // --- generic ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(value = {
        "'{\"$table\":\"MyApp\",\"x\":1}', MyApp",
        "'{\"TableName\":\"Heartbeat\",\"x\":1}', Heartbeat",
        "'{\"$table\":\"Events; DROP TABLE x\",\"x\":1}', JsonEvent",
        "'{\"TableName\":\"../../etc\",\"x\":1}', JsonEvent",
        "'{\"$table\":\"VIGIL_internal\",\"x\":1}', JsonEvent",
        "'{\"$table\":42,\"x\":1}', JsonEvent",
        "'{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\"}', AWSCloudTrail",
        "'{\"userPrincipalName\":\"a@b\",\"createdDateTime\":\"2021-01-01T00:00:00Z\",\"ipAddress\":\"1.2.3.4\"}', SigninLogs",
        "'{\"msg\":\"hello\",\"Type\":\"Alert\"}', JsonEvent",
    })
    void genericJsonGoesToTheTableItNamesSafelyOrElseTheDefault(String json, String table) throws Exception {
        assertThat(classify(json).table()).isEqualTo(table);
    }

    @Test
    void aForcedShapeSkipsRecognition() throws Exception {
        ParsedRecord parsed = classify("{\"EventID\":4624,\"Hostname\":\"h\"}", JsonShape.NXLOG);
        ParsedRecord generic = classify("{\"EventID\":4624,\"Hostname\":\"h\"}", JsonShape.GENERIC);

        assertThat(parsed.fields()).containsEntry("Computer", "h");
        assertThat(generic.table()).isEqualTo("JsonEvent");
        assertThat(generic.fields()).containsEntry("Hostname", "h");
    }

    @Test
    void xmlToJsonConvertersEventDataArrayOfNamedItemsBecomesNamedFields() throws Exception {
        String json = """
                {"Event":{"@xmlns":"http://schemas.microsoft.com/win/2004/08/events/event",
                  "System":{"Provider":{"@Name":"Microsoft-Windows-Security-Auditing"},
                            "EventID":{"@Qualifiers":"","#text":"4624"},"Channel":"Security","Computer":"DC01",
                            "TimeCreated":{"@SystemTime":"2024-05-01T10:00:00.1234567Z"}},
                  "EventData":{"Data":[{"@Name":"TargetUserName","#text":"alice"},
                                       {"@Name":"IpAddress","#text":"10.0.0.5"},
                                       {"@Name":"SubjectLogonId"}]}}}""";

        ParsedRecord parsed = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO))
                .parse(RawRecord.of(json, new dev.vigil.model.SourcePosition("t", 1, 0)));

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.fields())
                .containsEntry("EventID", 4624L)
                .containsEntry("Provider_Name", "Microsoft-Windows-Security-Auditing")
                .containsEntry("TargetUserName", "alice")
                .containsEntry("IpAddress", "10.0.0.5")
                .containsEntry("SubjectLogonId", null)
                .doesNotContainKeys("Data", "#attributes.xmlns", "EventData.Data");
        assertThat(parsed.timeMicros()).isEqualTo(Timestamps.parseMicros("2024-05-01T10:00:00.123456Z"));
    }

    @Test
    void anEventDataArrayOfUnnamedValuesIsKeptAsItIs() throws Exception {
        String json = """
                {"Event":{"System":{"EventID":7036,"Channel":"System","Computer":"WS1"},
                  "EventData":{"Data":["Windows Update","running"]}}}""";

        ParsedRecord parsed = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO))
                .parse(RawRecord.of(json, new dev.vigil.model.SourcePosition("t", 1, 0)));

        assertThat(parsed.fields()).containsEntry("Data", "[\"Windows Update\",\"running\"]");
    }
}
