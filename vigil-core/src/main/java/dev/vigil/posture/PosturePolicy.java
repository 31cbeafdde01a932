package dev.vigil.posture;

import java.time.Duration;

/**
 * The thresholds of the weakness checks.
 *
 * @param staleAccountAfter an enabled account with no sign-in for this long is stale
 * @param silentAfter an asset whose telemetry stopped this long ago is silent
 * @param epssThreshold an EPSS probability from which exploitation counts as likely (SSVC's "public PoC" proxy)
 */
public record PosturePolicy(Duration staleAccountAfter, Duration silentAfter, double epssThreshold) {
    public static PosturePolicy defaults() {
        return new PosturePolicy(Duration.ofDays(90), Duration.ofDays(7), 0.1);
    }
}
