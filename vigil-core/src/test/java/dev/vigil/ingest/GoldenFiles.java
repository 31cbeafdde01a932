package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden files in the manner of Calcite's DiffRepository: the expected output lives in
 * {@code src/test/resources/golden/<name>.json}; on a mismatch the actual output is written to
 * {@code target/golden-actual/<name>.json} and the test fails saying how to accept it. Running with
 * {@code -Dvigil.golden.update=true} rewrites the golden files instead.
 */
final class GoldenFiles {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Path ACTUAL = Path.of("target/golden-actual");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private GoldenFiles() {}

    /** Stable text: maps sorted by key at every level, two-space indentation, LF line ends, a final newline. */
    static String write(Map<String, ?> value) {
        return JSON.writeValueAsString(new TreeMap<>(value)).replace("\r\n", "\n") + "\n";
    }

    static void check(String name, Map<String, ?> actualValue) {
        String actual = write(actualValue);
        Path golden = GOLDEN.resolve(name + ".json");
        try {
            if (Boolean.getBoolean("vigil.golden.update")) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : null;
            if (actual.equals(expected)) {
                return;
            }
            Files.createDirectories(ACTUAL);
            Path written = ACTUAL.resolve(name + ".json");
            Files.writeString(written, actual, StandardCharsets.UTF_8);
            fail((expected == null ? "no golden file " + golden : "output differs from " + golden)
                    + "; the actual output is in " + written.toAbsolutePath() + ". If it is right, accept it with "
                    + "`diff " + golden + " " + written + "` and then `cp " + written + " " + golden
                    + "`, or rerun with -Dvigil.golden.update=true to rewrite every golden file.\n" + actual);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
