package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Recognizes who produced a JSON record and rewrites it into its table's native shape.
 *
 * <p>Windows events arrive in three shapes: evtx_dump ({@code Event.System}, {@code Event.EventData}), Winlogbeat
 * ({@code event_data}, {@code winlog.event_data}) and NXLog (flat, {@code Hostname}, {@code SourceName}). All three
 * are rewritten to the Windows event schema's own names, which Sigma rules and Sentinel's {@code SecurityEvent} use:
 * EventData fields at the top ({@code Image}, {@code CommandLine}), and {@code EventID}, {@code Channel},
 * {@code Computer}, {@code Provider_Name}, {@code TimeCreated}, {@code EventRecordID}. The Security channel goes to
 * {@code SecurityEvent}, Sysmon to {@code SysmonEvent}, every other channel to {@code WindowsEvent}.
 *
 * <p>Sentinel exports carry their table in {@code Type}; Defender advanced-hunting exports are told apart by their
 * columns and {@code ActionType}; OCSF events go to {@code Ocsf<ClassName>}; a record nobody claims goes to the
 * configured default table. A forced {@link JsonShape} skips recognition.
 */
public final class JsonShapes {

    private final String defaultTable;
    private final JsonShape forced;
    /** Parses EventData written as JSON text; made on first need, confined like the shapes to one thread. */
    private JsonRecordParser embeddedJson;

    /**
     * @param defaultTable the table for JSON that no known producer claims
     * @param forced the shape to assume for every record, or {@link JsonShape#AUTO}
     */
    public JsonShapes(String defaultTable, JsonShape forced) {
        this.defaultTable = requireNonNull(defaultTable, "defaultTable is null");
        this.forced = requireNonNull(forced, "forced is null");
    }

    public ParsedRecord classify(Map<String, Object> fields) {
        return classify(fields, "");
    }

    /** @param source where the record came from; names the table of producers that do not say, like Zeek */
    public ParsedRecord classify(Map<String, Object> fields, String source) {
        JsonShape shape = forced == JsonShape.AUTO ? recognize(fields) : forced;
        if (shape == JsonShape.GENERIC && fields.get("ts") instanceof Number && isZeekFileName(source)) {
            shape = JsonShape.ZEEK; // x509.log, dhcp.log ... have no uid, but their file and epoch "ts" say Zeek
        }
        return switch (shape) {
            case ZEEK -> new ParsedRecord(zeekTable(fields, source), fields, zeekTime(fields));
            case EVTX -> windows(fromEvtxDump(fields));
            case WINLOGBEAT -> windows(fromWinlogbeat(fields));
            case NXLOG -> windows(fromNxlog(fields));
            case SENTINEL -> sentinel(fields);
            case DEFENDER -> new ParsedRecord(defenderTable(fields), fields,
                    Timestamps.parseMicros(text(fields.get("Timestamp"))));
            case OCSF -> new ParsedRecord(ocsfTable(fields), fields, ocsfTime(fields));
            case GENERIC, AUTO -> new ParsedRecord(tableOrDefault(fields), fields);
        };
    }

    static JsonShape recognize(Map<String, Object> fields) {
        if (fields.containsKey("Event.System.EventID") || fields.containsKey("Event.System.EventID.#text")
                || fields.containsKey("Event.System.Channel")) {
            return JsonShape.EVTX;
        }
        if (fields.containsKey("winlog.channel") || fields.containsKey("winlog.event_id")
                || (fields.containsKey("log_name") && fields.containsKey("event_id"))) {
            return JsonShape.WINLOGBEAT;
        }
        if (fields.containsKey("Type") && fields.containsKey("TimeGenerated")) {
            return JsonShape.SENTINEL;
        }
        if (fields.containsKey("EventID") && (fields.containsKey("Channel") || fields.containsKey("SourceName")
                || fields.containsKey("Hostname") || fields.containsKey("Computer"))) {
            return fields.containsKey("TimeGenerated") ? JsonShape.SENTINEL : JsonShape.NXLOG;
        }
        if (fields.containsKey("Timestamp") && fields.containsKey("ActionType")) {
            return JsonShape.DEFENDER;
        }
        if (fields.containsKey("class_uid") && (fields.containsKey("metadata.version")
                || fields.containsKey("metadata.product.name") || fields.containsKey("category_uid"))) {
            return JsonShape.OCSF;
        }
        if (fields.containsKey("TimeGenerated")) {
            return JsonShape.SENTINEL;
        }
        if (fields.containsKey("ts") && (fields.containsKey("_path") || fields.containsKey("uid")
                && fields.containsKey("id.orig_h"))) {
            return JsonShape.ZEEK;
        }
        return JsonShape.GENERIC;
    }

