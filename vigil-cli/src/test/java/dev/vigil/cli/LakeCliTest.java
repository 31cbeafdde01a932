package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil lake write|compact|hunt} on a small lake: what each prints, and the errors with their fixes. */
@DisplayName("The event lake on the command line")
class LakeCliTest {
    @TempDir
    Path dir;

    private Run lake(String... args) {
        List<String> all = new ArrayList<>(List.of("lake"));
        all.addAll(List.of(args));
        all.addAll(List.of("--set", "lake.root=" + dir.resolve("lake"), "--tenant", "acme"));
        return vigil(dir.resolve("data"), all.toArray(String[]::new));
    }

    private Path events(String name, int from, int to) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = from; i < to; i++) {
            lines.append(CliTesting.sysmonLine(i)).append('\n');
        }
        return Files.writeString(dir.resolve(name), lines);
    }

    @Test
    void writesCompactsAndHuntsTheTenantsPartOfTheLake() throws IOException {
        Run first = lake("write", events("a.json", 0, 30).toString(), "--json");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.json().path("written").asLong()).isEqualTo(30);
        assertThat(first.json().path("files").asInt()).isEqualTo(1);
        assertThat(lake("write", events("b.json", 30, 50).toString()).out())
                .contains("20 events and 0 quarantined records written to 1 files");

        Run compact = lake("compact", "--json");
        assertThat(compact.exit()).as(compact.toString()).isZero();
        assertThat(compact.json().path("files_in").asInt()).isEqualTo(2);
        assertThat(compact.json().path("rows_out").asLong()).isEqualTo(50);

        Run hunt = lake("hunt", "SysmonEvent | count", "--json");
        assertThat(hunt.exit()).as(hunt.toString()).isZero();
        assertThat(hunt.json().path("rows").get(0).get(0).asLong()).isEqualTo(50);
        assertThat(lake("hunt", "SysmonEvent | count", "--explain").out()).contains("\"tenant\" = 'acme'");
    }

    @Test
    void saysHowToGetTheSparkEngineWhenItIsNotOnTheClassPath() throws IOException {
        lake("write", events("a.json", 0, 3).toString());
        Run hunt = lake("hunt", "SysmonEvent | count", "--engine", "spark");
        assertThat(hunt.exit()).isEqualTo(2);
        assertThat(hunt.err()).contains("no hunt engine 'spark' here; available: duckdb").contains("vigil-spark");
    }

    @Test
    void namesTheTenantWithoutLakeData() {
        Run hunt = lake("hunt", "SysmonEvent | count");
        assertThat(hunt.exit()).isEqualTo(3);
        assertThat(hunt.err()).contains("tenant 'acme' has no data in the lake").contains("vigil lake write PATH --tenant acme");
    }
}
