package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("vigil.yaml"), text);
    }

    private static VigilException failure(Path file, Map<String, String> env, Map<String, String> settings) {
        return catchThrowableOfType(VigilException.class, () -> ConfigLoader.load(file, env, settings));
    }

    @Test
    void withNothingSetEveryKeyHasItsDefault() {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of());

        assertThat(config.dataDirectory()).isEqualTo(Path.of("./vigil-data"));
        assertThat(config.tenant()).isEqualTo(TenantId.DEFAULT);
        assertThat(config.ingestLimits().maxRecordBytes()).isEqualTo(1 << 20);
        assertThat(config.ingestLimits().batchSize()).isEqualTo(10_000);
        assertThat(config.defaultZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.defaultTable()).isEqualTo("JsonEvent");
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.origin(ConfigKey.INGEST_BATCH_SIZE)).isEqualTo("default");
    }

    @Test
    void theFileMayNestKeysOrWriteThemDotted() throws IOException {
        Path file = yaml("ingest:\n  batch-size: 5000\n  max-nesting-depth: 10\ningest.default-zone: Europe/Paris\n"
                + "log:\n  level: DEBUG\ntenant: acme\n");

        VigilConfig config = ConfigLoader.load(file, Map.of(), Map.of());

        assertThat(config.ingestLimits().batchSize()).isEqualTo(5000);
        assertThat(config.ingestLimits().maxNestingDepth()).isEqualTo(10);
        assertThat(config.defaultZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(config.origin(ConfigKey.INGEST_BATCH_SIZE)).isEqualTo(file + ":2:15");
    }

    @Test
    void anEmptyFileChangesNothing() throws IOException {
        assertThat(ConfigLoader.load(yaml("\n# nothing\n"), Map.of(), Map.of()).ingestLimits())
                .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of()).ingestLimits());
    }

    @Test
    void anUnknownKeyInTheFileIsRejectedWithItsPositionAndTheNearestKey() throws IOException {
        Path file = yaml("ingest:\n  batch-size: 5000\n  max-record-byte: 10\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(error.getMessage())
                .isEqualTo("unknown configuration key 'ingest.max-record-byte' in " + file + ":3:3");
        assertThat(error.fix()).isEqualTo("Did you mean 'ingest.max-record-bytes'? `vigil config` lists the valid keys.");
    }

    @Test
    void anUnknownSectionIsRejectedAtItsPosition() throws IOException {
        Path file = yaml("tenant: acme\ningset:\n  batch-size: 5\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(error.getMessage()).isEqualTo("unknown configuration key 'ingset' in " + file + ":2:1");
    }

    @Test
    void aKeyFarFromAnyValidKeyGetsNoSuggestion() throws IOException {
        Path file = yaml("completely-unrelated-setting: 1\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.fix()).isEqualTo("Remove it; `vigil config` lists the valid keys.");
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItWasSet() throws IOException {
        Path file = yaml("ingest:\n  batch-size: lots\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(error.getMessage()).isEqualTo("invalid value for 'ingest.batch-size' (" + file
                + ":2:15): 'lots' is not a whole number");
        assertThat(error.fix()).startsWith(ConfigKey.INGEST_BATCH_SIZE.description()).endsWith("Default: 10000.");
    }

    @Test
    void anOutOfRangeValueFromTheEnvironmentNamesTheVariable() {
        VigilException error = failure(null, Map.of("VIGIL_INGEST_BATCH_SIZE", "0"), Map.of());

        assertThat(error.getMessage()).isEqualTo("invalid value for 'ingest.batch-size' (environment "
                + "VIGIL_INGEST_BATCH_SIZE): 0 is out of range; use 1 to 1000000");
    }

    @Test
    void environmentVariablesSetKeys() {
        VigilConfig config = ConfigLoader.load(null, Map.of("VIGIL_INGEST_BATCH_SIZE", "2_000", "PATH", "/bin"),
                Map.of());

        assertThat(config.ingestLimits().batchSize()).isEqualTo(2000);
        assertThat(config.origin(ConfigKey.INGEST_BATCH_SIZE)).isEqualTo("environment VIGIL_INGEST_BATCH_SIZE");
    }

    @Test
    void anUnknownVigilVariableIsRejectedWithTheNearestOne() {
        VigilException error = failure(null, Map.of("VIGIL_INGEST_BATCHSIZE", "5"), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
        assertThat(error.getMessage())
                .isEqualTo("unknown configuration variable 'VIGIL_INGEST_BATCHSIZE' in the environment");
        assertThat(error.fix()).isEqualTo("Did you mean 'VIGIL_INGEST_BATCH_SIZE'? `vigil config` lists the valid keys.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"VIGIL_SHARED_DATA", "VIGIL_JAVA_OPTS", "VIGIL_CONFIG"})
    void knownVigilVariablesThatAreNotKeysAreAllowed(String variable) {
        assertThat(ConfigLoader.load(null, Map.of(variable, "x"), Map.of()).ingestLimits())
                .isEqualTo(ConfigLoader.load(null, Map.of(), Map.of()).ingestLimits());
    }

    @Test
    void vigilHomeSetsTheDataDirectory() {
        VigilConfig config = ConfigLoader.load(null, Map.of("VIGIL_HOME", "/srv/vigil"), Map.of());

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/vigil"));
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws IOException {
        Path file = yaml("ingest.batch-size: 100\ningest.max-nesting-depth: 10\ningest.max-fields-per-record: 7\n");
        Map<String, String> env = Map.of("VIGIL_INGEST_BATCH_SIZE", "200", "VIGIL_INGEST_MAX_NESTING_DEPTH", "20");

        VigilConfig config = ConfigLoader.load(file, env, Map.of("ingest.batch-size", "300"));

        assertThat(config.ingestLimits().batchSize()).isEqualTo(300);
        assertThat(config.origin(ConfigKey.INGEST_BATCH_SIZE)).isEqualTo("command line");
        assertThat(config.ingestLimits().maxNestingDepth()).isEqualTo(20);
        assertThat(config.ingestLimits().maxFieldsPerRecord()).isEqualTo(7);
    }

    @Test
    void anUnknownCommandLineKeyIsRejectedWithTheNearestKey() {
        VigilException error = failure(null, Map.of(), Map.of("ingest.batchsize", "5"));

        assertThat(error.getMessage()).isEqualTo("unknown configuration key 'ingest.batchsize' in the command line");
        assertThat(error.fix()).contains("'ingest.batch-size'");
    }

    @Test
    void invalidYamlIsReportedWithLineAndColumn() throws IOException {
        Path file = yaml("tenant: acme\ningest:\n  batch-size: [1, 2\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(error.getMessage()).matches("invalid YAML in \\Q" + file + "\\E:\\d+:\\d+: .+");
        assertThat(error.fix()).isEqualTo("Fix the YAML syntax at that position.");
    }

    @Test
    void aListWhereAValueBelongsIsRejected() throws IOException {
        Path file = yaml("tenant:\n  - a\n  - b\n");

        VigilException error = failure(file, Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(error.getMessage()).isEqualTo(file + ":2:3: 'tenant' takes a single value");
    }

    @Test
    void aMissingFileIsReported() {
        VigilException error = failure(dir.resolve("missing.yaml"), Map.of(), Map.of());

        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(error.getMessage()).startsWith("cannot read the configuration file " + dir.resolve("missing.yaml"));
    }
}
