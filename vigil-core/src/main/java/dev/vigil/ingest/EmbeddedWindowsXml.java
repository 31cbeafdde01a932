package dev.vigil.ingest;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lifts a Windows-schema event written as XML inside a text field (Sysmon for Linux sends
 * {@code <Event><System>...</System><EventData><Data Name="Image">...</Data>...} through syslog) into the fields a
 * Sysmon or Windows event has everywhere else: {@code EventID}, {@code Channel}, {@code Computer},
 * {@code Provider_Name}, {@code TimeCreated} and the named EventData items. The fields of the carrier (syslog header,
 * export columns) stay beside them, and the XML text stays in its field.
 */
final class EmbeddedWindowsXml {
    private static final Pattern DATA = Pattern.compile("<Data Name=['\"]([^'\"]{1,200})['\"]\\s*(?:/>|>(.*?)</Data>)",
            Pattern.DOTALL);
    private static final Pattern ELEMENT = Pattern.compile("<(EventID|Channel|Computer|EventRecordID|Level|Task|Keywords)"
            + "(?:\\s[^>]*)?>([^<]*)</\\1>");
    private static final Pattern PROVIDER = Pattern.compile("<Provider Name=['\"]([^'\"]{1,200})['\"]");
    private static final Pattern TIME_CREATED = Pattern.compile("<TimeCreated SystemTime=['\"]([^'\"]{1,60})['\"]");
    private static final Pattern EXECUTION = Pattern.compile(
            "<Execution ProcessID=['\"]([0-9]{1,10})['\"] ThreadID=['\"]([0-9]{1,10})['\"]");
    private static final Pattern SECURITY = Pattern.compile("<Security UserID=['\"]([^'\"]{1,200})['\"]");
    private static final Pattern UNNAMED_DATA = Pattern.compile("<Data>([^<]*)</Data>");
    private static final Pattern LEAF = Pattern.compile("<([A-Za-z][A-Za-z0-9_]{0,100})>([^<]*)</\\1>");

    private EmbeddedWindowsXml() {}

    /**
     * If {@code fields.get(field)} is such an event, adds its fields (without overwriting any) and returns the table
     * it belongs to; otherwise returns null and changes nothing.
     */
    static String lift(Map<String, Object> fields, String field) {
        if (!(fields.get(field) instanceof String xml) || !xml.startsWith("<Event")) {
            return null;
        }
        Map<String, Object> lifted = extract(xml);
        if (lifted == null) {
            return null;
        }
        lifted.forEach(fields::putIfAbsent);
        return JsonShapes.windowsTable(fields);
    }

    /**
     * The fields of one Windows event in XML ({@code <Event><System>...</System><EventData>...}), or null if it is
     * not one (no {@code <System>} with an {@code <EventID>}). Named {@code <Data Name="x">} items become fields;
     * unnamed ones are kept together as a JSON array in {@code Data}; the leaf elements of {@code <UserData>} become
     * fields under their own names.
     */
    static Map<String, Object> extract(String xml) {
        if (xml.indexOf("<System>") < 0 || xml.length() > 1 << 20) {
            return null;
        }
        Map<String, Object> lifted = new java.util.LinkedHashMap<>();
        Matcher element = ELEMENT.matcher(xml);
        while (element.find()) {
            String name = element.group(1);
            String value = unescape(element.group(2));
            boolean number = name.equals("EventID") && !value.isEmpty() && value.length() < 10
                    && value.chars().allMatch(Character::isDigit);
            lifted.putIfAbsent(name, number ? (Object) Long.parseLong(value) : value);
        }
        if (!lifted.containsKey("EventID")) {
            return null;
        }
        Matcher provider = PROVIDER.matcher(xml);
        if (provider.find()) {
            lifted.putIfAbsent("Provider_Name", provider.group(1));
        }
        Matcher time = TIME_CREATED.matcher(xml);
        if (time.find()) {
            lifted.putIfAbsent("TimeCreated", time.group(1));
        }
        Matcher execution = EXECUTION.matcher(xml);
        if (execution.find()) {
            lifted.putIfAbsent("Execution_ProcessID", execution.group(1));
            lifted.putIfAbsent("Execution_ThreadID", execution.group(2));
        }
        Matcher security = SECURITY.matcher(xml);
        if (security.find()) {
            lifted.putIfAbsent("Security_UserID", security.group(1));
        }
        putNamedData(xml, lifted);
        java.util.List<String> unnamed = new java.util.ArrayList<>();
        Matcher plain = UNNAMED_DATA.matcher(xml);
        while (plain.find()) {
            unnamed.add(unescape(plain.group(1)));
        }
        if (!unnamed.isEmpty()) {
            StringBuilder array = new StringBuilder("[");
            for (String value : unnamed) {
                array.append(array.length() == 1 ? "" : ",").append('"')
                        .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                                .replace("\r", "\\r").replace("\t", "\\t"))
                        .append('"');
            }
            lifted.putIfAbsent("Data", array.append(']').toString());
        }
        int userData = xml.indexOf("<UserData>");
        if (userData >= 0) {
            Matcher leaf = LEAF.matcher(xml.substring(userData, Math.max(userData, xml.indexOf("</UserData>", userData))));
            while (leaf.find()) {
                lifted.putIfAbsent(leaf.group(1), unescape(leaf.group(2)));
            }
        }
        return lifted;
    }

    /** Adds the {@code <Data Name="x">value</Data>} items of the XML to the fields, without overwriting any. */
    static void putNamedData(String xml, Map<String, Object> fields) {
        Matcher data = DATA.matcher(xml);
        while (data.find()) {
            fields.putIfAbsent(data.group(1), data.group(2) == null ? null : unescape(data.group(2)));
        }
    }

    private static String unescape(String value) {
        if (value.indexOf('&') < 0) {
            return value;
        }
        return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
