package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.sysmonLine;
import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.cli.CliTesting.Run;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Inputs built to break a parser, end to end through {@code vigil ingest}: each bad record is quarantined with its
 * reason, source and line, the good records around it are stored, and nothing hangs or runs out of memory.
 */
@DisplayName("Hostile inputs")
class HostileInputTest {
    @TempDir
    Path dir;

    /** Writes the input file. */
    @FunctionalInterface
    interface Input {
        void write(OutputStream out) throws IOException;
    }

    /**
     * @param good records that must be stored
     * @param line the line the bad record starts on (0 when the source has no lines)
     */
    record Case(String name, String file, Input input, String reason, int good, long line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> hostileInputs() {
        return Stream.of(
                new Case("JSON nested 100,000 deep", "deep.json", out -> {
                    lines(out, 0, 2);
                    ascii(out, "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "\n");
                    lines(out, 2, 4);
                }, "nesting_too_deep", 4, 3),
                new Case("a single 100 MB line without a newline", "huge.json", out -> {
                    lines(out, 0, 3);
                    ascii(out, "{\"Message\":\"");
                    byte[] chunk = new byte[1 << 20];
                    Arrays.fill(chunk, (byte) 'x');
                    for (int i = 0; i < 100; i++) {
                        out.write(chunk);
                    }
                    ascii(out, "\"}");
                }, "record_too_large", 3, 4),
                new Case("random binary bytes", "blob.json", out -> {
                    byte[] noise = new byte[256 * 1024];
                    new Random(42).nextBytes(noise);
                    out.write(noise);
                }, "binary_data", 0, -1),
                new Case("one invalid UTF-8 line among valid ones", "mixed.json", out -> {
                    lines(out, 0, 3);
                    out.write("{\"Message\":\"caf".getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
                    ascii(out, "\"}\n");
                    lines(out, 3, 6);
                }, "invalid_utf8", 6, 4),
                new Case("a record with 5,000 fields", "wide.json", out -> {
                    lines(out, 0, 1);
                    StringBuilder record = new StringBuilder("{");
                    for (int i = 0; i < 5_000; i++) {
                        record.append(i == 0 ? "" : ",").append("\"field").append(i).append("\":").append(i);
                    }
                    ascii(out, record.append("}\n").toString());
                    lines(out, 1, 2);
                }, "too_many_fields", 2, 2),
                new Case("a CSV row with an unterminated quote", "firewall.csv", out -> {
                    ascii(out, "time,src,dst,action\n");
                    ascii(out, "2024-05-01T12:00:00Z,10.0.0.1,10.0.0.2,allow\n");
                    ascii(out, "2024-05-01T12:00:01Z,10.0.0.1,10.0.0.3,deny\n");
                    ascii(out, "2024-05-01T12:00:02Z,\"10.0.0.1,10.0.0.4,allow\n");
                }, "malformed_csv", 2, 4))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void isQuarantinedWithItsReasonWhileTheGoodRecordsAreStored(Case hostile) throws IOException {
        Path file = dir.resolve(hostile.file());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            hostile.input().write(out);
        }
        Path data = dir.resolve("data");

        Run run = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> vigil(data, "ingest", file.toString(), "--json"));

        assertThat(run.exit()).as("%s", run).isZero();
        JsonNode summary = run.json();
        assertThat(summary.get("quarantined_by_reason").path(hostile.reason()).asLong(0))
                .as("quarantined_by_reason in %s", summary).isEqualTo(1L);
        assertThat(summary.get("quarantined").asLong()).isEqualTo(1);
        assertThat(summary.get("stored").asLong()).as("stored, in %s", summary).isEqualTo(hostile.good());
        assertThat(summary.get("read").asLong()).isEqualTo(hostile.good() + 1L);

        Run quarantine = vigil(data, "quarantine", "--json");
        assertThat(quarantine.exit()).as("%s", quarantine).isZero();
        JsonNode body = quarantine.json();
        List<String> columns = new ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.asString()));
        assertThat(body.get("rows")).hasSize(1);
        JsonNode row = body.get("rows").get(0);
        assertThat(row.get(columns.indexOf("source")).asString()).isEqualTo(file.toString());
        assertThat(row.get(columns.indexOf("reason")).asString()).isEqualTo(hostile.reason());
        if (hostile.line() >= 0) {
            assertThat(row.get(columns.indexOf("line")).asLong()).as("line of the bad record").isEqualTo(hostile.line());
        }
        assertThat(row.get(columns.indexOf("raw_length")).asLong()).isPositive();
    }

    private static void lines(OutputStream out, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            ascii(out, sysmonLine(i) + "\n");
        }
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
