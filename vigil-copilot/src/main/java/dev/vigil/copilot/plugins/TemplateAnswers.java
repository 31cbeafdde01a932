package dev.vigil.copilot.plugins;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plugin.PluginManifest;
import dev.vigil.copilot.plugin.PluginManifest.TemplateInput;
import dev.vigil.copilot.plugin.PluginManifest.TemplateSkill;
import dev.vigil.store.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What KQL and SQL template skills share: their spec, their input values, and their grounded answer. */
final class TemplateAnswers {
    static final int MAX_ROWS = 200;
    static final String CATEGORY = "plugins";

    private TemplateAnswers() {}

    /**
     * The skill's spec: the manifest's description, its example prompts and display name for ranking, and its inputs
     * typed by entity so the planner fills them from the prompt. An input with a default value is never required.
     */
    static SkillSpec spec(PluginManifest plugin, TemplateSkill skill) {
        List<String> examples = new ArrayList<>(skill.examples());
        examples.add(skill.displayName());
        List<SkillInput> inputs = new ArrayList<>();
        for (TemplateInput input : skill.inputs()) {
            inputs.add(new SkillInput(input.inputName(), input.type(), input.required() && input.defaultValue().isEmpty(),
                    false, input.description(), List.of()));
        }
        return new SkillSpec(skill.skillName(), CATEGORY, skill.description(), examples, inputs);
    }

    /**
     * The value of each input by its manifest name: given, else its default, else empty text (as Security Copilot
     * fills an optional input left out).
     */
    static Map<String, String> values(TemplateSkill skill, SkillCall call) {
        Map<String, String> values = new LinkedHashMap<>();
        for (TemplateInput input : skill.inputs()) {
            values.put(input.name(), call.first(input.inputName()).or(input::defaultValue).orElse(""));
        }
        return values;
    }

    static SkillResult answer(PluginManifest plugin, TemplateSkill skill, Map<String, String> values, QueryResult rows,
            ExecutedQuery query) {
        SkillResult.Builder out = SkillResult.builder(skill.skillName()).query(query);
        String given = given(skill, values);
        String what = "**" + skill.displayName() + "** (plugin " + plugin.descriptor().displayName() + ")";
        int n = rows.rows().size();
        out.fact("count", (long) n).fact("truncated", rows.truncated());
        if (n == 0) {
            out.status(SkillResult.Status.EMPTY).paragraph(what + " found no rows" + given + ". The query ran over"
                    + " the tenant's stored events and matched none: either nothing happened, or the data it reads has"
                    + " not been ingested (see `vigil tables`).");
            return out.build();
        }
        out.paragraph(what + " found " + (rows.truncated() ? "more than " : "") + n + (n == 1 ? " row" : " rows") + given
                + (rows.truncated() ? "; the first " + n + " are shown" : "") + ".");
        out.table(new Table(skill.displayName(), rows.columns(), rows.rows()));
        out.evidence(skill.displayName() + ": " + n + (n == 1 ? " row" : " rows"), List.of("query:" + out.queryCount()));
        for (TemplateInput input : skill.inputs()) {
            String value = values.get(input.name());
            if (input.type() != EntityType.TEXT && !value.isEmpty()) {
                out.subject(input.type(), value);
            }
        }
        return out.build();
    }

    /** " for DeviceName = WS-01 and Lookback = 30d", or nothing without inputs. */
    static String given(TemplateSkill skill, Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((name, value) -> {
            if (!value.isEmpty()) {
                parts.add(name + " = " + value);
            }
        });
        return parts.isEmpty() ? "" : " for " + String.join(" and ", parts);
    }
}
