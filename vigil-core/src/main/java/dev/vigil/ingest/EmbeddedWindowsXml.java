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

    private EmbeddedWindowsXml() {}

    /**
     * If {@code fields.get(field)} is such an event, adds its fields (without overwriting any) and returns the table
     * it belongs to; otherwise returns null and changes nothing.
     */
    static String lift(Map<String, Object> fields, String field) {
        if (!(fields.get(field) instanceof String xml) || !xml.startsWith("<Event") || xml.indexOf("<System>") < 0
                || xml.length() > 1 << 20) {
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
        Matcher data = DATA.matcher(xml);
        while (data.find()) {
            lifted.putIfAbsent(data.group(1), data.group(2) == null ? null : unescape(data.group(2)));
        }
        lifted.forEach(fields::putIfAbsent);
        return JsonShapes.windowsTable(fields);
    }

    private static String unescape(String value) {
        if (value.indexOf('&') < 0) {
            return value;
        }
        return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