    // --- Windows ---------------------------------------------------------------------------------------------

    private static Map<String, Object> fromEvtxDump(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>(fields.size() + 4);
        for (Map.Entry<String, Object> entry : fields.entrySet()) {
            // xmltodict-style converters write attributes as "@Name" where evtx_dump writes "#attributes.Name"
            String name = entry.getKey().replace(".@", ".#attributes.");
            Object value = entry.getValue();
            if (name.equals("Event.#attributes.xmlns") || name.startsWith("Event.EventData.#attributes")) {
                continue; // the XML namespace says nothing about the event
            } else if (name.equals("Event.EventData")) {
                continue; // EventData: null, an event without data
            } else if (name.equals("Event.EventData.Data") && value instanceof String array && expandNamedData(array, out)) {
                continue; // [{"@Name":"SubjectUserSid","#text":"S-1-5-18"}, ...] became named fields
            } else if (name.startsWith("Event.EventData.")) {
                String field = name.substring("Event.EventData.".length());
                putFirst(out, field.equals("#text") ? "EventData" : field, value, "EventData.");
            } else if (name.startsWith("Event.System.")) {
                String field = systemName(name.substring("Event.System.".length()));
                putFirst(out, field, coerceEventId(field, value), "System.");
            } else if (name.startsWith("Event.UserData.")) {
                String rest = name.substring("Event.UserData.".length());
                int dot = rest.indexOf('.');
                String leaf = dot < 0 ? rest : rest.substring(dot + 1);
                if (!leaf.startsWith("#attributes")) {
                    putFirst(out, leaf, value, "UserData.");
                }
            } else if (name.startsWith("Event.")) {
                putFirst(out, name.substring("Event.".length()), value, "Event.");
            } else {
                putFirst(out, name, value, "");
            }
        }
        return out;
    }

    /**
     * Expands EventData written as an array of named items, as XML-to-JSON converters write it:
     * {@code [{"@Name":"TargetUserName","#text":"alice"}, ...]} (also {@code #attributes.Name}, {@code Name}, and the
     * text as {@code #text} or {@code value}). Returns false, expanding nothing, for an array of unnamed values.
     */
    private static boolean expandNamedData(String array, Map<String, Object> out) {
        if (array.isEmpty() || array.charAt(0) != '[') {
            return false;
        }
        tools.jackson.databind.JsonNode items;
        try {
            items = ARRAY_READER.readTree(array);
        } catch (tools.jackson.core.JacksonException e) {
            return false;
        }
        Map<String, Object> named = new LinkedHashMap<>();
        for (tools.jackson.databind.JsonNode item : items) {
            tools.jackson.databind.JsonNode itemName = firstPresent(item, "@Name", "Name", "name");
            if (itemName == null && item.has("#attributes")) {
                itemName = item.get("#attributes").get("Name");
            }
            if (itemName == null || !itemName.isString()) {
                return false;
            }
            tools.jackson.databind.JsonNode text = firstPresent(item, "#text", "value", "Value", "#value");
            named.put(itemName.asString(), text == null || text.isNull() ? null : text.isString() ? text.asString() : text.toString());
        }
        named.forEach((key, value) -> putFirst(out, key, value, "EventData."));
        return !named.isEmpty();
    }

    private static tools.jackson.databind.JsonNode firstPresent(tools.jackson.databind.JsonNode item, String... names) {
        for (String name : names) {
            if (item.has(name)) {
                return item.get(name);
            }
        }
        return null;
    }

    private static final tools.jackson.databind.json.JsonMapper ARRAY_READER = tools.jackson.databind.json.JsonMapper.builder().build();

