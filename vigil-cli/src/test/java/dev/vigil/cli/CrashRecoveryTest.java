package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.sysmonLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An ingest killed with SIGKILL after some commits loses nothing that was committed, and running it again completes
 * the store without a single duplicate.
 */
@Tag("slow")
@DisplayName("An ingest killed mid-way")
class CrashRecoveryTest {
    private static final int RECORDS = 400_000;
    private static final Pattern PROGRESS = Pattern.compile("ingest: ([\\d,]+) read, ([\\d,]+) stored");

    @TempDir
    Path dir;

    @Test
    void resumesWithoutLossOrDuplicatesWhenRunAgain() throws Exception {
        Path input = dir.resolve("sysmon.ndjson");
        try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (int i = 0; i < RECORDS; i++) {
                out.write(sysmonLine(i));
                out.write('\n');
            }
        }
        Path data = dir.resolve("data");

        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            Process first = ingest(input, data, false).start();
            long storedWhenKilled;
            try (BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8))) {
                storedWhenKilled = awaitCommittedProgress(err);
                first.destroyForcibly();
                first.waitFor();
            }
            assertThat(storedWhenKilled).as("records stored when killed").isPositive().isLessThan(RECORDS);
            assertThat(first.exitValue()).as("exit of the killed ingest").isNotZero();

            Process second = ingest(input, data, true).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String summary = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor()).as("exit of the second ingest; it printed: %s", summary).isZero();

            JsonNode json = JsonMapper.builder().build().readTree(summary);
            assertThat(json.get("read").asLong()).isEqualTo(RECORDS);
            assertThat(json.get("stored").asLong()).isEqualTo(RECORDS);
            assertThat(json.get("already_stored").asLong()).isGreaterThanOrEqualTo(storedWhenKilled);
            assertThat(json.get("stored_new").asLong() + json.get("already_stored").asLong()).isEqualTo(RECORDS);
        });

        try (TenantStore store = TenantStore.open(data, TenantId.DEFAULT, TenantStore.Mode.READ_ONLY)) {
            List<Object> counts = store.query("SELECT count(*), count(DISTINCT event_id), count(DISTINCT CommandLine)"
                    + " FROM SysmonEvent", 1).rows().getFirst();
            assertThat(counts).containsExactly((long) RECORDS, (long) RECORDS, (long) RECORDS);
        }
    }

    /** Reads progress lines until one reports committed records; returns how many. */
    private static long awaitCommittedProgress(BufferedReader err) throws IOException {
        List<String> seen = new ArrayList<>();
        String line;
        while ((line = err.readLine()) != null) {
            seen.add(line);
            Matcher progress = PROGRESS.matcher(line);
            if (progress.find()) {
                long stored = Long.parseLong(progress.group(2).replace(",", ""));
                if (stored > 0) {
                    return stored;
                }
            }
        }
        throw new AssertionError("the ingest ended before it reported a commit; its standard error was: " + seen);
    }

    private static ProcessBuilder ingest(Path input, Path data, boolean json) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", CliTesting.unsafeMemoryAccessFlag(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "ingest", input.toString(), "--data", data.toString(), "--set", "ingest.commit-records=20000"));
        if (json) {
            command.add("--json");
        }
        return new ProcessBuilder(command);
    }
}
