package dev.vigil.ingest;

import static dev.vigil.ingest.ParserTesting.assertRejected;
import static dev.vigil.ingest.ParserTesting.fields;
import static dev.vigil.ingest.ParserTesting.micros;
import static dev.vigil.ingest.ParserTesting.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.QuarantineReason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CsvTest {
    private static CsvRecordReader reader(String text) {
        return new CsvRecordReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv", 1 << 20, ',');
    }

    @Test
    void readerReturnsRowsWithExactBytesAndTheLineWhereEachStarts() throws Exception {
        try (CsvRecordReader reader = reader("Name,Note,Count\r\na,\"x, y\",1\r\nb,\"say \"\"hi\"\"\nnext line\",2\n\nc,,3")) {
            RawRecord first = reader.next();
            RawRecord second = reader.next();
            RawRecord third = reader.next();

            assertThat(reader.header()).containsExactly("Name", "Note", "Count");
            assertThat(first.text()).isEqualTo("a,\"x, y\",1");
            assertThat(first.position().line()).isEqualTo(2);
            assertThat(second.text()).isEqualTo("b,\"say \"\"hi\"\"\nnext line\",2");
            assertThat(second.position().line()).isEqualTo(3);
            assertThat(third.text()).isEqualTo("c,,3");
            assertThat(third.position().line()).isEqualTo(6);
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void parserSplitsQuotedCommasDoubledQuotesAndEmbeddedNewlines() throws Exception {
        CsvRecordParser parser = new CsvRecordParser(List.of("Name", "Note", "Count"), "Csv", ZoneOffset.UTC);

        assertThat(parser.parse(record("b,\"say \"\"hi\"\"\nnext, line\",2")).fields())
                .containsExactlyEntriesOf(fields("Name", "b", "Note", "say \"hi\"\nnext, line", "Count", 2L));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
        "42;Long", "-7;Long", "3.25;Double", "1e3;Double", "TRUE;Boolean", "false;Boolean", "007;String",
        "0x1F;String", "99999999999999999999;String", "1.;String", "NaN;String", "abc;String"})
    void valuesAreTypedByTheirText(String value, String type) throws Exception {
        Object typed = CsvRecordParser.typed(value);

        assertThat(typed.getClass().getSimpleName()).isEqualTo(type);
    }

    @Test
    void emptyValueIsNullAndTypeColumnNamesTheTableAndTimeComesFromATimeColumn() throws Exception {
        CsvRecordParser parser = new CsvRecordParser(
                List.of("Type", "Computer", "TimeGenerated", "Extra"), "Default", ZoneOffset.UTC);

        ParsedRecord parsed = parser.parse(record("SecurityEvent,dc01,2024-06-15T10:00:00Z,"));

        assertThat(parsed.table()).isEqualTo("SecurityEvent");
        assertThat(parsed.fields()).containsEntry("Extra", null);
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-15T10:00:00Z"));
    }

    @Test
    void withoutTypeColumnTheDefaultTableIsUsedAndTimeColumnsAreMatchedIgnoringCase() throws Exception {
        CsvRecordParser parser = new CsvRecordParser(List.of("host", "@TIMESTAMP"), "Default", ZoneOffset.UTC);

        ParsedRecord parsed = parser.parse(record("h,2024-06-15 10:00:00"));

        assertThat(parsed.table()).isEqualTo("Default");
        assertThat(parsed.timeMicros()).isEqualTo(micros("2024-06-15T10:00:00Z"));
    }

    @Test
    void emptyAndRepeatedHeaderNamesAreMadeUnique() throws Exception {
        CsvRecordParser parser = new CsvRecordParser(List.of("a", "", "a"), "T", ZoneOffset.UTC);

        assertThat(parser.parse(record("1,2,3")).fields()).containsOnlyKeys("a", "Column2", "a_2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "a,b,c,d,e|row has 5 fields, header has 3",
        "a|row has 1 fields, header has 3",
        "a,\"b,c|unterminated quoted field starting at column 3",
        "a,\"b\"x,c|unexpected 'x' after the closing quote at column 6; expected the delimiter ',' or the end of the row"})
    void malformedRowsAreRejectedWithAPreciseDetail(String row, String detail) {
        CsvRecordParser parser = new CsvRecordParser(List.of("A", "B", "C"), "T", ZoneOffset.UTC);

        assertRejected(parser, row, QuarantineReason.MALFORMED_CSV, detail);
    }

    @Test
    void unterminatedQuoteAtEndOfInputIsReturnedAsARowThatTheParserRejects() throws Exception {
        try (CsvRecordReader reader = reader("A,B\n1,\"open\nstill open")) {
            RawRecord row = reader.next();

            assertThat(row.text()).isEqualTo("1,\"open\nstill open");
            assertThat(reader.next()).isNull();
            assertRejected(new CsvRecordParser(reader.header(), "T", ZoneOffset.UTC), row.text(),
                    QuarantineReason.MALFORMED_CSV, "unterminated quoted field starting at column 3");
        }
    }

    @Test
    void otherDelimitersAreHonoured() throws Exception {
        try (CsvRecordReader reader = new CsvRecordReader(
                new ByteArrayInputStream("A;B\n\"x;y\";2\n".getBytes(StandardCharsets.UTF_8)), "t", 1024, ';')) {
            RawRecord row = reader.next();

            assertThat(new CsvRecordParser(reader.header(), "T", ZoneOffset.UTC, ';').parse(row).fields())
                    .containsExactlyEntriesOf(fields("A", "x;y", "B", 2L));
        }
    }
}
