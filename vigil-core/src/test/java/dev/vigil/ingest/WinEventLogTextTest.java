package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splunk's classic WinEventLog text: one event per time line, Key=Value lines, a Message over many lines. */
class WinEventLogTextTest {
    private static final String TWO_EVENTS = String.join("\r\n",
            "03/12/2021 10:48:14 AM",
            "LogName=Security",
            "SourceName=Microsoft Windows security auditing.",
            "EventCode=4624",
            "EventType=0",
            "Type=Information",
            "ComputerName=dc1.corp.local",
            "TaskCategory=Logon",
            "RecordNumber=257879",
            "Keywords=Audit Success",
            "Message=An account was successfully logged on.",
            "",
            "Subject:",
            "\tAccount Name:\t\tDC1$",
            "03/12/2021 10:49:00 AM",
            "LogName=System",
            "SourceName=Service Control Manager",
            "EventCode=7045",
            "ComputerName=dc1.corp.local",
            "Message=A service was installed in the system.",
            "");

    @TempDir
    Path dir;

    @Test
    void eachTimeLineStartsAnEventInTheWindowsSchemaNames() throws IOException {
        InMemoryEventSink sink = new InMemoryEventSink();

        IngestSummary summary = IngestTesting.ingest(sink, Files.writeString(dir.resolve("wineventlog.txt"), TWO_EVENTS));

        assertThat(summary.read()).isEqualTo(2);
        assertThat(summary.quarantined()).isZero();
        Event logon = sink.events().get(0);
        assertThat(logon.table()).isEqualTo("SecurityEvent");
        assertThat(logon.fields())
                .containsEntry("EventID", 4624L)
                .containsEntry("Channel", "Security")
                .containsEntry("Computer", "dc1.corp.local")
                .containsEntry("EventRecordID", 257879L)
                .containsEntry("Message", "An account was successfully logged on.\n\nSubject:\n\tAccount Name:\t\tDC1$");
        assertThat(logon.common(CommonColumn.ACTION)).isEqualTo("logon");
        assertThat(logon.timeMicros()).isEqualTo(Timestamps.parseMicros("2021-03-12T10:48:14Z"));
        assertThat(sink.events().get(1).table()).isEqualTo("WindowsEvent");
        assertThat(sink.events().get(1).position().line()).isEqualTo(15);
    }

    @Test
    void anEventWithoutAnEventCodeIsQuarantinedWithTheReason() {
        ParserTesting.assertRejected(new WinEventLogTextParser(ZoneOffset.UTC), "03/12/2021 10:48:14 AM\nLogName=Security",
                QuarantineReason.MALFORMED_WINEVENTLOG,
                "no EventCode= line; expected Splunk WinEventLog lines (LogName=, EventCode=, ..., Message=)");
    }
}