    /** {@code Provider.#attributes.Name} becomes {@code Provider_Name}; {@code TimeCreated} keeps its plain name. */
    private static String systemName(String path) {
        if (path.equals("TimeCreated.#attributes.SystemTime")) {
            return "TimeCreated";
        }
        if (path.endsWith(".#text")) {
            return path.substring(0, path.length() - ".#text".length());
        }
        int attributes = path.indexOf(".#attributes.");
        if (attributes >= 0) {
            String element = path.substring(0, attributes);
            String attribute = path.substring(attributes + ".#attributes.".length());
            if (element.equals("EventID")) {
                return "EventID_" + attribute;
            }
            return element + "_" + attribute;
        }
        return path;
    }

    private static Map<String, Object> fromWinlogbeat(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>(fields.size() + 4);
        for (Map.Entry<String, Object> entry : fields.entrySet()) {
            String name = entry.getKey();
            String target = switch (name) {
                case "log_name", "winlog.channel" -> "Channel";
                case "event_id", "winlog.event_id" -> "EventID";
                case "computer_name", "winlog.computer_name" -> "Computer";
                case "source_name", "winlog.provider_name" -> "Provider_Name";
                case "record_number", "winlog.record_id" -> "EventRecordID";
                case "provider_guid", "winlog.provider_guid" -> "Provider_Guid";
                case "message" -> "Message";
                default -> {
                    if (name.startsWith("event_data.")) {
                        yield name.substring("event_data.".length());
                    } else if (name.startsWith("winlog.event_data.")) {
                        yield name.substring("winlog.event_data.".length());
                    } else if (name.startsWith("user_data.")) {
                        yield name.substring("user_data.".length());
                    } else if (name.startsWith("winlog.user_data.")) {
                        yield name.substring("winlog.user_data.".length());
                    }
                    yield name;
                }
            };
            putFirst(out, target, coerceEventId(target, entry.getValue()), "winlogbeat.");
        }
        return out;
    }

    private static Map<String, Object> fromNxlog(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>(fields.size() + 2);
        for (Map.Entry<String, Object> entry : fields.entrySet()) {
            String name = entry.getKey();
            String target = switch (name) {
                case "Hostname" -> fields.containsKey("Computer") ? name : "Computer";
                case "SourceName" -> fields.containsKey("Provider_Name") ? name : "Provider_Name";
                case "RecordNumber" -> fields.containsKey("EventRecordID") ? name : "EventRecordID";
                default -> name;
            };
            putFirst(out, target, coerceEventId(target, entry.getValue()), "nxlog.");
        }
        return out;
    }

    private ParsedRecord windows(Map<String, Object> fields) {
        expandEmbeddedEventData(fields);
        long time = ParsedRecord.UNKNOWN_TIME;
        for (String candidate : new String[] {"TimeCreated", "@timestamp", "TimeGenerated", "EventTime", "UtcTime"}) {
            time = Timestamps.parseMicros(text(fields.get(candidate)));
            if (time != ParsedRecord.UNKNOWN_TIME) {
                break;
            }
        }
        return new ParsedRecord(windowsTable(fields), fields, time);
    }

    static String windowsTable(Map<String, Object> fields) {
        String channel = text(fields.get("Channel"));
        if (channel == null) {
            channel = "";
        }
        String provider = text(fields.get("Provider_Name"));
        if (provider == null) {
            provider = "";
        }
        if (channel.equalsIgnoreCase("Security") || (channel.isEmpty()
                && provider.equalsIgnoreCase("Microsoft-Windows-Security-Auditing"))) {
            return "SecurityEvent";
        }
        if (channel.toLowerCase(Locale.ROOT).contains("sysmon") || provider.equalsIgnoreCase("Microsoft-Windows-Sysmon")) {
            return "SysmonEvent";
        }
        return "WindowsEvent";
    }

    /** Sentinel and MMA exports keep EventData as XML or JSON text: lift its fields to the top. */
    private void expandEmbeddedEventData(Map<String, Object> fields) {
        if (!(fields.get("EventData") instanceof String data) || data.isEmpty()) {
            return;
        }
        char first = data.charAt(0);
        if (first == '<') {
            EmbeddedWindowsXml.putNamedData(data, fields);
            fields.remove("EventData");
        } else if (first == '{') {
            try {
                if (embeddedJson == null) {
                    embeddedJson = new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes(defaultTable, JsonShape.GENERIC));
                }
                Map<String, Object> inner = embeddedJson.parseFields(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                inner.forEach(fields::putIfAbsent);
                fields.remove("EventData");
            } catch (RecordRejectedException e) {
                // not JSON after all: keep the text as it is
            }
        }
    }

