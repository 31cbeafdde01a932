package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which table a CSV row lands in: the export's own Type, a recognized producer, or the default. */
class CsvTableTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "a Sentinel export names its table in Type;       Type,TimeGenerated,Computer;  SigninLogs,2024-05-01T10:00:00Z,x;                SigninLogs",
        "a Type that is no identifier is ignored;          Type,TimeGenerated,Computer;  a b,2024-05-01T10:00:00Z,x;                       DemoLog",
        "an internal table name is never taken;            Type,TimeGenerated,Computer;  vigil_events,2024-05-01T10:00:00Z,x;              DemoLog",
        "a Defender export is recognized by its columns;   Timestamp,DeviceId,DeviceName,ActionType;  2024-05-01T10:00:00Z,d1,ws1,ProcessCreated;  DeviceProcessEvents",
        "a Defender network row;                           Timestamp,DeviceId,DeviceName,ActionType;  2024-05-01T10:00:00Z,d1,ws1,ConnectionSuccess;  DeviceNetworkEvents",
        "a Windows Security export by its channel;         EventID,Channel,Hostname;     4624,Security,dc1;                               SecurityEvent",
        "anything else goes to the default table;          Name,Count;                   a,1;                                             DemoLog",
    })
    void rowTable(String rule, String header, String row, String expectedTable) throws Exception {
        CsvRecordParser parser = new CsvRecordParser(List.of(header.split(",")), "DemoLog", ZoneOffset.UTC);

        ParsedRecord parsed = parser.parse(record(row));

        assertThat(parsed.table()).as(rule).isEqualTo(expectedTable);
    }

    @org.junit.jupiter.api.Test
    void aLogAnalyticsPortalExportGivesItsTimeInTheHeaderZoneAndTheUsDateFormat() throws Exception {
        CsvRecordParser parser = new CsvRecordParser(List.of("TimeGenerated [UTC]", "Computer", "EventID"), "DemoLog",
                ZoneOffset.UTC);

        ParsedRecord parsed = parser.parse(record("\"5/1/2024, 10:00:00.123 AM\",dc1,4624"));

        assertThat(parsed.timeMicros()).isEqualTo(Timestamps.parseMicros("2024-05-01T10:00:00.123Z"));
    }
}
