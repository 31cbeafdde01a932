package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses one Splunk {@code WinEventLog} text event into the Windows schema's names: {@code LogName} to
 * {@code Channel}, {@code EventCode} to {@code EventID}, {@code ComputerName} to {@code Computer},
 * {@code SourceName} to {@code Provider_Name}, {@code RecordNumber} to {@code EventRecordID}; the other keys keep
 * their names and {@code Message} keeps the whole rendered message. The message's own fields ("Account Name:") are
 * rendered text, not the event's data items, so they are not guessed into fields.
 */
public final class WinEventLogTextParser implements RecordParser {
    private final ZoneId defaultZone;

    public WinEventLogTextParser(ZoneId defaultZone) {
        this.defaultZone = requireNonNull(defaultZone, "defaultZone is null");
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        String text = TextDecoding.decodeStrict(record);
        String[] lines = text.split("\n", -1);
        if (!WinEventLogTextReader.TIME_LINE.matcher(lines[0].strip()).matches()) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_WINEVENTLOG, "the event does not start with"
                    + " its time ('03/12/2021 10:48:14 AM') but with '" + TextDecoding.excerpt(lines[0], 40) + "'");
        }
        long time = Timestamps.parseMicros(lines[0].strip(), defaultZone);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int equals = line.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = line.substring(0, equals);
            if (key.equals("Message")) {
                StringBuilder message = new StringBuilder(line.substring(equals + 1));
                for (int k = i + 1; k < lines.length; k++) {
                    message.append('\n').append(lines[k]);
                }
                fields.put("Message", message.toString().stripTrailing());
                break;
            }
            String value = line.substring(equals + 1).strip();
            String name = switch (key) {
                case "LogName" -> "Channel";
                case "EventCode" -> "EventID";
                case "ComputerName" -> "Computer";
                case "SourceName" -> "Provider_Name";
                case "RecordNumber" -> "EventRecordID";
                default -> key;
            };
            fields.putIfAbsent(name, name.equals("EventID") || name.equals("EventRecordID")
                    ? TextDecoding.longIfNumeric(value) : value);
        }
        if (!fields.containsKey("EventID")) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_WINEVENTLOG,
                    "no EventCode= line; expected Splunk WinEventLog lines (LogName=, EventCode=, ..., Message=)");
        }
        return new ParsedRecord(JsonShapes.windowsTable(fields), fields, time);
    }
}
