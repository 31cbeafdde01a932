package dev.vigil.lake;

import static dev.vigil.lake.LakeFixture.ACME;
import static dev.vigil.lake.LakeFixture.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.store.HuntRunner;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The same hunts over the embedded store and over the lake (DuckDB reading Parquet) give the same rows. */
@DisplayName("Hunting over the lake with DuckDB")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeHuntsTest {
    @TempDir
    static Path folder;

    LakeFixture fixture;
    TenantStore store;
    HuntRunner embedded;
    LakeHunts lake;

    @BeforeAll
    void ingest() {
        fixture = LakeFixture.create(folder);
        try (LakeCompactor compactor = new LakeCompactor(fixture.layout())) {
            compactor.compactAll(); // the store keeps a record ingested twice once; compaction does the same
        }
        store = TenantStore.open(fixture.storeData(), ACME, TenantStore.Mode.READ_ONLY);
        embedded = new HuntRunner(store);
        lake = new LakeHunts(fixture.layout(), ACME);
    }

    @AfterAll
    void close() {
        lake.close();
        store.close();
    }

    /** Hunts written the way analysts write them, over Sysmon, Security events and the Defender views. */
    static List<String> hunts() {
        return LakeConformanceQueries.HUNTS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hunts")
    void givesTheRowsTheEmbeddedStoreGives(String kql) {
        List<List<Object>> expected = embedded.run(kql, Map.of(), HuntRunner.Limits.defaults()).rows().rows();
        List<List<Object>> actual = lake.run(kql, Map.of(), HuntRunner.Limits.defaults()).rows().rows();
        assertThat(sorted(actual)).isEqualTo(sorted(expected));
    }

    @Test
    void theFixtureHasEventsToHuntIn() {
        assertThat(lake.run("SysmonEvent | count", Map.of(), HuntRunner.Limits.defaults()).rows().rows().get(0).get(0))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG).isGreaterThan(100);
    }

    @Test
    void seesOnlyTheTenantsOwnFiles() {
        assertThat(lake.run("union SysmonEvent, SecurityEvent | summarize by tenant", Map.of(), HuntRunner.Limits.defaults()).rows().rows())
                .containsExactly(List.of("acme"));
        assertThat(lake.snapshot().tables().values()).flatMap(LakeSnapshot.Table::files)
                .allMatch(file -> file.contains("/tenant=acme/"));
    }

    @Test
    void cannotOpenAnotherTenantsFilesEvenWithRawSql() {
        String other = fixture.layout().tenantLocation(GLOBEX) + "/table=SysmonEvent/*/*.parquet";
        assertThatThrownBy(() -> lake.execute("SELECT count(*) FROM read_parquet('" + other + "')",
                HuntRunner.Limits.defaults())).hasMessageContaining("Permission Error");
        assertThatThrownBy(() -> lake.execute("SET enable_external_access = true", HuntRunner.Limits.defaults()))
                .hasMessageContaining("locked");
    }

    static List<String> sorted(List<List<Object>> rows) {
        List<String> text = new ArrayList<>();
        for (List<Object> row : rows) {
            text.add(String.valueOf(row));
        }
        text.sort(Comparator.naturalOrder());
        return text;
    }
}
