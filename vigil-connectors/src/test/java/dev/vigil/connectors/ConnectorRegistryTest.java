package dev.vigil.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorRegistryTest {
    private static final TenantId ACME = TenantId.of("acme");
    private static final String SECRET = "Xy7~s3cret.value_that-must-not-leak";

    @TempDir
    Path data;

    ConnectorConfig config(String name) {
        return new ConnectorConfig(name, ConnectorConfig.Kind.GRAPH_SECURITY, "dir-tenant", "client-1", "", "", "",
                "", "", "", Duration.ofHours(6), 50);
    }

    @Test
    void secretsAreEncryptedAtRestUnderAnOwnerOnlyKeyFile() throws Exception {
        Connectors connectors = Connectors.standard(data, ACME);
        connectors.registry().put(connectors.seal(config("graph"), SECRET));

        String file = Files.readString(connectors.registry().file());
        assertThat(file).doesNotContain(SECRET).contains("\"sealedSecret\" : \"aesgcm1:");
        assertThat(Files.getPosixFilePermissions(data.resolve(SecretBox.KEY_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        ConnectorConfig stored = connectors.registry().get("graph");
        assertThat(connectors.secrets().open(stored.sealedSecret(), "acme", "graph")).isEqualTo(SECRET);
        assertThat(stored.lookback()).isEqualTo(Duration.ofHours(6));
        assertThat(stored.toString()).doesNotContain(SECRET);
    }

    @Test
    void aDifferentKeyFailsClearly() throws Exception {
        Connectors connectors = Connectors.standard(data, ACME);
        connectors.registry().put(connectors.seal(config("graph"), SECRET));
        Files.delete(data.resolve(SecretBox.KEY_FILE));

        assertThatThrownBy(() -> Connectors.standard(data, ACME).open("graph", null))
                .isInstanceOf(VigilException.class)
                .hasMessage("the secret of connector 'graph' of tenant 'acme' cannot be decrypted with "
                        + data.resolve(SecretBox.KEY_FILE))
                .satisfies(e -> assertThat(((VigilException) e).fix()).contains("restore that key file")
                        .contains("--client-secret-env"))
                .satisfies(e -> assertThat(((VigilException) e).code()).isEqualTo(ErrorCode.CONNECTOR_INVALID));
    }

    @Test
    void aSecretIsBoundToItsTenantAndConnector() {
        SecretBox box = SecretBox.open(data);
        String sealed = box.seal(SECRET, "acme", "graph");
        assertThat(box.open(sealed, "acme", "graph")).isEqualTo(SECRET);
        assertThatThrownBy(() -> box.open(sealed, "acme", "other")).hasMessageContaining("cannot be decrypted");
        assertThatThrownBy(() -> box.open(sealed, "globex", "graph")).hasMessageContaining("cannot be decrypted");
        assertThat(box.seal(SECRET, "acme", "graph")).isNotEqualTo(sealed); // a fresh IV each time
    }

    @Test
    void tenantsHaveTheirOwnConnectorsAndCheckpoints() {
        Connectors acme = Connectors.standard(data, ACME);
        Connectors globex = Connectors.standard(data, TenantId.of("globex"));
        acme.registry().put(acme.seal(config("graph"), SECRET));
        acme.registry().saveCheckpoint("graph", new Checkpoint(java.time.Instant.parse("2026-11-29T10:00:00Z"),
                Set.of("a1"), "", null, Set.of()));

        assertThat(globex.registry().list()).isEmpty();
        assertThat(globex.registry().checkpoint("graph")).isEqualTo(Checkpoint.initial());
        assertThat(acme.registry().checkpoint("graph").idsAtWatermark()).containsExactly("a1");
        assertThatThrownBy(() -> globex.registry().get("graph")).isInstanceOf(VigilException.class)
                .hasMessage("tenant 'globex' has no connector 'graph'");
    }

    @Test
    void settingsAreCheckedWhenMade() {
        assertThatThrownBy(() -> config("bad name")).hasMessage("invalid connector name 'bad name'");
        assertThatThrownBy(() -> new ConnectorConfig("la", ConnectorConfig.Kind.LOG_ANALYTICS, "d", "c", "", "", "",
                "", "SigninLogs", "", null, 0)).hasMessage("connector 'la' of kind log-analytics needs --workspace");
        assertThatThrownBy(() -> ConnectorConfig.Kind.fromId("splunk"))
                .hasMessage("unknown connector kind 'splunk'");
        assertThat(config("g").tokenUrl()).isEqualTo("https://login.microsoftonline.com/dir-tenant/oauth2/v2.0/token");
    }
}
