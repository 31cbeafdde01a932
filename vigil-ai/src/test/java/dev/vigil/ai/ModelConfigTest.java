package dev.vigil.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.copilot.model.ModelPolicy;
import dev.vigil.copilot.model.ToolDefinition;
import dev.vigil.copilot.model.ToolSchemas;
import dev.vigil.model.VigilException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tenant's model file, its policy's notion of local, and skills as tool schemas. */
class ModelConfigTest {
    @TempDir
    Path data;

    @Test
    void readsATenantsFileWithDefaults() throws Exception {
        Path file = ModelConfig.file(data, "acme");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "base-url: http://localhost:11434/v1\nmodel: llama3.1:8b\n");

        ModelConfig config = ModelConfig.read(file).orElseThrow();

        assertThat(config.provider()).isEqualTo(ModelConfig.Provider.OPENAI);
        assertThat(config.policy()).isEqualTo(ModelPolicy.LOCAL_ONLY);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.apiKeyEnvironmentVariable()).isEmpty();
        assertThat(ModelConfig.read(data.resolve("none.yaml"))).isEmpty();
    }

    @Test
    void anUnknownKeyNamesTheNearest() {
        assertThatThrownBy(() -> ModelConfig.parse(Map.of("base-url", "http://x/v1", "model", "m", "polcy", "allow"),
                "model.yaml")).isInstanceOf(VigilException.class)
                .hasMessageContaining("unknown key 'polcy'; did you mean 'policy'?");
    }

    @Test
    void aKeyInPlainTextIsRefused() {
        assertThatThrownBy(() -> ModelConfig.parse(Map.of("base-url", "https://api.openai.com/v1", "model", "gpt-4o",
                "api-key-env", "sk-proj-abc123"), "model.yaml")).hasMessageContaining("not the key itself");
        assertThatThrownBy(() -> ModelConfig.parse(Map.of("base-url", "https://user:pw@api.openai.com/v1",
                "model", "gpt-4o"), "model.yaml")).hasMessageContaining("carries no user, password");
    }

    @Test
    void aMissingKeyVariableSaysWhichOne() {
        ModelConfig config = ModelConfig.parse(Map.of("base-url", "https://api.openai.com/v1", "model", "gpt-4o",
                "api-key-env", "OPENAI_API_KEY"), "model.yaml");

        assertThatThrownBy(() -> config.apiKey(name -> null)).hasMessageContaining("OPENAI_API_KEY");
        assertThat(config.apiKey(name -> "k")).contains("k");
    }

    @ParameterizedTest
    @CsvSource({"http://localhost:11434/v1, true", "http://127.0.0.1:8080/v1, true", "http://[::1]:8000/v1, true",
            "http://10.20.0.15:8000/v1, true", "http://192.168.1.4/v1, true", "http://172.16.0.2/v1, true",
            "http://169.254.1.1/v1, true", "http://[fd00::5]/v1, true", "http://ollama:11434/v1, true",
            "http://gpu.lan/v1, true", "http://llm.corp.internal/v1, true", "https://api.openai.com/v1, false",
            "https://my.openai.azure.com/openai/v1, false", "http://8.8.8.8/v1, false", "http://172.32.0.1/v1, false",
            "http://localhost.evil.com/v1, false"})
    void localOnlyJudgesTheBaseUrl(String url, boolean local) {
        assertThat(ModelPolicy.isLocal(URI.create(url))).isEqualTo(local);
        assertThat(ModelPolicy.LOCAL_ONLY.permits(URI.create(url))).isEqualTo(local);
        assertThat(ModelPolicy.REDACT.permits(URI.create(url))).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void skillInputsBecomeTypedToolParameters() {
        SkillSpec spec = new SkillSpec("incident-response", "incidents", "Guided response for an incident.",
                List.of("how do I contain incident 12"), List.of(
                        SkillInput.required("incident", EntityType.INCIDENT, "the incident"),
                        SkillInput.choice("phase", "the phase", "containment", "remediation"),
                        SkillInput.optionalMany("hosts", EntityType.HOST, "hosts to focus on")));

        ToolDefinition tool = ToolSchemas.of(spec);

        Map<String, Object> properties = (Map<String, Object>) tool.parameters().get("properties");
        assertThat(tool.name()).isEqualTo("incident-response");
        assertThat(tool.description()).contains("Guided response", "how do I contain incident 12");
        assertThat((Map<String, Object>) properties.get("incident")).containsEntry("type", "integer");
        assertThat((Map<String, Object>) properties.get("phase")).containsEntry("type", "string")
                .containsEntry("enum", List.of("containment", "remediation"));
        Map<String, Object> hosts = (Map<String, Object>) properties.get("hosts");
        assertThat(hosts).containsEntry("type", "array");
        assertThat((Map<String, Object>) hosts.get("items")).containsEntry("type", "string");
        assertThat(tool.parameters()).containsEntry("required", List.of("incident"))
                .containsEntry("additionalProperties", false);
        // and LangChain4j takes it as a tool specification
        assertThat(OpenAiCompatibleModel.tool(tool).parameters().required()).containsExactly("incident");
    }
}
