package dev.vigil.copilot.promptbook;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON document with the line and column of every value, by path ({@code prompts[1].content}), so that an error
 * about a field names where it stands in the file. Jackson's tree keeps no positions, so the text is read twice:
 * once as tokens for the positions (which also finds syntax errors, with the field being read), once as a tree.
 */
final class LocatedJson {
    private final String source;
    private final JsonNode root;
    private final Map<String, TokenStreamLocation> locations;

    private LocatedJson(String source, JsonNode root, Map<String, TokenStreamLocation> locations) {
        this.source = source;
        this.root = root;
        this.locations = locations;
    }

    /**
     * @throws VigilException {@link ErrorCode#PROMPTBOOK_INVALID} for text that is not JSON, naming the line, column
     *     and field where reading stopped
     */
    static LocatedJson parse(JsonMapper mapper, String text, String source) {
        Map<String, TokenStreamLocation> locations = new HashMap<>();
        String[] path = {""};
        try (JsonParser parser = mapper.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new VigilException(ErrorCode.PROMPTBOOK_INVALID, source + ": the file is empty",
                        "Export a promptbook as JSON, or write one: {\"name\": ..., \"prompts\": [{\"content\": ...}]}.",
                        null);
            }
            index(parser, "", locations, path);
            if (parser.nextToken() != null) {
                TokenStreamLocation at = parser.currentTokenLocation();
                throw new VigilException(ErrorCode.PROMPTBOOK_INVALID, source + ":" + at.getLineNr() + ":"
                        + at.getColumnNr() + ": more JSON after the end of the document",
                        "Keep one JSON document per file: put several promptbooks in an array.", null);
            }
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            String field = path[0].isEmpty() ? "" : " in field " + path[0];
            throw new VigilException(ErrorCode.PROMPTBOOK_INVALID, source + where + ": not valid JSON" + field + ": "
                    + firstLine(e.getOriginalMessage()), "Fix the JSON at the line and column named.", e);
        }
        return new LocatedJson(source, mapper.readTree(text), locations);
    }

    private static void index(JsonParser parser, String path, Map<String, TokenStreamLocation> locations,
            String[] current) {
        current[0] = path;
        locations.put(path, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                current[0] = child;
                parser.nextToken();
                index(parser, child, locations, current);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                index(parser, path + "[" + i++ + "]", locations, current);
            }
        }
        current[0] = path;
    }

    JsonNode root() {
        return root;
    }

    String source() {
        return source;
    }

    /** {@code file:line:column} of the value at the path, or of the nearest enclosing value that exists. */
    String where(String path) {
        String at = path;
        while (!locations.containsKey(at) && !at.isEmpty()) {
            int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
            at = cut < 0 ? "" : at.substring(0, cut);
        }
        TokenStreamLocation location = locations.get(at);
        return location == null ? source : source + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }

    /** An error about the field at the path, placed at its line and column. */
    VigilException error(String path, String problem, String fix) {
        String field = path.isEmpty() ? "" : " field " + path + ":";
        return new VigilException(ErrorCode.PROMPTBOOK_INVALID, where(path) + ":" + field + " " + problem, fix, null);
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message).strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
