package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a file of indicators in whatever format it is: JSON is STIX (a bundle, an object, an envelope) or a MISP
 * event, told apart by their keys; text whose first line is a header with {@code type} and {@code value} columns is
 * MISP CSV; other text is a plain list. Binary files and JSON of neither kind are refused with the reason.
 */
public final class IndicatorFiles {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IndicatorFiles() {}

    /**
     * Reads the indicators of a file.
     *
     * @param format the format to read it as, or null to recognize it
     */
    public static IndicatorImport read(String source, byte[] content, IntelFormat format, ImportOptions options) {
        requireNonNull(source, "source is null");
        requireNonNull(content, "content is null");
        requireNonNull(options, "options is null");
        for (int i = 0; i < Math.min(content.length, 8192); i++) {
            if (content[i] == 0) {
                return IndicatorImport.problem(source, format, "a binary file (it holds NUL bytes), not indicators");
            }
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            return IndicatorImport.problem(source, format, "the file is empty");
        }
        IntelFormat chosen = format != null ? format : detect(text);
        return switch (chosen) {
            case STIX, MISP_JSON -> json(source, text, format, options);
            case MISP_CSV -> MispCsv.read(source, text, options);
            case PLAIN -> PlainList.read(source, text, options);
        };
    }

    /** The format of a file's text, by its first characters and, for JSON, its keys (see the class comment). */
    public static IntelFormat detect(String text) {
        String start = text.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            int mispAt = indexOfKey(start, "Event");
            int stixAt = Math.min(indexOfKey(start, "type"), indexOfKey(start, "objects"));
            return mispAt < stixAt || indexOfKey(start, "response") < stixAt ? IntelFormat.MISP_JSON : IntelFormat.STIX;
        }
        int newline = start.indexOf('\n');
        String first = (newline < 0 ? start : start.substring(0, newline)).strip().toLowerCase(Locale.ROOT);
        if (first.contains(",")) {
            boolean type = false;
            boolean value = false;
            for (String column : first.split(",")) {
                String name = column.strip().replace("\"", "");
                type |= name.equals("type");
                value |= name.equals("value");
            }
            if (type && value) {
                return IntelFormat.MISP_CSV;
            }
        }
        return IntelFormat.PLAIN;
    }

    private static int indexOfKey(String json, String key) {
        int at = json.indexOf("\"" + key + "\"");
        return at < 0 ? Integer.MAX_VALUE : at;
    }

    private static IndicatorImport json(String source, String text, IntelFormat forced, ImportOptions options) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            return IndicatorImport.problem(source, forced, jsonProblem(e));
        }
        boolean misp = !MispEvents.events(root).isEmpty();
        if (forced == IntelFormat.MISP_JSON || forced == null && misp) {
            return MispEvents.read(source, root, options);
        }
        if (forced == null && root.isObject() && !root.has("type") && !root.has("objects") && !root.has("$schema")) {
            return IndicatorImport.problem(source, null, "JSON that is neither STIX (a bundle, or an object with"
                    + " 'type' and 'id') nor a MISP event ({\"Event\": ...})");
        }
        return StixIndicators.read(source, root, options);
    }

    /** A JSON syntax error as {@code not valid JSON at line L, column C: what}. */
    static String jsonProblem(JacksonException e) {
        TokenStreamLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = e.getOriginalMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return "not valid JSON" + where + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
