package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.QuarantineReason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonRecordParserTest {
    private static final JsonRecordParser PARSER =
            new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes("JsonEvent", JsonShape.AUTO));

    private static Map<String, Object> parse(String json) throws RecordRejectedException {
        return PARSER.parseFields(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RecordRejectedException rejection(JsonRecordParser parser, byte[] bytes) {
        return catchThrowableOfType(RecordRejectedException.class, () -> parser.parseFields(bytes));
    }

    @Test
    void nestedObjectsFlattenToDottedNamesInSourceOrder() throws Exception {
        assertThat(parse("{\"user\":{\"name\":\"ann\",\"id\":{\"sid\":\"S-1\"}},\"n\":1,\"ok\":true,\"no\":false,"
                + "\"x\":null,\"f\":1.5}"))
                .containsExactlyEntriesOf(fields("user.name", "ann", "user.id.sid", "S-1", "n", 1L, "ok", true,
                        "no", false, "x", null, "f", 1.5));
    }

    @Test
    void arraysAreKeptAsTheirExactJsonText() throws Exception {
        assertThat(parse("{\"tags\":[ \"a\", {\"b\":[1,2]} ],\"empty\":[]}"))
                .containsExactlyEntriesOf(fields("tags", "[ \"a\", {\"b\":[1,2]} ]", "empty", "[]"));
    }

    @Test
    void arraysKeepNonAsciiTextIntact() throws Exception {
        assertThat(parse("{\"a\":[\"é→😀\"],\"b\":1}")).containsEntry("a", "[\"é→😀\"]").containsEntry("b", 1L);
    }

    @Test
    void aRepeatedFlattenedNameIsKeptWithANumberedSuffix() throws Exception {
        assertThat(parse("{\"a.b\":1,\"a\":{\"b\":2},\"a.b_2\":3,\"k\":4,\"k\":5}"))
                .containsExactlyEntriesOf(fields("a.b", 1L, "a.b_2", 2L, "a.b_2_2", 3L, "k", 4L, "k_2", 5L));
    }

    @Test
    void integersBeyondALongStayTextSoNoDigitIsLost() throws Exception {
        assertThat(parse("{\"small\":9223372036854775807,\"big\":92233720368547758070,\"neg\":-1}"))
                .containsExactlyEntriesOf(fields("small", Long.MAX_VALUE, "big", "92233720368547758070", "neg", -1L));
    }

    @Test
    void nestingPastTheLimitIsRejectedAsTooDeep() {
        String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);

        RecordRejectedException rejected = rejection(PARSER, deep.getBytes(StandardCharsets.UTF_8));

        assertThat(rejected.reason()).isEqualTo(QuarantineReason.NESTING_TOO_DEEP);
        assertThat(rejected.detail()).isEqualTo("nesting deeper than 64 levels (ingest.max-nesting-depth)");
    }

    @Test
    void nestingAtTheLimitIsAccepted() throws Exception {
        String deep = "{\"a\":".repeat(64) + "1" + "}".repeat(64);

        assertThat(parse(deep)).hasSize(1);
    }

    @Test
    void moreFieldsThanTheLimitAreRejectedNamingTheFirstFieldPastIt() {
        IngestLimits d = IngestLimits.DEFAULTS;
        JsonRecordParser parser = new JsonRecordParser(
                new IngestLimits(d.maxRecordBytes(), d.maxNestingDepth(), 3, d.batchSize(), d.commitRecords(), d.maxBatchBytes()),
                new JsonShapes("JsonEvent", JsonShape.AUTO));

        RecordRejectedException rejected = rejection(parser,
                "{\"a\":1,\"b\":2,\"c\":{\"d\":3,\"e\":4}}".getBytes(StandardCharsets.UTF_8));
        RecordRejectedException atLimit = rejection(parser, "{\"a\":1,\"b\":2,\"c\":3}".getBytes(StandardCharsets.UTF_8));

        assertThat(rejected.reason()).isEqualTo(QuarantineReason.TOO_MANY_FIELDS);
        assertThat(rejected.detail()).isEqualTo("more than 3 fields (ingest.max-fields-per-record); field 4 is 'c.e'");
        assertThat(atLimit).isNull();
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of("[1,2]", QuarantineReason.NOT_AN_OBJECT, "expected a JSON object but found an array at line 1 column 1"),
                Arguments.of("\"text\"", QuarantineReason.NOT_AN_OBJECT, "expected a JSON object but found a string at line 1 column 1"),
                Arguments.of("42", QuarantineReason.NOT_AN_OBJECT, "expected a JSON object but found a number at line 1 column 1"),
                Arguments.of("null", QuarantineReason.NOT_AN_OBJECT, "expected a JSON object but found null at line 1 column 1"),
                Arguments.of("", QuarantineReason.NOT_AN_OBJECT, "expected a JSON object but found end of input at line 1 column 0"),
                Arguments.of("{\"a\":1}{\"b\":2}", QuarantineReason.MALFORMED_JSON, "unexpected an object after the end of the object at line 1 column 8"),
                Arguments.of("{\"a\":1} x", QuarantineReason.MALFORMED_JSON, "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1 column 9"),
                Arguments.of("{\"a\":}", QuarantineReason.MALFORMED_JSON, "Unexpected character ('}' (code 125)): expected a value at line 1 column 6"),
                Arguments.of("{\"a\":1", QuarantineReason.MALFORMED_JSON, "Unexpected end-of-input: expected close marker for Object at line 1 column 7"),
                Arguments.of("{\"a\":1,\n\"b\" 2}", QuarantineReason.MALFORMED_JSON, "Unexpected character ('2' (code 50)): was expecting a colon to separate property name and value at line 2 column 5"),
                Arguments.of("{\"a\":tru}", QuarantineReason.MALFORMED_JSON, "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1 column 6"),
                Arguments.of("{a:1}", QuarantineReason.MALFORMED_JSON, "Unexpected character ('a' (code 97)): was expecting double-quote to start property name at line 1 column 2"),
                Arguments.of("{\"a\":\"unterminated}", QuarantineReason.MALFORMED_JSON, "Unexpected end-of-input in VALUE_STRING at line 1 column 20"),
                Arguments.of("not json", QuarantineReason.MALFORMED_JSON, "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1 column 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectedRecordsSayExactlyWhatIsWrongAndWhere(String input, QuarantineReason reason, String detail) {
        RecordRejectedException rejected = rejection(PARSER, input.getBytes(StandardCharsets.UTF_8));

        assertThat(rejected).as("rejection of %s", input).isNotNull();
        assertThat(rejected.reason()).isEqualTo(reason);
        assertThat(rejected.detail()).isEqualTo(detail);
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("lone continuation byte", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'}),
                Arguments.of("truncated two-byte sequence", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}),
                Arguments.of("invalid lead byte", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8InAStringIsRejectedAsInvalidUtf8(String name, byte[] input) {
        RecordRejectedException rejected = rejection(PARSER, input);

        assertThat(rejected).isNotNull();
        assertThat(rejected.reason()).isEqualTo(QuarantineReason.INVALID_UTF8);
        assertThat(rejected.detail()).startsWith("Invalid UTF-8").contains(" at line 1 column ");
    }

    @Test
    void parseClassifiesTheFlattenedFields() throws Exception {
        ParsedRecord parsed = PARSER.parse(ParserTesting.record("{\"Type\":\"SigninLogs\",\"TimeGenerated\":"
                + "\"2024-05-01T10:00:00Z\",\"ResultType\":\"0\"}"));

        assertThat(parsed.table()).isEqualTo("SigninLogs");
        assertThat(parsed.timeMicros()).isEqualTo(ParserTesting.micros("2024-05-01T10:00:00Z"));
    }
}
