package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

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
 * @param weights how much each kind of shared entity counts, and how much evidence a join and a merge need
 */
public record CorrelationPolicy(Duration joinWindow, Duration progressionWindow, int commonPartners,
        double commonShare, int postingsPerEntity, Weights weights) {

    public CorrelationPolicy {
        requireNonNull(weights, "weights is null");
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

    /** A policy with the default {@link Weights}. */
    public CorrelationPolicy(Duration joinWindow, Duration progressionWindow, int commonPartners, double commonShare,
            int postingsPerEntity) {
        this(joinWindow, progressionWindow, commonPartners, commonShare, postingsPerEntity, Weights.defaults());
    }

    /** Three hours to join, a day for a tactic progression, common from 10 partners and 5% of the population. */
    public static CorrelationPolicy defaults() {
        return new CorrelationPolicy(Duration.ofHours(3), Duration.ofHours(24), 10, 0.05, 4);
    }

    /** The same policy with other weights. */
    public CorrelationPolicy withWeights(Weights other) {
        return new CorrelationPolicy(joinWindow, progressionWindow, commonPartners, commonShare, postingsPerEntity,
                other);
    }

    /** Whether {@code partners} make an entity common, in a population of {@code population} hosts (or users). */
    boolean common(int partners, int population) {
        return partners >= commonPartners && partners >= commonShare * population;
    }

    /**
     * How much each piece of evidence counts. Every entity an alert shares with an open incident is a clue worth up to
     * 1, fading with the time between the two alerts; an incident's clues combine as independent evidence
     * ({@code 1 - Π(1 - w)}); see {@link Correlator}. The defaults were chosen on the generated scenario's seed 42 and
     * checked on other seeds and on the OTRF replay; the F1 they give hardly moves when any of them does
     * (BENCHMARKS.md, "Incident correlation").
     *
     * @param joinAt the evidence an alert needs to join an incident; below it, the alert opens one
     * @param mergeAt the evidence, from identities alone (host, account, process, address), an alert needs for each of
     *     two incidents to merge them; a merge is for good, so it asks for more than a join
     * @param hostHalfLife a host named directly halves its weight this often: a busy machine does unrelated things by
     *     the hour, so a host alone ties alerts minutes apart, not hours (an account or a process halves every join
     *     window)
     * @param artefactWeight a file hash, domain, URL or external address rare in the organization, for the progression
     *     window; less than an identity, as unrelated intrusions share public tools; it never merges incidents
     * @param familiarHosts an artefact the organization's events show on this many hosts belongs to normal activity
     *     (a deployed installer, a library, a popular site) and ties nothing
     * @param sourceLaterWeight the machine an incident held, named (by an address it owns) as the source of an alert
     *     beyond the join window, whatever the tactic: where an attack came from
     * @param ambiguousFactor a tie through a machine to one of its incidents other than the one active there last is
     *     multiplied by this
     * @param entryWeight the machine the events show a remote entry came from, for a lateral-movement alert that names
     *     no source (see {@link RemoteEntries}): weighed as a source named by the alert times this, shared among the
     *     machines the events show entering at that time; it joins, never merges, as it is inferred
     * @param entryWindow how far before and after a lateral-movement alert the events are searched for its source
         * @param machineMergeWindow a machine alone (one host, named or by an address it owns) merges two incidents only
         *     when the alert is at most this far from the other incident's alert on it: a busy machine hosts unrelated
         *     activity within the hour, so two incidents already apart need more than a machine they both touched (an
         *     account, a process, a second entity) unless the alert sits right beside the other's (one action seen by
         *     two alerts); zero: a machine alone never merges
         */
    public record Weights(double joinAt, double mergeAt, Duration hostHalfLife, double artefactWeight,
            int familiarHosts, double sourceLaterWeight, double ambiguousFactor, double entryWeight,
            Duration entryWindow, Duration machineMergeWindow) {

        public Weights {
            requireNonNull(hostHalfLife, "hostHalfLife is null");
            requireNonNull(entryWindow, "entryWindow is null");
            requireNonNull(machineMergeWindow, "machineMergeWindow is null");
            if (entryWindow.isNegative()) {
                throw new IllegalArgumentException("the entry window must not be negative, not " + entryWindow);
            }
            if (machineMergeWindow.isNegative()) {
                throw new IllegalArgumentException("the machine merge window must not be negative, not "
                        + machineMergeWindow);
            }
            if (!(joinAt > 0 && joinAt <= 1) || !(mergeAt >= joinAt && mergeAt <= 1)) {
                throw new IllegalArgumentException("joinAt must be in (0, 1] and mergeAt in [joinAt, 1], not "
                        + joinAt + " and " + mergeAt);
            }
            for (double weight : new double[] {artefactWeight, sourceLaterWeight, ambiguousFactor, entryWeight}) {
                if (!(weight >= 0 && weight <= 1)) {
                    throw new IllegalArgumentException("weights and factors are in [0, 1], not " + weight);
                }
            }
            if (!hostHalfLife.isPositive()) {
                throw new IllegalArgumentException("the host half-life must be positive, not " + hostHalfLife);
            }
            if (familiarHosts < 2) {
                throw new IllegalArgumentException("familiarHosts must be at least 2, not " + familiarHosts);
            }
        }

        /** The weights without a source looked up in the events. */
        public Weights(double joinAt, double mergeAt, Duration hostHalfLife, double artefactWeight, int familiarHosts,
                double sourceLaterWeight, double ambiguousFactor) {
            this(joinAt, mergeAt, hostHalfLife, artefactWeight, familiarHosts, sourceLaterWeight, ambiguousFactor, 0,
                    Duration.ZERO, DEFAULT_MACHINE_MERGE_WINDOW);
        }

        /** The weights with a source looked up in the events, and the default machine merge window. */
        public Weights(double joinAt, double mergeAt, Duration hostHalfLife, double artefactWeight, int familiarHosts,
                double sourceLaterWeight, double ambiguousFactor, double entryWeight, Duration entryWindow) {
            this(joinAt, mergeAt, hostHalfLife, artefactWeight, familiarHosts, sourceLaterWeight, ambiguousFactor,
                    entryWeight, entryWindow, DEFAULT_MACHINE_MERGE_WINDOW);
        }

        private static final Duration DEFAULT_MACHINE_MERGE_WINDOW = Duration.ofMinutes(3);

        /**
         * Join at 0.25, merge at 0.5, a host halving every 30 minutes, artefacts 0.6 (familiar from 3 hosts), a source
         * machine beyond the join window 0.5, a machine's older incidents half, a source found in the events 0.8
         * within two minutes of the alert, a machine alone merging within three minutes.
         */
        public static Weights defaults() {
            return new Weights(0.25, 0.5, Duration.ofMinutes(30), 0.6, 3, 0.5, 0.5, 0.8, Duration.ofMinutes(2),
                    DEFAULT_MACHINE_MERGE_WINDOW);
        }

        /** The same weights with another weight for a source found in the events (0: none looked up). */
        public Weights withEntryWeight(double weight) {
            return new Weights(joinAt, mergeAt, hostHalfLife, artefactWeight, familiarHosts, sourceLaterWeight,
                    ambiguousFactor, weight, entryWindow, machineMergeWindow);
        }

        /** The same weights with another machine merge window (zero: a machine alone never merges). */
        public Weights withMachineMergeWindow(Duration window) {
            return new Weights(joinAt, mergeAt, hostHalfLife, artefactWeight, familiarHosts, sourceLaterWeight,
                    ambiguousFactor, entryWeight, entryWindow, window);
        }
    }
}
