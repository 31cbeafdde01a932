package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Utf8Test {
    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    @Test
    void validTextOfEveryLengthIsValid() {
        assertThat(Utf8.firstInvalid(new byte[0])).isEqualTo(-1);
        assertThat(Utf8.firstInvalid("plain ascii".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.firstInvalid("é ß → 中 😀 \uD800\uDC00 \uDBFF\uDFFF".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
        assertThat(Utf8.firstInvalid(bytes(0xED, 0x9F, 0xBF))).as("U+D7FF").isEqualTo(-1);
        assertThat(Utf8.firstInvalid(bytes(0xEE, 0x80, 0x80))).as("U+E000").isEqualTo(-1);
        assertThat(Utf8.firstInvalid(bytes(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isEqualTo(-1);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("lone continuation byte", bytes('a', 0x80), 1),
                Arguments.of("overlong 2-byte NUL", bytes('a', 'b', 0xC0, 0x80), 2),
                Arguments.of("overlong 2-byte C1", bytes(0xC1, 0xBF), 0),
                Arguments.of("overlong 3-byte", bytes(0xE0, 0x80, 0xAF), 0),
                Arguments.of("overlong 4-byte", bytes(0xF0, 0x8F, 0xBF, 0xBF), 0),
                Arguments.of("high surrogate", bytes('x', 0xED, 0xA0, 0x80), 1),
                Arguments.of("low surrogate", bytes(0xED, 0xBF, 0xBF), 0),
                Arguments.of("above U+10FFFF", bytes(0xF4, 0x90, 0x80, 0x80), 0),
                Arguments.of("5-byte lead", bytes(0xF8, 0x88, 0x80, 0x80, 0x80), 0),
                Arguments.of("0xFF", bytes('o', 'k', 0xFF), 2),
                Arguments.of("truncated 2-byte at end", bytes('a', 0xC3), 1),
                Arguments.of("truncated 3-byte at end", bytes(0xE2, 0x82), 0),
                Arguments.of("truncated 4-byte at end", bytes('a', 'b', 'c', 0xF0, 0x9F, 0x98), 3),
                Arguments.of("truncated sequence followed by ASCII", bytes(0xE2, 0x82, 'a'), 0),
                Arguments.of("valid then invalid", bytes(0xC3, 0xA9, 0xC3, 0x28), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void theFirstInvalidByteIsFound(String name, byte[] input, int offset) {
        assertThat(Utf8.firstInvalid(input)).isEqualTo(offset);
    }
}
