package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.QuarantineReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordReaderTest {
    private static final int ONE_MIB = 1 << 20;
    private static final int TEN_MB = 10_000_000;

    private static InputStream stream(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return new ByteArrayInputStream(all.toByteArray());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void octetCountingReadsSeveralRfc5424Frames() throws Exception {
        String first = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed";
        String second = "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% do-nuts.";
        byte[] framed = ascii(first.length() + " " + first + second.length() + " " + second + "\n0 ");
        SyslogParser parser = new SyslogParser(Clock.systemUTC(), ZoneOffset.UTC);

        try (OctetCountingRecordReader reader = new OctetCountingRecordReader(stream(framed), "tcp", 4096)) {
            RawRecord one = reader.next();
            RawRecord two = reader.next();

            assertThat(one.text()).isEqualTo(first);
            assertThat(one.position().byteOffset()).isZero();
            assertThat(one.position().line()).isZero();
            assertThat(two.text()).isEqualTo(second);
            assertThat(two.position().byteOffset()).isEqualTo(first.length() + 3);
            assertThat(reader.next()).isNull();
            assertThat(parser.parse(two).fields()).containsEntry("ProcessID", 8710L);
        }
    }

    @Test
    void octetCountingFallsBackToTheRestOfTheLineWhenTheLengthIsNotDigits() throws Exception {
        byte[] input = ascii("<13>Jun 15 11:00:00 host app: plain\n5 hello");

        try (OctetCountingRecordReader reader = new OctetCountingRecordReader(stream(input), "tcp", 4096)) {
            assertThat(reader.next().text()).isEqualTo("<13>Jun 15 11:00:00 host app: plain");
            assertThat(reader.next().text()).isEqualTo("hello");
            assertThat(reader.next()).isNull();
        }
    }

    static Stream<Arguments> readersOverATenMegabyteRecord() {
        byte[] huge = new byte[TEN_MB];
        Arrays.fill(huge, (byte) 'x');
        Function<InputStream, RecordReader> line = in -> new LineRecordReader(in, "s", ONE_MIB);
        Function<InputStream, RecordReader> octet = in -> new OctetCountingRecordReader(in, "s", ONE_MIB);
        Function<InputStream, RecordReader> csv = in -> new CsvRecordReader(in, "s", ONE_MIB, ',');
        return Stream.of(
                Arguments.of("line", line, stream(huge, ascii("\nnext")), TEN_MB),
                Arguments.of("octet-counted frame", octet, stream(ascii(TEN_MB + " "), huge, ascii("4 next")), TEN_MB),
                Arguments.of("octet-counting fallback line", octet, stream(huge, ascii("\n4 next")), TEN_MB),
                Arguments.of("csv row", csv, stream(ascii("A\n"), huge, ascii("\nnext")), TEN_MB),
                Arguments.of("csv row with a quoted newline", csv,
                        stream(ascii("A\n\""), huge, ascii("\n\"\nnext")), TEN_MB + 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readersOverATenMegabyteRecord")
    @Timeout(30)
    void oversizedRecordIsReportedWithAOneMebibytePrefixAndItsFullLengthThenReadingGoesOn(
            String name, Function<InputStream, RecordReader> readerFactory, InputStream in, long fullLength)
            throws Exception {
        try (RecordReader reader = readerFactory.apply(in)) {
            RecordReader.Oversized oversized = catchThrowableOfType(RecordReader.Oversized.class, reader::next);

            assertThat(oversized).isNotNull();
            assertThat(oversized.prefix().length()).isEqualTo(ONE_MIB);
            assertThat(oversized.fullLength()).isEqualTo(fullLength);
            assertThat(reader.next().text()).isEqualTo("next");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void auditGroupOverTheLimitIsOversizedAndTheNextEventIsReadNormally() throws Exception {
        String line = "type=CWD msg=audit(1.0:1): cwd=\"" + "x".repeat(600) + "\"\n";
        byte[] input = ascii(line + line + "type=CWD msg=audit(1.0:2): cwd=\"/\"\n");

        try (AuditRecordReader reader = new AuditRecordReader(stream(input), "audit.log", 1024)) {
            RecordReader.Oversized oversized = catchThrowableOfType(RecordReader.Oversized.class, reader::next);

            assertThat(oversized.prefix().length()).isEqualTo(1024);
            assertThat(oversized.fullLength()).isEqualTo(2L * line.length() - 1);
            assertThat(reader.next().text()).isEqualTo("type=CWD msg=audit(1.0:2): cwd=\"/\"");
        }
    }

    static Stream<Arguments> parsers() {
        return Stream.of(
                Arguments.of("syslog", new SyslogParser(Clock.systemUTC(), ZoneOffset.UTC)),
                Arguments.of("cef", new CefParser()),
                Arguments.of("leef", new LeefParser()),
                Arguments.of("csv", new CsvRecordParser(List.of("A", "B"), "T", ZoneOffset.UTC)),
                Arguments.of("audit", new AuditParser()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsers")
    @Timeout(30)
    void binaryGarbageIsRejectedAndNeverThrowsAnythingElse(String name, RecordParser parser) {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(300)];
            random.nextBytes(garbage);
            try {
                parser.parse(ParserTesting.record(garbage));
            } catch (RecordRejectedException expected) {
                assertThat(expected.detail()).isNotBlank();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsers")
    @Timeout(30)
    void printableGarbageWithFormatMarkersNeverThrowsAnythingButRejection(String name, RecordParser parser) {
        Random random = new Random(7);
        String alphabet = "<>[]|=\\\"' :\t\n-0123456789abcCEF:LEEF:2.0^x09msg=audit(1.0:1)type=";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(80);
            for (int k = 0; k < length; k++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String prefix = switch (random.nextInt(5)) {
                case 0 -> "<13>1 - h a - - ";
                case 1 -> "CEF:0|a|b|c|d|e|f|";
                case 2 -> "LEEF:2.0|a|b|c|d|";
                case 3 -> "type=X msg=audit(1.0:1): ";
                default -> "";
            };
            try {
                parser.parse(ParserTesting.record(prefix + text));
            } catch (RecordRejectedException expected) {
                assertThat(expected.detail()).isNotBlank();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parsers")
    void invalidUtf8IsRejectedNamingTheByteOffset(String name, RecordParser parser) {
        byte[] bytes = {'a', 'b', (byte) 0xFF, 'c'};

        RecordRejectedException rejection =
                catchThrowableOfType(RecordRejectedException.class, () -> parser.parse(ParserTesting.record(bytes)));

        assertThat(rejection.reason()).isEqualTo(QuarantineReason.INVALID_UTF8);
        assertThat(rejection.detail()).isEqualTo("invalid UTF-8 byte 0xFF at byte offset 2");
    }

    @Test
    void readersOverBinaryGarbageEndWithoutHanging() throws IOException {
        byte[] garbage = new byte[3 * ONE_MIB];
        new Random(1).nextBytes(garbage);
        List<Function<InputStream, RecordReader>> readers = List.of(
                in -> new OctetCountingRecordReader(in, "s", 4096),
                in -> new CsvRecordReader(in, "s", 4096, ','),
                in -> new AuditRecordReader(in, "s", 4096));
        for (Function<InputStream, RecordReader> factory : readers) {
            try (RecordReader reader = factory.apply(new ByteArrayInputStream(garbage))) {
                int records = 0;
                while (true) {
                    try {
                        if (reader.next() == null) {
                            break;
                        }
                    } catch (RecordReader.Oversized oversized) {
                        assertThat(oversized.prefix().length()).isLessThanOrEqualTo(4096);
                    } catch (IOException headerTooLong) {
                        break; // the CSV header itself may be garbage over the limit
                    }
                    records++;
                    assertThat(records).isLessThan(garbage.length);
                }
            }
        }
    }
}
