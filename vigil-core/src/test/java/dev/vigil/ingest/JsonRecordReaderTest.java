package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRecordReaderTest {
    private static JsonRecordReader reader(String text, int maxRecordBytes) {
        return reader(text.getBytes(StandardCharsets.UTF_8), maxRecordBytes);
    }

    private static JsonRecordReader reader(byte[] bytes, int maxRecordBytes) {
        return new JsonRecordReader(new ByteArrayInputStream(bytes), "in.json", maxRecordBytes);
    }

    private static List<RawRecord> readAll(String text) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        try (JsonRecordReader reader = reader(text, 1 << 20)) {
            for (RawRecord record; (record = reader.next()) != null; ) {
                records.add(record);
            }
        }
        return records;
    }

    private static List<String> texts(String text) throws IOException {
        return readAll(text).stream().map(RawRecord::text).toList();
    }

    static Stream<Arguments> framings() {
        return Stream.of(
                Arguments.of("ndjson", "{\"a\":1}\n{\"b\":2}\n", List.of("{\"a\":1}", "{\"b\":2}")),
                Arguments.of("ndjson with CRLF and no final newline", "{\"a\":1}\r\n{\"b\":2}",
                        List.of("{\"a\":1}", "{\"b\":2}")),
                Arguments.of("pretty objects back to back", "{\n  \"a\": 1\n}\n{\n  \"b\": {\"c\": 2}\n}\n",
                        List.of("{\n  \"a\": 1\n}", "{\n  \"b\": {\"c\": 2}\n}")),
                Arguments.of("pretty objects with no separator", "{\n\"a\":1\n}{\n\"b\":2\n}",
                        List.of("{\n\"a\":1\n}", "{\n\"b\":2\n}")),
                Arguments.of("top-level array", "[{\"a\":1},{\"b\":[1,2]}]", List.of("{\"a\":1}", "{\"b\":[1,2]}")),
                Arguments.of("pretty top-level array", "[\n  {\n    \"a\": 1\n  },\n  {\n    \"b\": 2\n  }\n]\n",
                        List.of("{\n    \"a\": 1\n  }", "{\n    \"b\": 2\n  }")),
                Arguments.of("braces inside strings", "{\"a\":\"}{\\\"\"}\n{\"b\":\"[\"}\n",
                        List.of("{\"a\":\"}{\\\"\"}", "{\"b\":\"[\"}")),
                Arguments.of("byte order mark", "\uFEFF{\"a\":1}\n", List.of("{\"a\":1}")),
                Arguments.of("only whitespace", " \n\t\r\n", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framings")
    void everyFramingYieldsOneRecordPerObjectWithItsExactBytes(String name, String input, List<String> expected)
            throws IOException {
        assertThat(texts(input)).containsExactlyElementsOf(expected);
    }

    @Test
    void garbageBetweenObjectsBecomesItsOwnRecordUpToTheEndOfItsLine() throws IOException {
        assertThat(texts("{\"a\":1}\nnot json at all\n{\"b\":2}\n"))
                .containsExactly("{\"a\":1}", "not json at all", "{\"b\":2}");
    }

    @Test
    void aTruncatedNdjsonLineDoesNotSwallowTheLinesAfterIt() throws IOException {
        assertThat(texts("{\"a\":1}\n{\"b\":{\"c\":\n{\"d\":4}\n{\"e\":5}\n"))
                .containsExactly("{\"a\":1}", "{\"b\":{\"c\":", "{\"d\":4}", "{\"e\":5}");
    }

    @Test
    void aNewlineInsideAStringEndsTheRecordBecauseJsonForbidsIt() throws IOException {
        assertThat(texts("{\n\"a\": \"x\ny\"}\n")).first().isEqualTo("{\n\"a\": \"x");
    }

    @Test
    void recordsCarryTheirLineAndByteOffset() throws IOException {
        String first = "{\n \"a\": 1\n}";
        String second = "{\"b\":2}";
        String third = "{\n\"c\":3}";
        String input = "\n" + first + "\n\n" + second + "\n" + third;

        List<RawRecord> records = readAll(input);

        assertThat(records).extracting(RawRecord::text).containsExactly(first, second, third);
        assertThat(records).extracting(r -> r.position().source()).containsOnly("in.json");
        assertThat(records).extracting(r -> r.position().line()).containsExactly(2L, 6L, 7L);
        assertThat(records).extracting(r -> r.position().byteOffset()).containsExactly((long) input.indexOf(first),
                (long) input.indexOf(second), (long) input.indexOf(third));
    }

    @Test
    void onceNdjsonFramingIsLearnedEveryLineIsARecord() throws IOException {
        assertThat(texts("{\"a\":1}\n{\n\"b\":2\n}\n")).containsExactly("{\"a\":1}", "{", "\"b\":2", "}");
    }

    @Test
    void theOffsetCountsTheByteOrderMark() throws IOException {
        assertThat(readAll("\uFEFF{\"a\":1}").getFirst().position().byteOffset()).isEqualTo(3);
    }

    @Test
    void offsetsStayExactAcrossBufferRefills() throws IOException {
        String line = "{\"k\":\"" + "x".repeat(1000) + "\"}\n";
        List<RawRecord> records = readAll(line.repeat(200));

        assertThat(records).hasSize(200);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).position().byteOffset()).isEqualTo((long) i * line.length());
            assertThat(records.get(i).position().line()).isEqualTo(i + 1L);
            assertThat(records.get(i).text()).isEqualTo(line.strip());
        }
    }

    @Test
    void anOversizedRecordIsReportedWithItsPrefixAndFullLengthAndTheNextRecordStillReads() throws IOException {
        String big = "{\"big\":\"" + "y".repeat(200) + "\"}";
        try (JsonRecordReader reader = reader("{\"a\":1}\n" + big + "\n{\"b\":2}\n", 64)) {
            assertThat(reader.next().text()).isEqualTo("{\"a\":1}");

            RecordReader.Oversized oversized = catchThrowableOfType(RecordReader.Oversized.class, reader::next);

            assertThat(oversized).isNotNull();
            assertThat(oversized.fullLength()).isEqualTo(big.length());
            assertThat(oversized.prefix().text()).isEqualTo(big.substring(0, 64));
            assertThat(oversized.prefix().position().line()).isEqualTo(2);
            assertThat(oversized.prefix().position().byteOffset()).isEqualTo(8);
            RawRecord next = reader.next();
            assertThat(next.text()).isEqualTo("{\"b\":2}");
            assertThat(next.position().line()).isEqualTo(3);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void aRecordOfExactlyTheLimitIsNotOversized() throws IOException {
        String exact = "{\"k\":\"" + "z".repeat(64 - 8) + "\"}";
        try (JsonRecordReader reader = reader(exact + "\n", 64)) {
            assertThat(reader.next().text()).isEqualTo(exact);
        }
    }
}
