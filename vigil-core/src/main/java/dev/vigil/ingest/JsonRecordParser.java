package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.QuarantineReason;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses one JSON object into flat native fields and hands them to {@link JsonShapes}, which recognizes the
 * producer (evtx_dump, Winlogbeat, NXLog, Sentinel and Defender exports, OCSF, CloudTrail, ...) and picks the table.
 *
 * <p>Nested objects flatten to dotted names ({@code user.name}); arrays keep their exact JSON text, so nothing is
 * lost and no column explodes into thousands. Integers that do not fit a long stay text. The nesting depth, string
 * length and field count are bounded; a record past a bound is rejected with the bound's name, never parsed further.
 * A parser is confined to one thread.
 */
public final class JsonRecordParser implements RecordParser {
    private static final java.util.regex.Pattern START_MARKER =
            java.util.regex.Pattern.compile(" \\(start marker at \\[Source: [^\\]]*\\]\\)");

    private final JsonFactory factory;
    private final int maxFields;
    private final int maxNestingDepth;
    private final JsonShapes shapes;
    private static final int MAX_CACHED_NAMES = 50_000;
    private final Map<String, Map<String, String>> joinedNames = new java.util.HashMap<>();
    private int joinedCount;

    public JsonRecordParser(IngestLimits limits, JsonShapes shapes) {
        requireNonNull(limits, "limits is null");
        this.shapes = requireNonNull(shapes, "shapes is null");
        this.maxFields = limits.maxFieldsPerRecord();
        this.maxNestingDepth = limits.maxNestingDepth();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxRecordBytes())
                        .maxNameLength(4096)
                        .maxNumberLength(1000)
                        .build())
                // Hand-written and exported JSON often has trailing commas or comments; the raw bytes are kept
                // as they are either way, so accepting them loses nothing.
                .enable(tools.jackson.core.json.JsonReadFeature.ALLOW_TRAILING_COMMA)
                .enable(tools.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .build();
    }

    @Override
    public ParsedRecord parse(RawRecord record) throws RecordRejectedException {
        return shapes.classify(parseFields(record.bytes()), record.position().source());
    }

    /** The record's fields, flattened; exposed for the shape tests and the benchmark. */
    public Map<String, Object> parseFields(byte[] bytes) throws RecordRejectedException {
        Map<String, Object> fields = new LinkedHashMap<>(64);
        try (JsonParser parser = factory.createParser(ObjectReadContext.empty(), bytes, 0, bytes.length)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new RecordRejectedException(QuarantineReason.NOT_AN_OBJECT,
                        "expected a JSON object but found " + describe(first) + " at " + where(parser));
            }
            readObject(parser, bytes, "", fields);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new RecordRejectedException(QuarantineReason.MALFORMED_JSON,
                        "unexpected " + describe(trailing) + " after the end of the object at " + where(parser));
            }
        } catch (StreamConstraintsException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.contains("nesting depth")) {
                throw new RecordRejectedException(QuarantineReason.NESTING_TOO_DEEP, "nesting deeper than "
                        + maxNestingDepth + " levels (ingest.max-nesting-depth)");
            }
            // Jackson names its own setting; the user knows Vigil's
            throw new RecordRejectedException(QuarantineReason.RECORD_TOO_LARGE,
                    firstSentence(message.replaceAll(" \\(from `StreamReadConstraints[^)]*\\)", "")));
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            QuarantineReason reason = message != null && message.startsWith("Invalid UTF-8")
                    ? QuarantineReason.INVALID_UTF8
                    : QuarantineReason.MALFORMED_JSON;
            var location = e.getLocation();
            String at = location == null ? "" : " at line " + location.getLineNr() + " column " + location.getColumnNr();
            throw new RecordRejectedException(reason, firstSentence(message) + at);
        }
        return fields;
    }

    private void readObject(JsonParser parser, byte[] bytes, String prefix, Map<String, Object> fields)
            throws RecordRejectedException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
            String name = prefix.isEmpty() ? parser.currentName() : join(prefix, parser.currentName());
            JsonToken value = parser.nextToken();
            switch (value) {
                case START_OBJECT -> readObject(parser, bytes, name, fields);
                case START_ARRAY -> {
                    long start = parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    long end = parser.currentLocation().getByteOffset();
                    put(fields, name, new String(bytes, (int) start, (int) (end - start), java.nio.charset.StandardCharsets.UTF_8));
                }
                case VALUE_STRING -> put(fields, name, parser.getString());
                case VALUE_NUMBER_INT -> put(fields, name, switch (parser.getNumberType()) {
                    case INT, LONG -> (Object) parser.getLongValue();
                    default -> parser.getString();
                });
                // a decimal with more digits than a double holds stays text: never truncated
                case VALUE_NUMBER_FLOAT -> put(fields, name, Decimals.exactOrText(parser.getString()));
                case VALUE_TRUE -> put(fields, name, Boolean.TRUE);
                case VALUE_FALSE -> put(fields, name, Boolean.FALSE);
                case VALUE_NULL -> put(fields, name, null);
                default -> throw new RecordRejectedException(QuarantineReason.MALFORMED_JSON,
                        "unexpected " + describe(value) + " at " + where(parser));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new RecordRejectedException(QuarantineReason.MALFORMED_JSON,
                    "unexpected " + describe(token) + " at " + where(parser));
        }
    }

    /**
     * {@code prefix.name}, from a cache: the same nested names recur in every record of a source, and building them
     * anew for each record is a large share of the garbage ingest makes. The cache stops growing past a bound, so
     * records with ever new names cannot exhaust memory.
     */
    private String join(String prefix, String name) {
        Map<String, String> byName = joinedNames.get(prefix);
        if (byName == null) {
            if (joinedCount >= MAX_CACHED_NAMES) {
                return prefix + "." + name;
            }
            byName = new java.util.HashMap<>();
            joinedNames.put(prefix, byName);
        }
        String joined = byName.get(name);
        if (joined == null) {
            joined = prefix + "." + name;
            if (joinedCount < MAX_CACHED_NAMES) {
                byName.put(name, joined);
                joinedCount++;
            }
        }
        return joined;
    }

    private void put(Map<String, Object> fields, String name, Object value) throws RecordRejectedException {
        if (fields.size() >= maxFields) {
            throw new RecordRejectedException(QuarantineReason.TOO_MANY_FIELDS,
                    "more than " + maxFields + " fields (ingest.max-fields-per-record); field " + (maxFields + 1)
                            + " is '" + name + "'");
        }
        // A flattened name can repeat ({"a.b":1,"a":{"b":2}}); keep both rather than silently overwrite.
        if (fields.containsKey(name)) {
            int n = 2;
            while (fields.containsKey(name + "_" + n)) {
                n++;
            }
            name = name + "_" + n;
        }
        fields.put(name, value);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "'" + token.asString() + "'";
        };
    }

    private static String where(JsonParser parser) {
        var location = parser.currentTokenLocation();
        return "line " + location.getLineNr() + " column " + location.getColumnNr();
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        // Jackson cites the start marker with a redacted source and an unknown offset; that says nothing to a user.
        String line = START_MARKER.matcher(newline < 0 ? message : message.substring(0, newline)).replaceAll("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
