package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows events saved as XML read like their JSON shapes. */
class WindowsXmlTest {
    private static final String EXPORT = """
            <?xml version="1.0" encoding="utf-8" standalone="yes"?>
            <Events>
            <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>4688</EventID><Version>2</Version><Level>0</Level><Task>13312</Task><Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime='2024-05-01T10:00:00.1234567Z'/><EventRecordID>9001</EventRecordID><Execution ProcessID='4' ThreadID='88'/><Channel>Security</Channel><Computer>WS1.corp.local</Computer><Security/></System><EventData><Data Name='SubjectUserName'>alice</Data><Data Name='NewProcessName'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>cmd /c whoami &amp;&amp; net user</Data></EventData></Event>
            <Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>
              <System>
                <Provider Name='Service Control Manager'/>
                <EventID Qualifiers='16384'>7036</EventID>
                <TimeCreated SystemTime='2024-05-01T10:00:01.000Z'/>
                <Channel>System</Channel>
                <Computer>WS1.corp.local</Computer>
              </System>
              <EventData><Data>Windows Update</Data><Data>running</Data></EventData>
            </Event>
            </Events>
            """;

    @TempDir
    Path dir;

    @Test
    void anEventViewerExportIsRecognizedAndReadEventByEvent() throws IOException {
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("security.xml"), EXPORT));

        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.quarantined()).isZero();
        Event process = sink.events().get(0);
        assertThat(process.table()).isEqualTo("SecurityEvent");
        assertThat(process.position().line()).isEqualTo(3);
        assertThat(process.fields())
                .containsEntry("EventID", 4688L)
                .containsEntry("Provider_Name", "Microsoft-Windows-Security-Auditing")
                .containsEntry("Computer", "WS1.corp.local")
                .containsEntry("Execution_ProcessID", "4")
                .containsEntry("NewProcessName", "C:\\Windows\\System32\\cmd.exe")
                .containsEntry("CommandLine", "cmd /c whoami && net user");
        assertThat(process.timeMicros()).isEqualTo(Timestamps.parseMicros("2024-05-01T10:00:00.123456Z"));
        Event service = sink.events().get(1);
        assertThat(service.table()).isEqualTo("WindowsEvent");
        assertThat(service.position().line()).isEqualTo(4);
        assertThat(service.fields()).containsEntry("EventID", 7036L).containsEntry("Data", "[\"Windows Update\",\"running\"]");
        assertThat(service.raw()).startsWith("<Event xmlns=").endsWith("</Event>");
    }

    @Test
    void eventsAndEventDataElementsAreToldApart() throws IOException {
        String text = "<Events><EventData/><Event><System><EventID>1</EventID><Channel>x</Channel></System></Event>";
        try (XmlEventReader reader = new XmlEventReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "t.xml", 1 << 20)) {
            assertThat(reader.next().text()).isEqualTo("<Event><System><EventID>1</EventID><Channel>x</Channel></System></Event>");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void anUnterminatedOrEmptyEventIsRejectedWithTheReason() {
        WindowsXmlParser parser = new WindowsXmlParser();

        ParserTesting.assertRejected(parser, "<Event><System><EventID>1</EventID>", QuarantineReason.MALFORMED_XML,
                "the event does not end with </Event>");
        ParserTesting.assertRejected(parser, "<Event><Foo/></Event>", QuarantineReason.MALFORMED_XML,
                "no <System> with an <EventID>; expected a Windows event (<Event><System>...</System>...)");
    }

    @Test
    void anOversizedEventIsReportedWithItsLengthAndTheNextOneStillReads() throws IOException {
        String big = "<Event><System><EventID>1</EventID></System><EventData><Data Name='x'>" + "a".repeat(5000)
                + "</Data></EventData></Event>";
        String small = "<Event><System><EventID>2</EventID></System></Event>";
        try (XmlEventReader reader = new XmlEventReader(new ByteArrayInputStream((big + "\n" + small)
                .getBytes(StandardCharsets.UTF_8)), "t.xml", 1024)) {
            RecordReader.Oversized oversized = org.junit.jupiter.api.Assertions.assertThrows(RecordReader.Oversized.class,
                    reader::next);
            assertThat(oversized.fullLength()).isEqualTo(big.length());
            assertThat(oversized.prefix().length()).isEqualTo(1024);
            assertThat(reader.next().text()).isEqualTo(small);
        }
    }

    @Test
    void evtxDumpsDefaultTextOutputIsReadAsXmlEvents() throws IOException {
        String dump = "Record 1\n<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Event xmlns=\"x\">\n  <System>\n"
                + "    <EventID>4624</EventID>\n    <Channel>Security</Channel>\n    <Computer>DC1</Computer>\n"
                + "  </System>\n  <EventData>\n    <Data Name=\"TargetUserName\">bob</Data>\n  </EventData>\n</Event>\n"
                + "Record 2\n<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Event xmlns=\"x\">\n  <System>\n"
                + "    <EventID>4634</EventID>\n    <Channel>Security</Channel>\n  </System>\n</Event>\n";
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("dump.txt"), dump));

        assertThat(summary.read()).isEqualTo(2);
        assertThat(sink.events()).extracting(e -> e.fields().get("EventID")).containsExactly(4624L, 4634L);
        assertThat(sink.events().get(0).fields()).containsEntry("TargetUserName", "bob");
    }

    @Test
    void evtxDumpsJsonOutputWithRecordLinesIsReadAsJsonEvents() throws IOException {
        String dump = "Record 1\n{\n  \"Event\": {\n    \"System\": {\"EventID\": 4624, \"Channel\": \"Security\"},\n"
                + "    \"EventData\": {\"TargetUserName\": \"bob\"}\n  }\n}\nRecord 2\n{\n  \"Event\": {\n"
                + "    \"System\": {\"EventID\": 4634, \"Channel\": \"Security\"}\n  }\n}\n";
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("dump.json"), dump));

        assertThat(summary.quarantined()).isZero();
        assertThat(summary.read()).isEqualTo(2);
        assertThat(sink.events()).extracting(e -> e.fields().get("EventID")).containsExactly(4624L, 4634L);
        assertThat(sink.events().get(0).position().line()).isEqualTo(2);
    }
}
