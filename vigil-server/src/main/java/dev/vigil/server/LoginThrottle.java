package dev.vigil.server;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, per user name and per client address separately: after {@link #FREE_FAILURES}
 * failures in a row, each further attempt must wait, 1 s after the fifth failure and twice as long after each one
 * more, up to {@link #MAX_WAIT}. A success clears the user name's count (not the address's, so one known password
 * does not reset the guessing of others from the same address). A count is forgotten {@link #MAX_WAIT} after its
 * last failure.
 *
 * <p>The wait is answered, not slept: a refused attempt costs the server nothing (no password hash is computed).
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, Instant last, Instant until) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** How long the attempt must still wait, or empty when it may go ahead. */
    Optional<Duration> wait(String user, String address, Instant now) {
        Duration longest = Duration.ZERO;
        for (String key : new String[] {"user:" + user, "address:" + address}) {
            Failures f = failures.get(key);
            if (f != null && now.isBefore(f.until())) {
                Duration left = Duration.between(now, f.until());
                if (left.compareTo(longest) > 0) {
                    longest = left;
                }
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Counts a failed attempt against the user name and the address. */
    void failed(String user, String address, Instant now) {
        if (failures.size() > MAX_KEYS) {
            failures.values().removeIf(f -> f.last().plus(MAX_WAIT).isBefore(now));
        }
        for (String key : new String[] {"user:" + user, "address:" + address}) {
            failures.compute(key, (k, f) -> {
                int count = f == null || f.last().plus(MAX_WAIT).isBefore(now) ? 1 : f.count() + 1;
                Instant until = now;
                if (count >= FREE_FAILURES) {
                    long seconds = 1L << Math.min(count - FREE_FAILURES, 20);
                    until = now.plus(Duration.ofSeconds(Math.min(seconds, MAX_WAIT.toSeconds())));
                }
                return new Failures(count, now, until);
            });
        }
    }

    /** Clears the user name's failures after a successful login. */
    void succeeded(String user) {
        failures.remove("user:" + user);
    }
}
