package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.SourcePosition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sysmon for Linux sends Windows-schema XML through syslog; it lands in SysmonEvent with the usual field names. */
class EmbeddedWindowsXmlTest {
    private static final String SYSMON_XML = "<Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593}\"/>"
            + "<EventID>1</EventID><Version>5</Version><TimeCreated SystemTime=\"2022-05-11T18:10:20.399931000Z\"/>"
            + "<Channel>Linux-Sysmon/Operational</Channel><Computer>UBUNTU5</Computer></System><EventData>"
            + "<Data Name=\"Image\">/usr/bin/curl</Data><Data Name=\"CommandLine\">curl -s http://x/?a=1&amp;b=2</Data>"
            + "<Data Name=\"ParentImage\"/><Data Name=\"User\">tomcat</Data></EventData></Event>";

    @Test
    void syslogCarryingSysmonXmlBecomesASysmonEvent() throws Exception {
        SyslogParser parser = new SyslogParser(Clock.fixed(Instant.parse("2022-06-01T00:00:00Z"), ZoneOffset.UTC),
                ZoneOffset.UTC);

        ParsedRecord parsed = parser.parse(RawRecord.of("<14>May 11 18:10:20 UBUNTU5 sysmon: " + SYSMON_XML,
                new SourcePosition("t", 1, 0)));

        assertThat(parsed.table()).isEqualTo("SysmonEvent");
        assertThat(parsed.fields())
                .containsEntry("EventID", 1L)
                .containsEntry("Channel", "Linux-Sysmon/Operational")
                .containsEntry("Computer", "UBUNTU5")
                .containsEntry("Provider_Name", "Linux-Sysmon")
                .containsEntry("Image", "/usr/bin/curl")
                .containsEntry("CommandLine", "curl -s http://x/?a=1&b=2")
                .containsEntry("ParentImage", null)
                .containsEntry("HostName", "UBUNTU5")
                .containsEntry("SyslogMessage", SYSMON_XML);
    }

    @Test
    void aSentinelSyslogExportCarryingSysmonXmlBecomesASysmonEvent() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("TimeGenerated", "2022-05-11T18:10:20.4Z");
        fields.put("Type", "Syslog");
        fields.put("SyslogMessage", SYSMON_XML);

        ParsedRecord parsed = new JsonShapes("JsonEvent", JsonShape.AUTO).classify(fields);

        assertThat(parsed.table()).isEqualTo("SysmonEvent");
        assertThat(parsed.fields()).containsEntry("Image", "/usr/bin/curl").containsEntry("User", "tomcat");
    }

    @Test
    void ordinarySyslogAndXmlWithoutAnEventIdStaySyslog() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("SyslogMessage", "<Event><System><Computer>x</Computer></System></Event>");

        assertThat(EmbeddedWindowsXml.lift(fields, "SyslogMessage")).isNull();
        assertThat(fields).containsOnlyKeys("SyslogMessage");
        assertThat(EmbeddedWindowsXml.lift(Map.of("SyslogMessage", "sshd[1]: Accepted password"), "SyslogMessage")).isNull();
    }
}
