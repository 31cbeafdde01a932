package dev.vigil.lake;

import static dev.vigil.lake.LakeFixture.ACME;
import static dev.vigil.lake.LakeFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.HuntCatalog;
import dev.vigil.query.KqlType;
import dev.vigil.store.HuntRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Writing events into the lake")
class LakeWriterTest {
    @TempDir
    Path folder;

    private LakeLayout layout() {
        return new LakeLayout(LakeSettings.local(folder.resolve("lake").toString()));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void writesOneCompleteParquetFilePerTenantTableAndDayOfACommit() throws IOException {
        LakeLayout layout = layout();
        try (LakeWriter writer = new LakeWriter(layout)) {
            // 2024-05-01T12:00:00Z plus 0..50399 s spans that day and the next
            writer.append(LakeEvents.processes(ACME, 0, 3));
            writer.append(LakeEvents.processes(ACME, 43_200, 43_202));
            writer.append(LakeEvents.processes(GLOBEX, 0, 1));
            List<LakeFile> written = writer.flush();
            assertThat(written).extracting(f -> f.tenant().value() + "/" + f.table() + "/" + f.day() + ":" + f.rows())
                    .containsExactly("acme/SysmonEvent/2024-05-01:3", "acme/SysmonEvent/2024-05-02:2",
                            "globex/SysmonEvent/2024-05-01:1");
        }
        assertThat(files(layout.localRoot())).extracting(p -> layout.localRoot().relativize(p).toString()
                .replaceAll("part-[0-9]{13}-[0-9a-f-]{36}", "part-*"))
                .containsExactlyInAnyOrder("tenant=acme/table=SysmonEvent/day=2024-05-01/part-*.parquet",
                        "tenant=acme/table=SysmonEvent/day=2024-05-02/part-*.parquet",
                        "tenant=globex/table=SysmonEvent/day=2024-05-01/part-*.parquet");
    }

    @Test
    void keepsTheIdTheCommonColumnsTheNativeFieldsAndTheRawRecord() {
        LakeLayout layout = layout();
        try (LakeWriter writer = new LakeWriter(layout)) {
            writer.store(LakeEvents.processes(ACME, 0, 2));
        }
        String id = LakeEvents.processes(ACME, 0, 1).events().get(0).id().toString();
        try (LakeHunts hunts = new LakeHunts(layout, ACME)) {
            List<List<Object>> rows = hunts.execute("SELECT event_id, \"time\", tenant, \"table\", \"day\", host,"
                    + " host_native, Computer, EventID, raw FROM \"SysmonEvent\" ORDER BY \"time\" LIMIT 1",
                    HuntRunner.Limits.defaults()).rows();
            assertThat(rows).containsExactly(List.of(id, "2024-05-01T12:00:00Z", "acme", "SysmonEvent", "2024-05-01",
                    "WS0", "native-host-0", "WS0", 1L, "{\"seq\":0}"));
            // a native field renamed for its clash keeps its own name in the hunting catalog, as in the store
            assertThat(hunts.catalog().table("SysmonEvent").orElseThrow().columns())
                    .contains(new HuntCatalog.Column("host", "host_native", KqlType.STRING));
        }
    }

    @Test
    void leavesNoFileBehindWhenAWriteFails() throws IOException {
        LakeLayout layout = layout();
        Files.createDirectories(layout.localRoot());
        // the partition folder's place is taken by a file: the write cannot create it
        Path tenantFolder = Path.of(layout.tenantLocation(ACME));
        Files.createDirectories(tenantFolder);
        Files.writeString(tenantFolder.resolve("table=SysmonEvent"), "not a folder");
        try (LakeWriter writer = new LakeWriter(layout)) {
            writer.append(LakeEvents.processes(ACME, 0, 2));
            assertThatThrownBy(writer::commit).isInstanceOfSatisfying(VigilException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.LAKE_FAILED));
        }
        assertThat(files(layout.localRoot())).containsExactly(tenantFolder.resolve("table=SysmonEvent"));
    }

    @Test
    void refusesATableNameThatWouldLeaveItsFolder() {
        LakeLayout layout = layout();
        assertThatThrownBy(() -> layout.tableLocation(ACME, "../globex")).isInstanceOf(VigilException.class)
                .hasMessageContaining("'../globex' is not a lake table name");
    }
}
