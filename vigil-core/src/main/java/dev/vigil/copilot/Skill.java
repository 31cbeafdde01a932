package dev.vigil.copilot;

/**
 * A unit of capability of the copilot: a typed description the planner ranks prompts against, and the code that
 * answers. Built-in skills cover every capability of the product; plugins add more.
 *
 * <p>A skill composes its prose only from what it found: a number or entity that is not in its tables, facts or
 * evidence never appears in its markdown. When it finds nothing, it says what it searched and what data would
 * answer ({@link SkillResult.Status#EMPTY}).
 */
public interface Skill {
    SkillSpec spec();

    /**
     * Runs the skill. Inputs are already validated against {@link #spec()}: required ones are present.
     *
     * @throws dev.vigil.model.VigilException for a bad input value, with a message that says how to fix it
     */
    SkillResult run(SkillCall call, SkillContext context);
}
