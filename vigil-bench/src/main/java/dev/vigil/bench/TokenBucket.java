package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import java.util.function.LongSupplier;

/**
 * Paces a sender to a target rate: tokens (events) refill at {@code perSecond} up to {@code capacity}, and a
 * reservation of more tokens than the bucket holds is granted at once but answered with how long to wait before
 * using them, so that reservations queue behind each other. A sender that keeps up sends at the target rate with
 * bursts of at most {@code capacity}; one that falls behind (a slow server) finds the bucket full, never more, so
 * the achieved rate shows the server's limit instead of a catch-up burst. Thread-safe.
 */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanos;
    private double tokens;
    private long last;

    /**
     * @param perSecond tokens added per second, more than 0
     * @param capacity  most tokens held, at least 1; the bucket starts full
     * @param nanos     the clock ({@code System::nanoTime}, or a fake one in tests)
     */
    TokenBucket(double perSecond, long capacity, LongSupplier nanos) {
        if (!(perSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate above 0 and a capacity of at least 1, not "
                    + perSecond + "/s and " + capacity);
        }
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.nanos = requireNonNull(nanos, "nanos is null");
        this.tokens = capacity;
        this.last = nanos.getAsLong();
    }

    /** Takes {@code count} tokens and answers the nanoseconds to wait before using them (0 when they are there). */
    synchronized long reserve(long count) {
        long now = nanos.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        tokens -= count;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
    }
}
