package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a connector retries a request: up to {@code maxAttempts} in all, waiting {@code baseDelay * 2^(n-1)} (capped at
 * {@code maxDelay}, with up to half of it taken off at random so that many clients do not retry in step) after I/O
 * errors and 5xx responses, and what the server asks in {@code Retry-After} after 429 and 503 (capped at
 * {@code maxRetryAfter}, so that a hostile or broken server cannot park the run). A 401 refreshes the token once.
 *
 * @param timeout how long one request may take, connection included
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
        Duration timeout) {
    public RetryPolicy {
        requireNonNull(baseDelay, "baseDelay is null");
        requireNonNull(maxDelay, "maxDelay is null");
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        requireNonNull(timeout, "timeout is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /** Six attempts, 1 s doubling to 60 s, Retry-After honoured up to 5 minutes, 60 s per request. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofMinutes(5), Duration.ofSeconds(60));
}
