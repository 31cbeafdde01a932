package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The foundation's acceptance check, run as written: the OTRF, EVTX-ATTACK-SAMPLES and Sigma regression data go
 * through {@code vigil ingest --json} into a real store, and everything is stored.
 */
@Tag("slow")
class IssueCheckTest {
    @TempDir
    Path data;

    @Test
    void theSharedAttackDataIsStoredWholeWithNothingQuarantined() {
        List<String> args = new ArrayList<>(List.of("ingest"));
        args.add(SharedData.require("otrf-security-datasets", "OTRF/Security-Datasets").toString());
        args.add(SharedData.require("evtx-attack-samples-json", "sbousseaden/EVTX-ATTACK-SAMPLES").toString());
        args.add(SharedData.require("sigma/regression_data", "SigmaHQ/sigma").toString());
        args.addAll(List.of("--json", "--data", data.toString()));

        CliTesting.Run run = vigil(args.toArray(String[]::new));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode summary = run.json();
        long read = summary.get("read").asLong();
        assertThat(read).isGreaterThan(350_000);
        assertThat(summary.get("quarantined").asLong()).isZero();
        assertThat(summary.get("stored").asLong()).isEqualTo(read);
        assertThat(summary.get("failed_sources")).isEmpty();
        assertThat(summary.get("tables").get("SysmonEvent").asLong()).isGreaterThan(200_000);
        assertThat(summary.get("tables").get("SecurityEvent").asLong()).isGreaterThan(50_000);

        // every stored event is queryable once, by its id
        CliTesting.Run count = vigil("sql", "SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM vigil_events",
                "--json", "--data", data.toString());
        JsonNode row = count.json().get("rows").get(0);
        assertThat(row.get(0).asLong()).isEqualTo(summary.get("stored_new").asLong());
        assertThat(row.get(1).asLong()).isEqualTo(row.get(0).asLong());
    }
}
