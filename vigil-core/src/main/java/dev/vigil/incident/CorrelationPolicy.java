package dev.vigil.incident;

import java.time.Duration;

/**
 * When alerts belong together.
 *
 * @param joinWindow alerts that share an entity join when they are at most this far apart
 * @param progressionWindow alerts that share an entity further apart than {@code joinWindow} still join, up to this
 *     far apart, when the later one reaches a later ATT&CK tactic (execution, then persistence, then lateral movement)
 * @param commonPartners an entity is common, and ties nothing together, when it has at least this many partners
 *     (distinct hosts; distinct users for a host) ...
 * @param commonShare ... and they are at least this share of all the baseline's hosts (users for a host), so that
 *     in a large organization the bar rises with its size
 * @param postingsPerEntity how many recent incidents each entity remembers; bounds memory and the cost per alert
 */
public record CorrelationPolicy(Duration joinWindow, Duration progressionWindow, int commonPartners,
        double commonShare, int postingsPerEntity) {

    public CorrelationPolicy {
        if (joinWindow.isNegative() || joinWindow.isZero()) {
            throw new IllegalArgumentException("the join window must be positive, not " + joinWindow);
        }
        if (progressionWindow.compareTo(joinWindow) < 0) {
            throw new IllegalArgumentException("the progression window (" + progressionWindow
                    + ") must be at least the join window (" + joinWindow + ")");
        }
        if (commonPartners < 2) {
            throw new IllegalArgumentException("commonPartners must be at least 2, not " + commonPartners);
        }
        if (!(commonShare > 0 && commonShare <= 1)) {
            throw new IllegalArgumentException("commonShare must be in (0, 1], not " + commonShare);
        }
        if (postingsPerEntity < 1 || postingsPerEntity > 64) {
            throw new IllegalArgumentException("postingsPerEntity must be 1 to 64, not " + postingsPerEntity);
        }
    }

    /** Three hours to join, a day for a tactic progression, common from 10 partners and 5% of the population. */
    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(Duration.ofHours(3), Duration.ofHours(24), 10, 0.05, 4);
    }

    /** Whether {@code partners} make an entity common, in a population of {@code population} hosts (or users). */
    boolean common(int partners, int population) {
        return partners >= commonPartners && partners >= commonShare * population;
    }
}
