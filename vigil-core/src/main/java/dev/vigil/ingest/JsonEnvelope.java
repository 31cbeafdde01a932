package dev.vigil.ingest;

import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Recognizes API responses that wrap the records in one array, so that each element is ingested as a record rather
 * than the response as one: Defender XDR advanced hunting ({@code {"Schema":[...],"Results":[{...},...]}}) and
 * Microsoft Graph / OData ({@code {"@odata.context":"...","value":[{...},...]}}, e.g. security alerts). Each is
 * recognized only by its pair of keys in their documented order, so a log record that merely has a field named
 * {@code value} is never mistaken for one.
 *
 * @param key the array's key
 * @param arrayOffset byte offset of the array's {@code [} in the stream
 * @param arrayLine line of the array's {@code [}
 */
record JsonEnvelope(String key, long arrayOffset, long arrayLine) {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** The envelope whose array starts within {@code head}, the stream's first bytes, or null. */
    static JsonEnvelope detect(byte[] head) {
        Set<String> seen = new HashSet<>();
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), head)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                boolean wraps = (name.equals("Results") && seen.contains("Schema"))
                        || (name.equals("value") && seen.stream().anyMatch(k -> k.startsWith("@odata.")));
                if (wraps && value == JsonToken.START_ARRAY) {
                    long offset = parser.currentTokenLocation().getByteOffset();
                    long line = parser.currentTokenLocation().getLineNr();
                    JsonToken first = parser.nextToken();
                    return first == JsonToken.START_OBJECT || first == JsonToken.END_ARRAY
                            ? new JsonEnvelope(name, offset, line)
                            : null;
                }
                seen.add(name);
                parser.skipChildren();
            }
            return null;
        } catch (JacksonException e) {
            return null; // not JSON, or the head ends before the array: read the stream as it is
        }
    }
}
