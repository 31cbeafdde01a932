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
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plugin's SQL template skill: read-only SQL over the tenant's store, each placeholder a {@code ?} marker whose
 * value is bound by the driver.
 */
public final class SqlTemplateSkill implements Skill {
    private final PluginManifest plugin;
    private final TemplateSkill skill;
    private final SkillSpec spec;
    private final TenantStore store;

    public SqlTemplateSkill(PluginManifest plugin, TemplateSkill skill, TenantStore store) {
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.skill = requireNonNull(skill, "skill is null");
        this.store = requireNonNull(store, "store is null");
        this.spec = TemplateAnswers.spec(plugin, skill);
    }

    @Override
    public SkillSpec spec() {
        return spec;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        Map<String, String> values = TemplateAnswers.values(skill, call);
        List<Object> parameters = new ArrayList<>();
        skill.bound().parameters().forEach(name -> parameters.add(values.get(name)));
        String sql = skill.bound().text();
        long start = System.nanoTime();
        QueryResult rows = store.query(sql, parameters, TemplateAnswers.MAX_ROWS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        return TemplateAnswers.answer(plugin, skill, values, rows, new ExecutedQuery("sql", sql, rows.rows().size(), millis));
    }
}
