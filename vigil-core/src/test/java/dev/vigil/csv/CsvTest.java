package dev.vigil.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void recordsFollowRfc4180() {
        assertThat(Csv.records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\n\"two\nlines\",x\nlast"))
                .containsExactly(
                        new Csv.Record(1, List.of("a", "b,c", "say \"hi\"")),
                        new Csv.Record(3, List.of("two\nlines", "x")),
                        new Csv.Record(5, List.of("last")));
    }

    @Test
    void recordsKeepCommentLines() {
        assertThat(Csv.records("#x,y\na\n")).containsExactly(
                new Csv.Record(1, List.of("#x", "y")), new Csv.Record(2, List.of("a")));
    }

    @Test
    void readSkipsCommentsBeforeTheHeaderAndNamesValuesInLowerCase() {
        List<Csv.Row> rows = Csv.read("#model_version:v2023\n\uFEFFCVE, Score\nCVE-1, 0.5 \n");
        assertThat(rows).containsExactly(new Csv.Row(3, Map.of("cve", "CVE-1", "score", " 0.5 "), null));
        assertThat(rows.get(0).get("score")).isEqualTo("0.5");
        assertThat(rows.get(0).get("missing")).isEmpty();
    }

    @Test
    void readReportsAShiftedRow() {
        assertThat(Csv.read("vendor,product\nPalo Alto Networks, Inc.,PAN-OS\n").get(0).problem())
                .isEqualTo("3 values but the header has 2 columns; put a value that holds a comma in quotes"
                        + " (\"Palo Alto Networks, Inc.\")");
    }

    @Test
    void readReportsAnUnclosedQuote() {
        List<Csv.Row> rows = Csv.read("a,b\n1,2\n3,\"4\n5,6\n");
        assertThat(rows.get(0).problem()).isNull();
        assertThat(rows.get(1).problem()).isEqualTo("the quote opened on line 3 is never closed, so the rest of the"
                + " file is inside one value; close it, or double a quote inside a value (\"\")");
    }

    @Test
    void headerAndComments() {
        String text = "# one\n#two\n\n\"CVE\",Score\n";
        assertThat(Csv.comments(text)).containsExactly("one", "two");
        assertThat(Csv.header(text)).containsExactly("cve", "score");
        assertThat(Csv.header("")).isEmpty();
    }
}
