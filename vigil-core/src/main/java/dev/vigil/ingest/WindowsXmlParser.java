package dev.vigil.ingest;

import dev.vigil.model.QuarantineReason;
import java.util.Map;

/**
 * Parses one Windows event in XML into the same fields and table as its JSON shapes (see {@link JsonShapes}):
 * Security to {@code SecurityEvent}, Sysmon to {@code SysmonEvent}, other channels to {@code WindowsEvent}.
 */
public final class WindowsXmlParser implements RecordParser {
    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String xml = TextDecoding.decodeStrict(record);
        if (!xml.endsWith("</Event>")) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_XML, "the event does not end with </Event>");
        }
        Map<String, Object> fields = EmbeddedWindowsXml.extract(xml);
        if (fields == null) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_XML,
                    "no <System> with an <EventID>; expected a Windows event (<Event><System>...</System>...)");
        }
        long time = Timestamps.parseMicros(JsonShapes.text(fields.get("TimeCreated")));
        return new ParsedRecord(JsonShapes.windowsTable(fields), fields, time);
    }
}
