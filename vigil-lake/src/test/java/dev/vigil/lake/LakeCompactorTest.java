package dev.vigil.lake;

import static dev.vigil.lake.LakeFixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.LakeSettings;
import dev.vigil.store.HuntRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Compacting the lake")
class LakeCompactorTest {
    @TempDir
    Path folder;

    private LakeLayout layout() {
        return new LakeLayout(LakeSettings.local(folder.resolve("lake").toString()));
    }

    /** Ten commits of ten events each: ten small files in one partition. */
    private static void writeSmallFiles(LakeLayout layout) {
        try (LakeWriter writer = new LakeWriter(layout)) {
            for (int commit = 0; commit < 10; commit++) {
                writer.store(LakeEvents.processes(ACME, commit * 10, commit * 10 + 10));
            }
        }
    }

    private static Path partition(LakeLayout layout) {
        return Path.of(layout.partitionLocation(ACME, "SysmonEvent", java.time.LocalDate.of(2024, 5, 1)));
    }

    /** The event ids the lake shows the tenant, in order, with repeats. */
    private static List<Object> ids(LakeLayout layout) {
        try (LakeHunts hunts = new LakeHunts(layout, ACME)) {
            return hunts.execute("SELECT event_id FROM \"SysmonEvent\" ORDER BY event_id", HuntRunner.Limits.defaults())
                    .rows().stream().map(row -> row.get(0)).toList();
        }
    }

    @Test
    void mergesAPartitionsSmallFilesIntoOneWithTheSameEvents() {
        LakeLayout layout = layout();
        writeSmallFiles(layout);
        List<Object> before = ids(layout);
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            LakeCompactor.Result result = compactor.compact(ACME);
            assertThat(result.filesIn()).isEqualTo(10);
            assertThat(result.filesOut()).isEqualTo(1);
            assertThat(result.rowsOut()).isEqualTo(100);
        }
        assertThat(LakeSnapshot.dataFiles(partition(layout))).hasSize(1);
        assertThat(ids(layout)).hasSize(100).isEqualTo(before);
    }

    @Test
    void isIdempotent() {
        LakeLayout layout = layout();
        writeSmallFiles(layout);
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            compactor.compact(ACME);
            LakeCompactor.Result again = compactor.compact(ACME);
            assertThat(again.filesIn()).isZero();
            assertThat(again.partitions()).isZero();
        }
        assertThat(ids(layout)).hasSize(100);
    }

    @Test
    void keepsOneRowPerEventWhenABatchWasDeliveredTwice() {
        LakeLayout layout = layout();
        try (LakeWriter writer = new LakeWriter(layout)) {
            writer.store(LakeEvents.processes(ACME, 0, 10));
            writer.store(LakeEvents.processes(ACME, 5, 15)); // at-least-once delivery repeats 5..9
        }
        assertThat(ids(layout)).hasSize(20);
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            assertThat(compactor.compact(ACME).rowsOut()).isEqualTo(15);
        }
        assertThat(ids(layout)).hasSize(15).doesNotHaveDuplicates();
    }

    @Test
    void leavesLargeFilesAlone() {
        LakeLayout layout = new LakeLayout(new LakeSettings(folder.resolve("lake").toString(), 1,
                LakeSettings.ObjectStorage.defaults(), "local[2]"));
        writeSmallFiles(layout);
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            assertThat(compactor.compact(ACME).filesIn()).isZero();
        }
        assertThat(LakeSnapshot.dataFiles(partition(layout))).hasSize(10);
    }

    @Test
    void runsOneAtATimeAndLeavesAWritersFileInProgressAlone() throws java.io.IOException {
        LakeLayout layout = layout();
        writeSmallFiles(layout);
        java.nio.file.Path inProgress = partition(layout).resolve(".tmp-" + java.util.UUID.randomUUID() + ".parquet");
        java.nio.file.Files.writeString(inProgress, "a writer is writing this");
        try (LakeCompactor first = new LakeCompactor(layout)) {
            assertThatThrownBy(() -> new LakeCompactor(layout)).isInstanceOf(dev.vigil.model.VigilException.class)
                    .hasMessageContaining("another compaction of the lake");
            first.compact(ACME);
        }
        assertThat(inProgress).exists();
        try (LakeCompactor next = new LakeCompactor(layout)) {
            next.compact(ACME); // the lock was released
        }
    }

    /** A crash (an exception out of the step hook) after each step, then the next compaction. */
    @ParameterizedTest(name = "crash after {0}")
    @EnumSource(LakeCompactor.Step.class)
    void losesAndDuplicatesNothingWhenItCrashesMidway(LakeCompactor.Step crashAfter) {
        LakeLayout layout = layout();
        writeSmallFiles(layout);
        List<Object> before = ids(layout);
        class Crash extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        try (LakeCompactor crashing = new LakeCompactor(layout, (step, partition) -> {
            if (step == crashAfter) {
                throw new Crash();
            }
        })) {
            assertThatThrownBy(() -> crashing.compact(ACME)).isInstanceOf(Crash.class);
        }
        // a reader during the outage sees every event exactly once
        assertThat(ids(layout)).isEqualTo(before);
        try (LakeCompactor compactor = new LakeCompactor(layout)) {
            LakeCompactor.Result result = compactor.compact(ACME);
            assertThat(result.recovered()).isPositive();
        }
        assertThat(ids(layout)).isEqualTo(before);
        assertThat(LakeSnapshot.dataFiles(partition(layout))).hasSize(1);
        assertThat(partition(layout).toFile().list()).allMatch(LakeLayout::isDataFile);
    }
}
