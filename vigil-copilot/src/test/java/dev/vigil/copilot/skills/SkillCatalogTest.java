package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names and inputs the planner relies on: a change here is a change of the planner's contract. */
@DisplayName("The intelligence and posture skills' catalog")
class SkillCatalogTest {
    @TempDir
    Path data;

    @Test
    void namesAndInputsAreThePlannersContract() {
        try (SkillTenant tenant = SkillTenant.bare(data)) {
            Map<String, String> catalog = new LinkedHashMap<>();
            for (Skill skill : concat(IntelSkills.all(tenant.workspace), PostureSkills.all(tenant.workspace))) {
                SkillSpec spec = skill.spec();
                catalog.put(spec.name(), String.join(" ", spec.inputs().stream().map(SkillCatalogTest::describe)
                        .toList()));
                assertThat(spec.examples()).as(spec.name()).hasSizeGreaterThanOrEqualTo(3);
                assertThat(spec.description()).as(spec.name()).isNotBlank();
            }
            assertThat(catalog).containsExactly(
                    Map.entry("indicator-reputation", "ip:ip* domain:domain* url:url* hash:hash* email:email*"),
                    Map.entry("actor-profile", "actor:actor! focus:text"),
                    Map.entry("technique-explainer", "technique:technique!"),
                    Map.entry("article-analysis", "text:text!"),
                    Map.entry("posture-summary", ""),
                    Map.entry("cve-impact", "cve:cve!"),
                    Map.entry("asset-exposure", "host:host"),
                    Map.entry("weaknesses", "host:host user:user"),
                    Map.entry("remediation-plan", "host:host cve:cve"));
            assertThat(IntelSkills.all(tenant.workspace)).extracting(s -> s.spec().category()).containsOnly("intel");
            assertThat(PostureSkills.all(tenant.workspace)).extracting(s -> s.spec().category())
                    .containsOnly("posture");
        }
    }

    /** {@code name:type}, then {@code !} when required and {@code *} when it takes several values. */
    private static String describe(SkillInput input) {
        return input.name() + ":" + input.type().key() + (input.required() ? "!" : "") + (input.many() ? "*" : "");
    }

    private static List<Skill> concat(List<Skill> a, List<Skill> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