    private static Object coerceEventId(String target, Object value) {
        if (target.equals("EventID") && value instanceof String s && !s.isEmpty() && s.length() < 10
                && s.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(s);
        }
        return value;
    }

    // --- Sentinel, Defender, OCSF ----------------------------------------------------------------------------

    private ParsedRecord sentinel(Map<String, Object> fields) {
        String type = text(fields.get("Type"));
        if (fields.containsKey("EventID") && (type == null || type.equals("SecurityEvent") || type.equals("Event")
                || type.equals("WindowsEvent"))) {
            ParsedRecord windows = windows(fields);
            String table = type != null && type.equals("SecurityEvent") ? "SecurityEvent" : windows.table();
            return new ParsedRecord(table, windows.fields(), windows.timeMicros());
        }
        long time = Timestamps.parseMicros(text(fields.get("TimeGenerated")));
        if ("Syslog".equals(type)) {
            String lifted = EmbeddedWindowsXml.lift(fields, "SyslogMessage");
            if (lifted != null) {
                return new ParsedRecord(lifted, fields, time);
            }
        }
        return new ParsedRecord(type != null && isTableName(type) ? type : tableOrDefault(fields), fields, time);
    }

    static String defenderTable(Map<String, Object> fields) {
        if (fields.get("Type") instanceof String type && isTableName(type)) {
            return type;
        }
        String action = text(fields.get("ActionType"));
        if (action == null) {
            action = "";
        }
        if (fields.containsKey("DeviceId") || fields.containsKey("DeviceName")) {
            if (action.equals("ProcessCreated")) {
                return "DeviceProcessEvents";
            } else if (action.startsWith("Connection") || action.startsWith("Inbound") || action.startsWith("Listening")) {
                return "DeviceNetworkEvents";
            } else if (action.startsWith("Logon")) {
                return "DeviceLogonEvents";
            } else if (action.startsWith("File")) {
                return "DeviceFileEvents";
            } else if (action.startsWith("Registry")) {
                return "DeviceRegistryEvents";
            } else if (action.equals("ImageLoaded")) {
                return "DeviceImageLoadEvents";
            }
            return "DeviceEvents";
        }
        if (fields.containsKey("ApplicationId") && fields.containsKey("AccountObjectId")) {
            return "CloudAppEvents";
        }
        if (fields.containsKey("LogonType") && fields.containsKey("Protocol")) {
            return "IdentityLogonEvents";
        }
        if (fields.containsKey("DestinationDeviceName") || fields.containsKey("TargetAccountUpn")) {
            return "IdentityDirectoryEvents";
        }
        return "DefenderEvents";
    }

