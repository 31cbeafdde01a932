package dev.vigil.copilot.plugins;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.TemplateSkill;
import dev.vigil.copilot.plugin.Templates;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A plugin's KQL template skill: the template, its placeholders rewritten into declared query parameters, runs through
 * the hunting language over the tenant's store with the inputs' values bound, never spliced into the query text.
 */
public final class KqlTemplateSkill implements Skill {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final PluginManifest plugin;
    private final TemplateSkill skill;
    private final SkillSpec spec;
    private final Supplier<HuntRunner> runner;

    /** @param runner the tenant's hunting runner, made on first use */
    public KqlTemplateSkill(PluginManifest plugin, TemplateSkill skill, Supplier<HuntRunner> runner) {
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.skill = requireNonNull(skill, "skill is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.spec = TemplateAnswers.spec(plugin, skill);
    }

    @Override
    public SkillSpec spec() {
        return spec;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        Map<String, String> values = TemplateAnswers.values(skill, call);
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, String> value : values.entrySet()) {
            String type = skill.bound().types().get(value.getKey());
            if (type == null) {
                continue; // declared but not used by the template
            }
            try {
                parameters.put("input_" + value.getKey(), Templates.kqlValue(type, value.getValue()));
            } catch (IllegalArgumentException e) {
                throw new VigilException(ErrorCode.USAGE, "input " + value.getKey() + " of " + spec.name() + ": "
                        + e.getMessage(), "Give " + value.getKey() + " as the template uses it (" + type + ").", e);
            }
        }
        String kql = skill.bound().text();
        long start = System.nanoTime();
        HuntRunner.Result result = runner.get().run(kql, parameters,
                new HuntRunner.Limits(TemplateAnswers.MAX_ROWS, TIMEOUT));
        long millis = (System.nanoTime() - start) / 1_000_000;
        return TemplateAnswers.answer(plugin, skill, values, result.rows(),
                new ExecutedQuery("kql", kql, result.rows().rows().size(), millis));
    }
}
