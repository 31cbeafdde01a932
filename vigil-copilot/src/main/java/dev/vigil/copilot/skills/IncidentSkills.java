package dev.vigil.copilot.skills;

import dev.vigil.copilot.Skill;
import java.util.List;

/**
 * The built-in skills over incidents, alerts, accounts and hosts: list and explain incidents (summary, entities,
 * timeline, impact, guided response), list alerts, and analyse what an account or a host did.
 */
public final class IncidentSkills {
    private IncidentSkills() {}

    /** One of each skill, over the workspace's tenant. */
    public static List<Skill> all(Workspace workspace) {
        return List.of(new IncidentsListSkill(workspace), new IncidentSummarySkill(workspace),
                new IncidentEntitiesSkill(workspace), new IncidentTimelineSkill(workspace),
                new IncidentImpactSkill(workspace), new IncidentResponseSkill(workspace),
                new AlertsListSkill(workspace), new UserAnalysisSkill(workspace), new HostAnalysisSkill(workspace));
    }
}