    /** The file name of a source: what follows its last folder or archive separator ({@code a.zip!logs/conn.log}). */
    static String fileName(String source) {
        return source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('!')) + 1);
    }

    /** The file name up to its first dot: {@code conn} for {@code conn.2024-05-01.log.gz}. */
    static String fileStem(String source) {
        String name = fileName(source);
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean isZeekFileName(String source) {
        String base = fileName(source);
        return base.matches("[a-z0-9_]+(\\.[0-9:_-]+)?\\.log(\\.gz)?");
    }

    /** {@code Zeek} and the log's name: {@code _path} ({@code conn}), else the file's name ({@code conn.log}). */
    static String zeekTable(Map<String, Object> fields, String source) {
        String path = text(fields.get("_path"));
        if (path == null || path.isBlank()) {
            path = fileStem(source);
        }
        String table = "Zeek" + pascalCase(path);
        return isTableName(table) ? table : "Zeek";
    }

    private static long zeekTime(Map<String, Object> fields) {
        Object ts = fields.get("ts");
        return ts instanceof Number number ? Timestamps.fromEpochNumber(number.doubleValue()) : Timestamps.parseMicros(text(ts));
    }

    static String pascalCase(String text) {
        StringBuilder out = new StringBuilder();
        for (String word : text.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    private static String ocsfTable(Map<String, Object> fields) {
        String className = text(fields.get("class_name"));
        if (className == null && fields.get("class_uid") instanceof Long uid) {
            className = OCSF_CLASSES.get(uid.intValue());
        }
        if (className != null) {
            String table = "Ocsf" + pascalCase(className);
            if (isTableName(table)) {
                return table;
            }
        }
        return "Ocsf" + text(fields.get("class_uid"));
    }

    /** OCSF 1.x event classes by uid, for events that carry only the uid. */
    private static final Map<Integer, String> OCSF_CLASSES = Map.ofEntries(
            Map.entry(1001, "File System Activity"), Map.entry(1002, "Kernel Extension Activity"),
            Map.entry(1003, "Kernel Activity"), Map.entry(1004, "Memory Activity"), Map.entry(1005, "Module Activity"),
            Map.entry(1006, "Scheduled Job Activity"), Map.entry(1007, "Process Activity"),
            Map.entry(1008, "Event Log Activity"), Map.entry(1009, "Script Activity"),
            Map.entry(2001, "Security Finding"), Map.entry(2002, "Vulnerability Finding"),
            Map.entry(2003, "Compliance Finding"), Map.entry(2004, "Detection Finding"),
            Map.entry(2005, "Incident Finding"), Map.entry(2006, "Data Security Finding"),
            Map.entry(3001, "Account Change"), Map.entry(3002, "Authentication"), Map.entry(3003, "Authorize Session"),
            Map.entry(3004, "Entity Management"), Map.entry(3005, "User Access Management"),
            Map.entry(3006, "Group Management"), Map.entry(4001, "Network Activity"), Map.entry(4002, "HTTP Activity"),
            Map.entry(4003, "DNS Activity"), Map.entry(4004, "DHCP Activity"), Map.entry(4005, "RDP Activity"),
            Map.entry(4006, "SMB Activity"), Map.entry(4007, "SSH Activity"), Map.entry(4008, "FTP Activity"),
            Map.entry(4009, "Email Activity"), Map.entry(4010, "Network File Activity"),
            Map.entry(4011, "Email File Activity"), Map.entry(4012, "Email URL Activity"),
            Map.entry(4013, "NTP Activity"), Map.entry(4014, "Tunnel Activity"),
            Map.entry(5001, "Device Inventory Info"), Map.entry(5002, "Device Config State"),
            Map.entry(5003, "User Inventory Info"), Map.entry(5004, "Operating System Patch State"),
            Map.entry(6001, "Web Resources Activity"), Map.entry(6002, "Application Lifecycle"),
            Map.entry(6003, "API Activity"), Map.entry(6004, "Web Resource Access Activity"),
            Map.entry(6005, "Datastore Activity"), Map.entry(6006, "File Hosting Activity"));

    private static long ocsfTime(Map<String, Object> fields) {
        Object time = fields.get("time");
        if (time instanceof Long millis) {
            return millis * 1000;
        }
        long parsed = Timestamps.parseMicros(text(fields.get("time_dt")));
        return parsed != ParsedRecord.UNKNOWN_TIME ? parsed : Timestamps.parseMicros(text(time));
    }

    private String tableOrDefault(Map<String, Object> fields) {
        // Only exports that name their table explicitly are trusted; a bare "Type" means too many things in JSON logs.
        for (String key : new String[] {"$table", "TableName"}) {
            if (fields.get(key) instanceof String type && isTableName(type)) {
                return type;
            }
        }
        if (fields.containsKey("eventSource") && fields.containsKey("eventName") && fields.containsKey("awsRegion")) {
            return "AWSCloudTrail";
        }
        if (fields.containsKey("userPrincipalName") && fields.containsKey("createdDateTime")
                && fields.containsKey("ipAddress")) {
            return "SigninLogs";
        }
        return defaultTable;
    }

    /** A table name must be an identifier, so that a hostile {@code Type} cannot name something else. */
    static boolean isTableName(String name) {
        if (name.isEmpty() || name.length() > 64 || !Character.isLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return !name.regionMatches(true, 0, "vigil_", 0, 6);
    }

    private static void putFirst(Map<String, Object> out, String name, Object value, String originPrefix) {
        if (!out.containsKey(name)) {
            out.put(name, value);
        } else {
            out.putIfAbsent(originPrefix + name, value);
        }
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
