package dev.vigil.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.ingest.SharedData;
import dev.vigil.query.Expression.Binary;
import dev.vigil.query.Expression.Literal;
import dev.vigil.query.Expression.Name;
import dev.vigil.query.Expression.Pipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@DisplayName("The KQL parser")
class KqlParserTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "DeviceProcessEvents | where FileName =~ \"cmd.exe\" and ProcessCommandLine has_any (\"/c\", \"/k\")",
            "let window = 7d;\nlet names = dynamic([\"a\", 'b']);\nT | where Timestamp > ago(window) | where Name in~ (names)",
            "T | summarize Count = count(), Hosts = dcount(DeviceName) by bin(Timestamp, 1h), AccountName | top 10 by Count desc",
            "T | join kind=leftanti (U | project X) on $left.A == $right.X | project-away B* | project-rename C = D",
            "T | extend P = parse_json(AdditionalFields) | extend V = P.['a b'][0].c | mv-expand V to typeof(string) limit 5",
            "T | parse CommandLine with * \"-p \" Port:long \" \" * | render timechart with (title=\"x\")",
            "union withsource=Source A, (B | where x between (1 .. 10)) | sort by Timestamp asc nulls first, Y",
            "let f = (t:(*), n:long = 3) { t | take n };\nT | invoke f() | distinct *",
            "datatable(a:string, b:long) [\"x\", 1, @\"c:\\\\temp\", -2] | where a !contains_cs \"y\" and b !in (3, 4)",
            "T | where x matches regex @\"^\\d+$\" or y !startswith 'q' | extend d = datetime(2024-01-31 10:00), t = time(00:30:00)",
            "T | summarize arg_max(Timestamp, *), S = make_set(X) by ReportId | project-reorder Timestamp, S | count",
            "T | where s == ```multi\nline``` and h == h\"hidden\" | lookup kind=inner (U) on Key | take 3"})
    void roundTripsThroughTheFormatterToAnEqualTree(String query) {
        ParsedQuery parsed = KqlParser.parse(query);
        String formatted = KqlFormatter.format(parsed);

        assertThat(KqlParser.parse(formatted)).as(formatted).isEqualTo(parsed);
    }

    @Test
    void readsPrecedenceAsKqlDoes() {
        ParsedQuery parsed = KqlParser.parse("T | where a == 1 or b == 2 and c + 2 * 3 > 4");

        Pipe pipe = (Pipe) parsed.body();
        Binary or = (Binary) ((Operator.Where) pipe.operator()).predicate();
        assertThat(or.operator()).isEqualTo("or");
        Binary and = (Binary) or.right();
        assertThat(and.operator()).isEqualTo("and");
        Binary greater = (Binary) and.right();
        Binary plus = (Binary) greater.left();
        assertThat(plus.operator()).isEqualTo("+");
        assertThat(((Binary) plus.right()).operator()).isEqualTo("*");
        assertThat(pipe.source()).isEqualTo(new Name("T"));
    }

    @Test
    void decodesEveryStringLiteralForm() {
        List<Object> values = new ArrayList<>();
        for (String literal : List.of("\"a\\\"b\\n\"", "'it\\'s'", "@\"c:\\dir\"", "@'say ''hi'''", "```x\ny```",
                "~~~z~~~", "h\"secret\"", "\"con\" 'cat'")) {
            Operator.Extend extend = (Operator.Extend) ((Pipe) KqlParser.parse("T | extend v = " + literal).body()).operator();
            values.add(((Literal) extend.columns().get(0).value()).value());
        }

        assertThat(values).containsExactly("a\"b\n", "it's", "c:\\dir", "say 'hi'", "x\ny", "z", "secret", "concat");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "~>", quoteCharacter = '^', textBlock = """
            T | whre x == 1 ~> 1:5: unknown operator 'whre' (expected one of where, filter, project, project-away, project-keep, project-rename, project-reorder, extend, summarize, top, sort, order, take, limit, distinct, count, join, lookup, union, parse, parse-where, mv-expand, mv-apply, render, as, invoke, evaluate, serialize, sample, getschema, make-series) (did you mean 'where'?)
            T | where x == ~> 1:15: unexpected end of query, expected an expression
            T | where (x == 1 ~> 1:18: unexpected end of query, expected ')' to close '(' (opened at 1:11)
            T | where x = 1 ~> 1:13: unexpected '=', expected ';' or '|' after the statement
            T | extend s = "open ~> 1:16: string literal is not closed (expected " before the end of the line)
            T | where t > ago(3x) ~> 1:20: unknown timespan unit 'x' (expected d, h, m, s, ms, microsecond or tick)
            T | summarize count() by ~> 1:25: unexpected end of query, expected an expression
            let x = 1; ~> 1:11: the query has no tabular expression after its let statements (found end of query, expected a table name or expression)
            T | join kind=inner (U on Key ~> 1:24: unexpected 'on', expected ')' to close the right side of the join
            T | where x in ("a", "b" ~> 1:25: unexpected end of query, expected ',' or ')' to close the list of in
            T | project # ~> 1:13: unexpected character '#'
            """)
    void reportsLineColumnTokenAndWhatWasExpected(String query, String message) {
        KqlSyntaxException error = catchThrowableOfType(KqlSyntaxException.class, () -> KqlParser.parse(query.strip()));

        assertThat(error).as(query).isNotNull();
        assertThat(error.getMessage()).isEqualTo(message.strip());
    }

    @Test
    void countsLinesForErrorsInLaterLines() {
        KqlSyntaxException error = catchThrowableOfType(KqlSyntaxException.class,
                () -> KqlParser.parse("// a hunting query\nDeviceEvents\n| where ActionType ==\n| take 5"));

        assertThat(error.line()).isEqualTo(4);
        assertThat(error.column()).isEqualTo(1);
        assertThat(error.detail()).isEqualTo("unexpected '|', expected an expression");
    }

    @Test
    void parsesAtLeast95PercentOfThePublicCorpusAndRoundTripsAllItParses() throws IOException {
        Path index = SharedData.require("kql-hunting-queries", "Bert-JanP/Hunting-Queries-Detection-Rules")
                .resolve("queries_index.jsonl");
        JsonMapper mapper = JsonMapper.builder().build();
        int total = 0;
        int parsed = 0;
        List<String> notRoundTripped = new ArrayList<>();
        for (String line : Files.readAllLines(index)) {
            for (JsonNode query : mapper.readTree(line).path("queries")) {
                String kql = query.path("kql").asString("");
                if (kql.isBlank()) {
                    continue;
                }
                total++;
                ParsedQuery tree;
                try {
                    tree = KqlParser.parse(kql);
                } catch (KqlSyntaxException e) {
                    continue;
                }
                parsed++;
                if (!KqlParser.parse(KqlFormatter.format(tree)).equals(tree)) {
                    notRoundTripped.add(kql);
                }
            }
        }

        assertThat(total).isGreaterThan(800);
        assertThat(100.0 * parsed / total).as("parsed %d of %d", parsed, total).isGreaterThanOrEqualTo(95.0);
        assertThat(notRoundTripped).isEmpty();
    }
}
