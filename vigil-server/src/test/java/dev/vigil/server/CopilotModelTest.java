package dev.vigil.server;

import static dev.vigil.server.CopilotFixture.NOW;
import static dev.vigil.server.CopilotFixture.copilot;
import static dev.vigil.server.CopilotFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ai.FakeOpenAiServer;
import dev.vigil.copilot.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A tenant that brings its own language model gets it behind the REST copilot: the model plans through a tool call,
 * the embedded planner checks the plan, the streamed answer carries the model's tokens, and the checked answer
 * cites only evidence the skills returned. A scripted OpenAI-compatible server stands in for the model.
 */
@DisplayName("Copilot over REST with the tenant's language model")
class CopilotModelTest {
    @TempDir
    Path data;

    ServerFixture fixture;
    FakeOpenAiServer model;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(data, Optional::empty);
        model = new FakeOpenAiServer();
        Path file = ModelConfig.file(data, "acme");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "base-url: " + model.baseUrl() + "\nmodel: test-model\npolicy: local-only\n"
                + "timeout: 10s\n");
    }

    @AfterEach
    void stop() {
        model.close();
        fixture.close();
    }

    @Test
    void theModelPlansTheEmbeddedPlannerChecksAndTheAnswerStreams() {
        model.then(FakeOpenAiServer.toolCalls("incident-summary", "{\"incident\":1}"))
                .then(FakeOpenAiServer.stream("Incident 1 is the one ", "to look at first [E1]."));
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"),
                fixture.tokens.get("reader"), json(Map.of("prompt", "summarize incident 1", "now", NOW)));

        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(stream.names()).contains("token", "answer", "done");
        JsonNode answer = stream.first("answer").data();
        assertThat(answer.get("plan").get("steps").get(0).get("skill").asString()).isEqualTo("incident-summary");
        assertThat(answer.get("markdown").asString()).contains("Incident 1 is the one to look at first");
        assertThat(model.received()).hasSize(2);
        assertThat(Files.exists(data.resolve("audit").resolve("acme").resolve("model.jsonl"))).isTrue();
    }

    @Test
    void aPlanForASkillThatDoesNotExistFallsBackToTheEmbeddedPlanner() {
        model.then(FakeOpenAiServer.toolCalls("delete-all-events", "{}"));
        CopilotFixture.Stream stream = CopilotFixture.stream(fixture, "POST", copilot("acme", "/ask/stream"),
                fixture.tokens.get("reader"), json(Map.of("prompt", "summarize incident 1", "now", NOW)));

        JsonNode answer = stream.first("answer").data();
        assertThat(answer.get("plan").get("steps").get(0).get("skill").asString()).isEqualTo("incident-summary");
        assertThat(answer.get("markdown").asString()).contains("Incident #1");
    }
}
