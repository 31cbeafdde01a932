package dev.vigil.report.delivery;

import static java.util.Objects.requireNonNull;

import dev.vigil.report.build.RenderedReport;
import dev.vigil.webhook.WebhookSignature;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs the report to a webhook as JSON, the document in base64:
 *
 * <pre>{"event": "report", "tenant": ..., "schedule": ..., "template": ..., "slot": ..., "period": ...,
 *  "parameters": {...}, "report": {"title", "file_name", "media_type", "size", "sha256", "content_base64"}}</pre>
 *
 * Signed as Vigil signs all its webhooks ({@link WebhookSignature}) when the destination names a secret variable, and
 * sent with {@code X-Vigil-Delivery}, an id of the tenant, schedule and slot that stays the same across retries, for
 * the receiver to drop duplicates.
 *
 * <p>A 2xx answer is delivery. A 429 or 5xx answer, or no answer (refused, reset, a 30 s timeout), is tried again up
 * to three more times, after the {@code Retry-After} the server asked for (seconds or an HTTP date) or else after 2, 4
 * and 8 seconds; a server asking for more than a minute is not waited for. Other answers (400, 401, 404...) are not
 * retried: sending the same request again would not change them.
 */
public final class WebhookDelivery implements Delivery {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_ATTEMPTS = 4;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Waits between attempts; a test passes one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Destination.Webhook destination;
    private final Function<String, String> environment;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final Clock clock;

    /** @param environment reads the signing secret's variable, e.g. {@code System::getenv} */
    public WebhookDelivery(Destination.Webhook destination, Function<String, String> environment) {
        this(destination, environment, HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build(), duration -> Thread.sleep(duration),
                Clock.systemUTC());
    }

    WebhookDelivery(Destination.Webhook destination, Function<String, String> environment, HttpClient client,
            Sleeper sleeper, Clock clock) {
        this.destination = requireNonNull(destination, "destination is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.client = requireNonNull(client, "client is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public DeliveryResult deliver(RenderedReport report, Context context) {
        String where = destination.describe();
        byte[] secret = null;
        String variable = destination.secretEnvironmentVariable();
        if (!variable.isEmpty()) {
            String value = environment.apply(variable);
            if (value == null || value.length() < WebhookSignature.MIN_SECRET_LENGTH) {
                return new DeliveryResult(where, false, "not sent: $" + variable + " is "
                        + (value == null || value.isEmpty() ? "not set" : "shorter than "
                        + WebhookSignature.MIN_SECRET_LENGTH + " characters") + ", so the report cannot be signed;"
                        + " set it in the environment of the process that runs the schedules", 0);
            }
            secret = value.getBytes(StandardCharsets.UTF_8);
        }
        byte[] body = JSON.writeValueAsBytes(payload(report, context));
        String deliveryId = deliveryId(context);
        String last = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            HttpRequest.Builder request = HttpRequest.newBuilder(destination.url()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "vigil-reports")
                    .header("X-Vigil-Delivery", deliveryId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (secret != null) {
                request.header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
                        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(secret, timestamp, body));
            }
            Duration wait;
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                last = "HTTP " + status + answer(response.body());
                if (status / 100 == 2) {
                    return new DeliveryResult(where, true, last, attempt);
                }
                if (status != 429 && status / 100 != 5) {
                    return new DeliveryResult(where, false, last + " (not retried: the request itself was refused)",
                            attempt);
                }
                Optional<Duration> asked = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                wait = asked.orElse(backoff(attempt));
                if (wait.compareTo(LONGEST_WAIT) > 0) {
                    return new DeliveryResult(where, false, last + " (asked to retry after " + wait.toSeconds()
                            + " s, longer than the " + LONGEST_WAIT.toSeconds() + " s a run waits)", attempt);
                }
            } catch (IOException e) {
                last = "no answer: " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                        : ": " + e.getMessage());
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new DeliveryResult(where, false, "interrupted before an answer came", attempt);
            }
            if (attempt < MAX_ATTEMPTS) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new DeliveryResult(where, false, last + "; interrupted while waiting to retry", attempt);
                }
            }
        }
        return new DeliveryResult(where, false, last + " (gave up after " + MAX_ATTEMPTS + " attempts)",
                MAX_ATTEMPTS);
    }

    static Map<String, Object> payload(RenderedReport report, Context context) {
        byte[] bytes = report.bytes();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("title", report.title());
        document.put("file_name", report.fileName());
        document.put("media_type", report.mediaType());
        document.put("size", bytes.length);
        document.put("sha256", HexFormat.of().formatHex(sha256(bytes)));
        document.put("content_base64", Base64.getEncoder().encodeToString(bytes));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "report");
        body.put("tenant", context.tenant());
        body.put("schedule", context.schedule());
        body.put("template", context.template());
        body.put("slot", context.slot().toString());
        body.put("period", context.period());
        body.put("parameters", new java.util.TreeMap<>(context.parameters()));
        body.put("report", document);
        return body;
    }

    /** The same for every attempt at one report, different for every schedule and slot. */
    static String deliveryId(Context context) {
        String key = context.tenant() + "\n" + context.schedule() + "\n" + context.template() + "\n" + context.slot();
        return HexFormat.of().formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date; empty when absent or unreadable. */
    Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.of(Duration.ofDays(1)); // absurdly long: more than a run waits
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(clock.instant(), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Duration backoff(int attempt) {
        return FIRST_BACKOFF.multipliedBy(1L << (attempt - 1));
    }

    private static String answer(String body) {
        String answer = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (answer.length() > 200) {
            answer = answer.substring(0, 200) + "…";
        }
        return answer.isEmpty() ? "" : " " + answer;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
