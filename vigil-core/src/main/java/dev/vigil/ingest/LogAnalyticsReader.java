package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Log Analytics (Sentinel) query API response, {@code {"tables":[{"name":..,"columns":[{"name":..,
 * "type":..}],"rows":[[..],..]}]}}, as one record per row: the row's values under their column names, written as a
 * JSON object (the response gives rows as positional arrays, so the object is the faithful form of a row). The
 * response is streamed, never held whole; a row is bounded by {@code maxRecordBytes}.
 */
public final class LogAnalyticsReader implements RecordReader {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final JsonParser parser;
    private final String source;
    private final int maxRecordBytes;
    private List<String> columns = List.of();
    private boolean inRows;

    public LogAnalyticsReader(InputStream in, String source, int maxRecordBytes) {
        requireNonNull(in, "in is null");
        this.source = requireNonNull(source, "source is null");
        this.maxRecordBytes = maxRecordBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxRecordBytes).build())
                .build();
        this.parser = factory.createParser(ObjectReadContext.empty(), in);
    }

    /** Whether the stream's first bytes are such a response. */
    static boolean looksLikeOne(byte[] head) {
        String text = new String(head, 0, Math.min(head.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        return text.matches("(?s)\\s*\\{\\s*\"tables\"\\s*:\\s*\\[\\s*\\{.*\"columns\"\\s*:.*");
    }

    @Override
    public RawRecord next() throws IOException {
        try {
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return null;
                }
                if (inRows) {
                    if (token == JsonToken.END_ARRAY) {
                        inRows = false;
                        continue;
                    }
                    if (token == JsonToken.START_ARRAY) {
                        return row();
                    }
                    parser.skipChildren();
                    continue;
                }
                if (token == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("columns") && value == JsonToken.START_ARRAY) {
                        columns = readColumns();
                    } else if (name.equals("rows") && value == JsonToken.START_ARRAY) {
                        inRows = true;
                    } else if (name.equals("name") || value.isScalarValue()) {
                        continue;
                    } else if (!name.equals("tables")) {
                        parser.skipChildren();
                    }
                }
            }
        } catch (JacksonException e) {
            throw new IOException("the Log Analytics response is not valid JSON at line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        }
    }

    private List<String> readColumns() {
        List<String> names = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
            String column = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                if (key.equals("name") || key.equals("ColumnName")) {
                    column = parser.getString();
                } else {
                    parser.skipChildren();
                }
            }
            names.add(column == null ? "column" + (names.size() + 1) : column);
        }
        if (token != JsonToken.END_ARRAY) {
            parser.skipChildren();
        }
        return names;
    }

    private RawRecord row() throws IOException {
        long line = parser.currentTokenLocation().getLineNr();
        long offset = parser.currentTokenLocation().getByteOffset();
        Map<String, Object> values = new LinkedHashMap<>();
        int index = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            String name = index < columns.size() ? columns.get(index) : "column" + (index + 1);
            values.put(name, token.isStructStart() ? MAPPER.readTree(parser) : scalar(token));
            index++;
        }
        byte[] bytes = MAPPER.writeValueAsBytes(values);
        RawRecord record = new RawRecord(bytes.length > maxRecordBytes ? java.util.Arrays.copyOf(bytes, maxRecordBytes)
                : bytes, new SourcePosition(source, line, Math.max(0, offset)));
        if (bytes.length > maxRecordBytes) {
            throw new Oversized(record, bytes.length);
        }
        return record;
    }

    private Object scalar(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> Decimals.exactOrText(parser.getString());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
