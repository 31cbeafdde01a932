package dev.vigil.posture;

import java.util.List;

/**
 * One change of the remediation plan and what it removes: "upgrade OpenSSL to 3.0.13 on 30 hosts closes 14
 * findings, 3 of them known-exploited".
 *
 * @param action what to do, in words
 * @param assets the assets (or accounts) it touches
 * @param findings ids of the findings it closes
 * @param riskRemoved the sum of those findings' risk, which orders the plan
 */
public record RemediationStep(String action, List<String> assets, List<String> findings, int knownExploited,
        double riskRemoved) {
    public RemediationStep {
        assets = List.copyOf(assets);
        findings = List.copyOf(findings);
    }
}
