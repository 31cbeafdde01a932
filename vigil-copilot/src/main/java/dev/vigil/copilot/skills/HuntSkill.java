package dev.vigil.copilot.skills;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.plan.Planner;
import java.util.List;

/**
 * Runs a hunting query (KQL) over the tenant's events. The planner's query route calls it with the query it compiled
 * from an open data question; an analyst calls it as {@code /hunt <query>}.
 */
public final class HuntSkill implements Skill {
    private static final SkillSpec SPEC = new SkillSpec(Planner.HUNT, "hunting",
            "Run a hunting query in KQL over the organization's events and show the rows.",
            List.of("run this KQL query", "hunt with a query", "SecurityEvent | where EventID == 4625 | count"),
            List.of(SkillInput.required("query", EntityType.TEXT, "the hunting query, in KQL")));

    private final QueryAnswers answers;

    public HuntSkill(QueryAnswers answers) {
        this.answers = answers;
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        return answers.raw(SPEC.name(), call.first("query").orElseThrow());
    }
}
