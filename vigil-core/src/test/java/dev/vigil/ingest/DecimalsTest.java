package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decimals become doubles only when nothing is lost. */
class DecimalsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.25, double",
        "1.10, double",
        "3e5, double",
        "-2.5E-3, double",
        "1714557600.123456, double",
        "1.123456789012345678, text",
        "9007199254740993.0, text",
        "1e400, text",
        "NaN, text",
    })
    void decimalsAreDoublesOnlyWhenExact(String text, String kind) {
        Object value = Decimals.exactOrText(text);

        assertThat(value).isInstanceOf(kind.equals("double") ? Double.class : String.class);
        if (kind.equals("text")) {
            assertThat(value).isEqualTo(text);
        }
    }
}
