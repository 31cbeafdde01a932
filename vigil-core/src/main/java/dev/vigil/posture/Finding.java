package dev.vigil.posture;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Something that exposes the organization: a vulnerable piece of software on an asset, or a weakness (an admin
 * without MFA, RDP open to the internet ...). Every finding names the records it rests on.
 *
 * @param id stable across runs: derived from the kind, the asset or identity, and the subject
 * @param kind {@code vulnerability}, or the check's id ({@code admin-without-mfa}, {@code exposed-service} ...)
 * @param assetId the asset, or null for an identity's finding
 * @param subject the CVE id, the account, the service ({@code tcp/3389}), the OS
 * @param software the affected software ({@code log4j-core 2.14.1}), or null
 * @param risk the share of risk it carries, from 0 to 1, which orders findings and the remediation plan
 * @param reasons why it got its decision, one fact per line
 * @param techniques ATT&amp;CK techniques the finding enables
 * @param remediation what groups it with others in the remediation plan: {@code upgrade|name|ecosystem} for an
 *     upgrade (versions then compare by that ecosystem), else the kind
 */
public record Finding(String id, String kind, String assetId, String subject, String software, String title,
        Confidence confidence, Decision decision, double risk, boolean knownExploited, List<String> reasons,
        List<Evidence> evidence, Guidance guidance, List<String> techniques, String remediation) {
    public Finding {
        requireNonNull(id, "id is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(confidence, "confidence is null");
        requireNonNull(decision, "decision is null");
        reasons = List.copyOf(reasons);
        evidence = List.copyOf(evidence);
        requireNonNull(guidance, "guidance is null");
        techniques = List.copyOf(techniques);
        requireNonNull(remediation, "remediation is null");
    }

    public boolean isVulnerability() {
        return kind.equals("vulnerability");
    }
}
