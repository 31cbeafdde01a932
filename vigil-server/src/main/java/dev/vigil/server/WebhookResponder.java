package dev.vigil.server;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.incident.Incident;
import dev.vigil.incident.Responder;
import dev.vigil.incident.ResponseAction;
import dev.vigil.webhook.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends approved actions to a webhook (a SOAR playbook, a ticketing system, an EDR bridge) as a JSON POST, signed so
 * the receiver can tell it came from Vigil and was not replayed ({@link WebhookSignature}: {@code X-Vigil-Timestamp}
 * and {@code X-Vigil-Signature}), with {@code X-Vigil-Action}, the action's id, for the receiver to drop duplicates.
 *
 * A 2xx answer is success; anything else, or no answer within 10 seconds, is a failure with the reason recorded.
 */
public final class WebhookResponder implements Responder {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final byte[] secret;
    private final HttpClient client;

    WebhookResponder(URI url, String secret) {
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The responder the configuration names, if any. */
    public static Optional<Responder> from(VigilConfig config) {
        String url = (String) config.value(ConfigKey.RESPONSE_WEBHOOK_URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String secret = (String) config.value(ConfigKey.RESPONSE_WEBHOOK_SECRET);
        if (secret.length() < WebhookSignature.MIN_SECRET_LENGTH) {
            throw new dev.vigil.model.VigilException(dev.vigil.model.ErrorCode.CONFIG_INVALID, ConfigKey
                    .RESPONSE_WEBHOOK_URL.key() + " is set but " + ConfigKey.RESPONSE_WEBHOOK_SECRET.key()
                    + " is " + (secret.isEmpty() ? "empty" : "shorter than 16 characters") + "; the receiver could not"
                    + " tell Vigil's requests from forged ones", "Set " + ConfigKey.RESPONSE_WEBHOOK_SECRET
                            .environmentVariable() + " to a random secret of 16 characters or more, shared with the"
                            + " receiver", null);
        }
        return Optional.of(new WebhookResponder(URI.create(url), secret));
    }

    @Override
    public String name() {
        return "webhook " + url;
    }

    @Override
    public Outcome execute(String tenant, Incident incident, ResponseAction action) {
        byte[] body = JSON.writeValueAsBytes(payload(tenant, incident, action));
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "vigil-responder")
                .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secret, timestamp, body))
                .header("X-Vigil-Action", action.id().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > 200) {
                answer = answer.substring(0, 200) + "…";
            }
            boolean ok = response.statusCode() / 100 == 2;
            return new Outcome(ok, "HTTP " + response.statusCode() + (answer.isEmpty() ? "" : " " + answer));
        } catch (IOException e) {
            return new Outcome(false, "not delivered: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted before an answer came");
        }
    }

    static Map<String, Object> payload(String tenant, Incident incident, ResponseAction action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("number", incident.number());
        about.put("title", incident.title());
        about.put("severity", incident.severity());
        about.put("status", incident.status().toString());
        body.put("incident", about);
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("id", action.id().toString());
        what.put("action", action.action().toString());
        what.put("target", action.target());
        what.put("reason", action.reason());
        what.put("evidence", action.evidence());
        what.put("approved_by", action.decidedBy());
        what.put("approved_at", action.decidedAt() == null ? null : action.decidedAt().toString());
        body.put("action", what);
        return body;
    }
}
