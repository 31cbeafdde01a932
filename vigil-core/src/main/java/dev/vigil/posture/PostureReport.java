package dev.vigil.posture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The tenant's posture at an instant: findings ordered by decision then risk, exposure scores per asset and for the
 * organization (0 = nothing known exposes it, 100 = certainly exposed), and the remediation plan ordered by risk
 * removed per change.
 *
 * @param assetScores exposure score per asset id, highest first
 * @param notes what the analysis could not do, in words (no vulnerability knowledge, no ATT&amp;CK ...)
 */
public record PostureReport(Instant at, List<Finding> findings, Map<String, Double> assetScores,
        double organizationScore, List<RemediationStep> plan, Map<String, Integer> counts, List<String> notes) {
    public PostureReport {
        findings = List.copyOf(findings);
        plan = List.copyOf(plan);
        notes = List.copyOf(notes);
    }
}
