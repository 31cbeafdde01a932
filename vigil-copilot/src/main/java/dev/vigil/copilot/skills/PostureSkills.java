package dev.vigil.copilot.skills;

import dev.vigil.copilot.Skill;
import java.util.List;

/**
 * The built-in posture skills: {@code cve-impact}, {@code asset-exposure}, {@code weaknesses},
 * {@code remediation-plan} and {@code posture-summary}. They analyse the tenant's stored inventory against the
 * vulnerability knowledge through {@link Workspace#posture}, and read the recorded exposure history; none of them
 * writes.
 */
public final class PostureSkills {
    private PostureSkills() {}

    /** The posture skills over the workspace, in the order help lists them. */
    public static List<Skill> all(Workspace workspace) {
        return List.of(new PostureSummarySkill(workspace), new CveImpactSkill(workspace),
                new AssetExposureSkill(workspace), new WeaknessesSkill(workspace), new RemediationPlanSkill(workspace));
    }
}
