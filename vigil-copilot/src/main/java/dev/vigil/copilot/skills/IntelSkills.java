package dev.vigil.copilot.skills;

import dev.vigil.copilot.Skill;
import java.util.List;

/**
 * The built-in threat-intelligence skills: {@code indicator-reputation}, {@code actor-profile},
 * {@code technique-explainer} and {@code article-analysis}. They read one tenant's indicators, events, alerts,
 * incidents and rules through the workspace, and ATT&amp;CK when it is imported; none of them writes.
 */
public final class IntelSkills {
    private IntelSkills() {}

    /** The intelligence skills over the workspace, in the order help lists them. */
    public static List<Skill> all(Workspace workspace) {
        return List.of(new IndicatorReputationSkill(workspace), new ActorProfileSkill(workspace),
                new TechniqueExplainerSkill(workspace), new ArticleAnalysisSkill(workspace));
    }
}
