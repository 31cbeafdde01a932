package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the copilot tests share: the copilot's paths of a tenant, requests with JSON bodies, and event streams read. */
final class CopilotFixture {
    /** A fixed "now", a day after the seeded events, so that answers do not depend on the clock. */
    static final String NOW = "2024-05-02T12:00:00Z";

    private CopilotFixture() {}

    static String copilot(String tenant, String rest) {
        return "/api/v1/tenants/" + tenant + "/copilot" + rest;
    }

    static String json(Map<String, ?> body) {
        return ApiJson.MAPPER.writeValueAsString(body);
    }

    /** One server-sent event: its name and its data parsed as JSON. */
    record Event(String name, JsonNode data) {}

    /** A streamed answer: the HTTP status, the content type and the events in the order they came. */
    record Stream(int status, String contentType, List<Event> events, String body) {
        List<String> names() {
            return events.stream().map(Event::name).toList();
        }

        Event first(String name) {
            return events.stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + name + "' event in " + names()));
        }
    }

    /** Sends a request and reads the answer line by line as server-sent events (or as an error body). */
    static Stream stream(ServerFixture fixture, String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(fixture.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<java.util.stream.Stream<String>> response = fixture.client.send(request.build(),
                    HttpResponse.BodyHandlers.ofLines());
            List<String> lines = response.body().toList();
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            List<Event> events = new ArrayList<>();
            if (contentType.startsWith("text/event-stream")) {
                String name = null;
                for (String line : lines) {
                    if (line.startsWith("event: ")) {
                        name = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        assertThat(name).as("an event name before its data").isNotNull();
                        events.add(new Event(name, ApiJson.MAPPER.readTree(line.substring(6))));
                        name = null;
                    } else {
                        assertThat(line).as("events are separated by one empty line").isEmpty();
                    }
                }
            }
            return new Stream(response.statusCode(), contentType, events, String.join("\n", lines));
        } catch (IOException e) {
            throw new AssertionError("cannot reach the server: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
