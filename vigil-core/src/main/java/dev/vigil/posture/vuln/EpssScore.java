package dev.vigil.posture.vuln;

import static java.util.Objects.requireNonNull;

/** FIRST's Exploit Prediction Scoring System: the probability of exploitation in the next 30 days, and its percentile. */
public record EpssScore(String cve, double score, double percentile, String date, String source) {
    public EpssScore {
        requireNonNull(cve, "cve is null");
        date = date == null ? "" : date;
        source = source == null ? "" : source;
    }
}
