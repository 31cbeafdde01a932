package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A tenant's owner manages its plugins and its language model from the settings, and only its own tenant's. */
@DisplayName("Plugins and model policy over the API")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginsAndModelApiTest {
    @TempDir
    static Path data;

    ServerFixture fixture;
    ServerFixture.Browser owner;

    static final String MANIFEST = """
            Descriptor:
              Name: DeviceRisk
              Description: Device risk from the asset service
              Settings:
                - Name: BaseUrl
                  Description: The service's URL
                  Required: true
                - Name: ApiKey
                  Description: The service's key
                  Required: true
            SkillGroups:
              - Format: KQL
                Skills:
                  - Name: FailedLogonsOfAccount
                    Description: Lists the failed logons of an account
                    Inputs:
                      - Name: Account
                        Description: The account name
                        Required: true
                    Settings:
                      Target: Defender
                      Template: |-
                        SecurityEvent | where EventID == 4625 and TargetUserName =~ '{{Account}}' | take 100
            """;

    @BeforeAll
    void start() {
        fixture = new ServerFixture(data);
        owner = fixture.login("acme-owner");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    String install(String manifest, Map<String, String> settings) {
        return ApiJson.MAPPER.writeValueAsString(Map.of("manifest", manifest, "settings", settings));
    }

    @Test
    void anOwnerInstallsConfiguresDisablesAndRemovesAPluginWithItsSecretsMasked() {
        ServerFixture.Answer installed = fixture.sendAs(owner, "POST", "/api/v1/tenants/acme/plugins",
                install(MANIFEST, Map.of("BaseUrl", "http://localhost:8089", "ApiKey", "s3cret-key")));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        assertThat(installed.json().get("name").asString()).isEqualTo("device-risk");
        assertThat(installed.json().get("enabled").asBoolean()).isTrue();
        assertThat(installed.json().get("formats").toString()).contains("KQL");
        assertThat(installed.body()).doesNotContain("s3cret-key").contains("********");

        JsonNode skills = fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/copilot/skills", null).json();
        assertThat(skills.toString()).contains("device-risk-failed-logons-of-account");

        ServerFixture.Answer changed = fixture.sendAs(owner, "PATCH", "/api/v1/tenants/acme/plugins/device-risk",
                "{\"enabled\": false, \"settings\": {\"BaseUrl\": \"http://assets.internal:8089\"}}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("enabled").asBoolean()).isFalse();
        assertThat(changed.json().get("settings").get("BaseUrl").asString()).isEqualTo("http://assets.internal:8089");
        assertThat(changed.json().get("settings").get("ApiKey").asString()).isEqualTo("********");

        ServerFixture.Answer unknownSetting = fixture.sendAs(owner, "PATCH", "/api/v1/tenants/acme/plugins/device-risk",
                "{\"settings\": {\"BaseUlr\": \"x\"}}");
        assertThat(unknownSetting.status()).isEqualTo(400);
        assertThat(unknownSetting.json().get("message").asString()).contains("BaseUlr");

        JsonNode listed = fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/plugins", null).json();
        assertThat(listed.get("plugins").get(0).get("name").asString()).isEqualTo("device-risk");
        assertThat(fixture.sendAs(fixture.login("globex-owner"), "GET", "/api/v1/tenants/globex/plugins", null)
                .json().get("plugins")).isEmpty();

        ServerFixture.Answer removed = fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/plugins/device-risk",
                null);
        assertThat(removed.json().get("removed").asBoolean()).isTrue();
        assertThat(fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/plugins", null).json().get("plugins")).isEmpty();
        ServerFixture.Answer gone = fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/plugins/device-risk", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("code").asString()).isEqualTo("plugin_not_found");
    }

    @Test
    void aBrokenManifestIsRefusedWithWhereTheProblemIs() {
        ServerFixture.Answer refused = fixture.sendAs(owner, "POST", "/api/v1/tenants/acme/plugins",
                install("Descriptor:\n  Name: Broken\nSkillGroups:\n  - Format: KQLL\n", Map.of()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asString()).isEqualTo("plugin_invalid");
        assertThat(refused.json().get("message").asString()).containsPattern(":\\d+:\\d+");
    }

    @Test
    void aPluginThatStartsAProgramOnTheServerIsLeftToTheOperator() {
        String stdio = """
                Descriptor:
                  Name: LocalTools
                  Description: Tools from a local MCP server
                SkillGroups:
                  - Format: MCP
                    Settings:
                      Command: /bin/sh -c "touch /tmp/pwned"
                """;
        ServerFixture.Answer refused = fixture.sendAs(owner, "POST", "/api/v1/tenants/acme/plugins",
                install(stdio, Map.of()));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("fix").asString()).contains("vigil plugins install");
        assertThat(fixture.sendAs(owner, "GET", "/api/v1/tenants/acme/plugins", null).json().get("plugins")
                .toString()).doesNotContain("local-tools");
    }

    @Test
    void theModelAndItsPolicyAreSetByAnOwnerAndSeenByEveryoneOfTheTenant() throws Exception {
        ServerFixture.Browser reader = fixture.login("acme-reader");
        JsonNode none = fixture.sendAs(reader, "GET", "/api/v1/tenants/acme/model", null).json();
        assertThat(none.get("configured").asBoolean()).isFalse();
        assertThat(none.get("effect").asString()).contains("no data leaves");

        ServerFixture.Answer set = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/model",
                "{\"base-url\": \"https://api.openai.com/v1\", \"model\": \"gpt-4o\", \"api-key-env\":"
                        + " \"VIGIL_TEST_UNSET_KEY\", \"policy\": \"local-only\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("permitted").asBoolean()).as("local-only keeps a public endpoint out").isFalse();
        assertThat(set.json().get("answers").asString()).isEqualTo("the embedded copilot");
        assertThat(set.json().get("api_key_set").asBoolean()).isFalse();
        Path file = data.resolve("tenants/acme/model.yaml");
        assertThat(Files.readString(file)).contains("model: \"gpt-4o\"").doesNotContain("sk-");

        ServerFixture.Answer redact = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/model",
                "{\"base-url\": \"https://api.openai.com/v1\", \"model\": \"gpt-4o\", \"policy\": \"redact\"}");
        assertThat(redact.json().get("permitted").asBoolean()).isTrue();
        assertThat(redact.json().get("effect").asString()).contains("placeholders");
        assertThat(fixture.sendAs(reader, "GET", "/api/v1/tenants/acme/model", null).json().get("policy").asString())
                .isEqualTo("redact");

        ServerFixture.Answer typo = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/model",
                "{\"base-url\": \"https://api.openai.com/v1\", \"model\": \"gpt-4o\", \"policy\": \"share-all\"}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().get("message").asString()).contains("share-all").contains("local-only");
        ServerFixture.Answer injected = fixture.sendAs(owner, "PUT", "/api/v1/tenants/acme/model",
                "{\"base-url\": \"http://localhost:11434/v1\", \"model\": \"m\\npolicy: allow\"}");
        if (injected.status() == 200) {
            assertThat(ModelConfigView.policy(file)).as("a value cannot add a key").isEqualTo("local-only");
        }

        assertThat(fixture.sendAs(reader, "PUT", "/api/v1/tenants/acme/model", "{\"model\": \"x\"}").status())
                .isEqualTo(403);
        assertThat(fixture.sendAs(owner, "DELETE", "/api/v1/tenants/acme/model", null).json().get("configured")
                .asBoolean()).isFalse();
        assertThat(file).doesNotExist();
    }

    /** Reads the policy back as the copilot does. */
    static final class ModelConfigView {
        static String policy(Path file) {
            return dev.vigil.copilot.model.ModelConfig.read(file).orElseThrow().policy().key();
        }
    }
}
