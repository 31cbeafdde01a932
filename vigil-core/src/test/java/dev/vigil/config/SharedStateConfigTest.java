package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedStateConfigTest {
    @TempDir
    Path dir;

    @Test
    void sharedStateIsEmbeddedUnlessConfigured() {
        SharedStateConfig state = VigilConfig.defaults().sharedState();

        assertThat(state.kind()).isEqualTo(SharedStateConfig.Kind.EMBEDDED);
        assertThat(state.url()).isEmpty();
        assertThat(state.user()).isEqualTo("vigil");
        assertThat(state.poolSize()).isEqualTo(10);
    }

    @Test
    void postgresqlIsReadFromTheFileWithThePasswordFromTheEnvironmentVariableItNames() throws IOException {
        Path file = Files.writeString(dir.resolve("vigil.yaml"), """
                store:
                  state: postgresql
                  postgresql:
                    url: jdbc:postgresql://db.internal:5432/vigil
                    user: vigil_app
                    password-env: PG_SECRET
                """);

        SharedStateConfig state = ConfigLoader.load(file, Map.of(), Map.of()).sharedState();

        assertThat(state.kind()).isEqualTo(SharedStateConfig.Kind.POSTGRESQL);
        assertThat(state.url()).isEqualTo("jdbc:postgresql://db.internal:5432/vigil");
        assertThat(state.user()).isEqualTo("vigil_app");
        assertThat(state.password(Map.of("PG_SECRET", "s3cret"))).contains("s3cret");
        assertThat(state.password(Map.of())).isEmpty();
    }

    @Test
    void theEnvironmentSelectsPostgresql() {
        SharedStateConfig state = ConfigLoader.load(null, Map.of("VIGIL_STORE_STATE", "postgresql",
                "VIGIL_STORE_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1/vigil"), Map.of()).sharedState();

        assertThat(state.kind()).isEqualTo(SharedStateConfig.Kind.POSTGRESQL);
        assertThat(state.url()).isEqualTo("jdbc:postgresql://127.0.0.1/vigil");
    }

    @Test
    void theVariablesHoldingSecretsAreNotMistakenForUnknownConfiguration() {
        SharedStateConfig state = ConfigLoader.load(null, Map.of("VIGIL_POSTGRESQL_PASSWORD", "s3cret",
                "VIGIL_TLS_KEYSTORE_PASSWORD", "changeit", "VIGIL_PG_SECRET", "other",
                "VIGIL_STORE_POSTGRESQL_PASSWORD_ENV", "VIGIL_PG_SECRET"), Map.of()).sharedState();

        assertThat(state.passwordEnvironmentVariable()).isEqualTo("VIGIL_PG_SECRET");
        assertThat(state.password(Map.of("VIGIL_PG_SECRET", "other"))).contains("other");
        VigilException unknown = catchThrowableOfType(VigilException.class, () -> ConfigLoader.load(null,
                Map.of("VIGIL_POSTGRES_PASWORD", "typo"), Map.of()));
        assertThat(unknown.code()).isEqualTo(ErrorCode.CONFIG_UNKNOWN_KEY);
    }

    @Test
    void postgresqlWithoutAUrlIsRefusedNamingTheKeyToSet() {
        VigilConfig config = ConfigLoader.load(null, Map.of(), Map.of("store.state", "postgresql"));

        VigilException failure = catchThrowableOfType(VigilException.class, config::sharedState);

        assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(failure.getMessage()).contains("store.postgresql.url is not set");
        assertThat(failure.fix()).contains("VIGIL_STORE_POSTGRESQL_URL");
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefused() {
        VigilException failure = catchThrowableOfType(VigilException.class, () -> ConfigLoader.load(null, Map.of(),
                Map.of("store.postgresql.url", "jdbc:mysql://db/vigil")));

        assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(failure.getMessage()).contains("store.postgresql.url").contains("not a PostgreSQL JDBC URL");
    }
}
