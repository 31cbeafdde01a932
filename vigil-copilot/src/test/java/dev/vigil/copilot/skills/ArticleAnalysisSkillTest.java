package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Grounding.assertGrounded;
import static dev.vigil.copilot.skills.IndicatorReputationSkillTest.refs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.vigil.copilot.SkillResult;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("article-analysis")
class ArticleAnalysisSkillTest {
    /** An advisory as vendors write them: defanged indicators, a CVE, techniques by id and by name. */
    static final String ARTICLE = """
            Threat actors exploited Citrix Bleed (CVE-2023-4966) on NetScaler gateways, then staged payloads.

            Indicators of compromise:
              - 45.137.21[.]9 (C2 over HTTPS)
              - hxxps://update-cdn[.]net/gate.php
              - b2f4a1e6c0d3b8e7a9f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3
              - billing[@]invoice-mailer[.]org

            The intruders ran PowerShell (T1059.001) and dumped credentials from LSASS Memory before moving
            laterally.
            """;

    @TempDir
    Path data;

    @Test
    void theArticlesIndicatorsCvesAndTechniquesAreCheckedAgainstTheTenant() {
        SkillTenant.requireAttack();
        SkillTenant.requireKev();
        try (SkillTenant tenant = SkillTenant.withKnowledge()) {
            tenant.inventory(PostureFixture.organization());
            Event beacon = tenant.event("Firewall", "gw01", "svc-citrix", "allow tcp 198.51.100.10:40000 ->"
                    + " 45.137.21.9:443");
            tenant.alert(beacon, "powershell-encoded", "Encoded PowerShell", List.of("T1059.001"), Map.of());
            tenant.indicators(Indicator.of(IndicatorType.DOMAIN, "update-cdn.net", Provenance.of("partner-feed", 75)));

            SkillResult result = tenant.run(new ArticleAnalysisSkill(tenant.workspace), "text", ARTICLE);

            assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(result.markdown()).startsWith("1 of the 6 indicators in the article was seen in your data:"
                    + " 45.137.21.9 (1 event). 2 are listed by your threat intelligence: https://update-cdn.net/gate.php"
                    + " and update-cdn.net.");
            assertThat(result.markdown()).contains("Its CVE, " + PostureSkillsTest.CITRIX_BLEED + ", affects gw01 and"
                    + " is known exploited.")
                    .contains("It names 2 ATT&CK techniques: 1 appears in your alerts (T1059.001 PowerShell), 0 are"
                            + " covered by enabled rules, and 2 have no enabled rule");
            assertThat(result.facts()).containsEntry("indicators", 6)
                    .containsEntry("seen_indicators", List.of("45.137.21.9"))
                    .containsEntry("cves", List.of(PostureSkillsTest.CITRIX_BLEED))
                    .containsEntry("affecting_cves", List.of(PostureSkillsTest.CITRIX_BLEED))
                    .containsEntry("techniques", List.of("T1059.001", "T1003.001"))
                    .containsEntry("seen_techniques", List.of("T1059.001"));
            assertThat(result.tables().get(0).column("as_written")).contains("45.137.21[.]9");
            assertThat(refs(result)).contains("indicator:domain:update-cdn.net", "kev:" + PostureSkillsTest.CITRIX_BLEED,
                    "asset:gw01", "attack:T1003.001");
            assertThat(result.subjects()).extracting(Object::toString).contains("ip:45.137.21.9",
                    "cve:" + PostureSkillsTest.CITRIX_BLEED, "technique:T1059.001");
            assertGrounded(result);
        }
    }

    @Test
    void withoutAttackTechniquesAreFoundByIdOnlyAndTheAnswerSaysHowToFindNames() {
        try (SkillTenant tenant = SkillTenant.bare(data)) {
            SkillResult result = tenant.run(new ArticleAnalysisSkill(tenant.workspace), "text", ARTICLE);

            assertThat(result.facts()).containsEntry("techniques", List.of("T1059.001"));
            assertThat(result.markdown()).startsWith("None of the 6 indicators in the article appear in the events or"
                    + " alerts of tenant 'acme'.")
                    .contains("tenant 'acme' has no inventory, so Vigil cannot tell whether they affect you")
                    .contains("Techniques named only in words are found once ATT&CK is imported with `vigil intel"
                            + " import enterprise-attack.json`");
            assertThat(result.facts().get("seen_indicators")).asInstanceOf(list(String.class)).isEmpty();
            assertGrounded(result);
        }
    }

    @Test
    void aTextWithNothingToCheckIsEmptyAndSaysWhatWasLookedFor() {
        try (SkillTenant tenant = SkillTenant.bare(data)) {
            SkillResult result = tenant.run(new ArticleAnalysisSkill(tenant.workspace), "text",
                    "Ransomware crews keep targeting hospitals; patch early and keep offline backups.");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("Vigil found no indicator, CVE id or ATT&CK technique in the"
                    + " text").contains("defanged forms such as hxxp:// and [.] too");
            assertGrounded(result);
        }
    }
}
