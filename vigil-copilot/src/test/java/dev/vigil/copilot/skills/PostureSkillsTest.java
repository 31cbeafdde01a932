package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Grounding.assertGrounded;
import static dev.vigil.copilot.skills.IndicatorReputationSkillTest.refs;
import static dev.vigil.copilot.skills.PostureFixture.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.SkillResult;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The posture skills over a small organization's inventory and the real CISA KEV catalog. */
@DisplayName("Posture skills")
class PostureSkillsTest {
    /** Citrix Bleed: in KEV since 2023-10-18, due 2023-11-08, known ransomware use. */
    static final String CITRIX_BLEED = "CVE-2023-4966";

    @Nested
    @DisplayName("with the KEV catalog")
    class WithKev {
        SkillTenant tenant;

        @BeforeEach
        void open() {
            SkillTenant.requireKev();
            tenant = SkillTenant.withKnowledge();
            tenant.inventory(PostureFixture.organization());
        }

        @AfterEach
        void close() {
            tenant.close();
        }

        @Test
        void aKnownExploitedCveNamesTheAffectedAssetItsDueDateRequiredActionAndFix() {
            SkillResult result = tenant.run(new CveImpactSkill(tenant.workspace), "cve", "cve-2023-4966");

            assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(result.markdown()).startsWith(CITRIX_BLEED + " (Citrix NetScaler ADC and NetScaler Gateway"
                    + " Buffer Overflow Vulnerability) is known exploited and affects 1 of your 2 assets: gw01"
                    + " (critical, internet-facing; NetScaler ADC 13.1-48.47, ");
            assertThat(result.markdown()).contains("CISA added it to KEV on 2023-10-18, due 2023-11-08 (past due);"
                    + " required action: Apply mitigations and kill all active and persistent sessions")
                    .contains("It is known to be used in ransomware campaigns.")
                    .contains("Remediation:\n- gw01: ")
                    .contains("The match is by product name only (low confidence)")
                    .contains("CISA KEV catalog 2025.08.25");
            assertThat(result.facts()).containsEntry("cve", CITRIX_BLEED).containsEntry("known_exploited", true)
                    .containsEntry("kev_due", "2023-11-08").containsEntry("ransomware", true)
                    .containsEntry("affected_assets", List.of(GATEWAY)).containsEntry("kev_catalog", "2025.08.25");
            assertThat(refs(result)).contains("kev:" + CITRIX_BLEED, "asset:" + GATEWAY)
                    .anyMatch(ref -> ref.startsWith("finding:"));
            assertThat(result.tables().get(1).column("asset")).containsExactly(GATEWAY);
            assertThat(result.subjects()).extracting(Object::toString).containsExactly("cve:" + CITRIX_BLEED,
                    "host:" + GATEWAY);
            assertGrounded(result);
        }

        @Test
        void aCveTheKnowledgeDoesNotHoldIsEmptyAndSaysHowToImportIt() {
            SkillResult result = tenant.run(new CveImpactSkill(tenant.workspace), "cve", "CVE-2099-12345");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("Vigil knows nothing about CVE-2099-12345: no imported CVE record")
                    .contains("`vigil vulns import CVE-2099-12345.json`");
            assertThat(result.facts()).containsEntry("known", false);
            assertGrounded(result);
        }

        @Test
        void aMalformedCveIsRefusedWithHowToWriteOne() {
            assertThatThrownBy(() -> tenant.run(new CveImpactSkill(tenant.workspace), "cve", "Citrix Bleed"))
                    .isInstanceOf(VigilException.class).hasMessageContaining("'Citrix Bleed' is not a CVE id");
        }

        @Test
        void oneHostsExposureListsItsFindingsScoreAndTraits() {
            SkillResult result = tenant.run(new AssetExposureSkill(tenant.workspace), "host", "GW01.corp.example");

            assertThat(result.markdown()).startsWith("GW01.corp.example has an exposure score of ")
                    .contains(" of them known exploited: ").contains("It is critical, internet-facing, runs NetScaler,"
                            + " is owned by netops.").contains(CITRIX_BLEED + " (due 2023-11-08)")
                    .contains("No earlier analysis is recorded");
            assertThat(result.facts()).containsEntry("host", GATEWAY).containsEntry("criticality", "critical")
                    .containsEntry("internet_facing", true);
            assertThat((Double) result.facts().get("score")).isGreaterThan(90.0);
            assertThat((Long) result.facts().get("known_exploited")).isPositive();
            assertThat(result.charts()).singleElement().extracting(Chart::kind).isEqualTo(Chart.Kind.BAR);
            assertThat(refs(result)).contains("asset:" + GATEWAY);
            assertGrounded(result);
        }

        @Test
        void theOrganizationsExposureNamesTheMostExposedAssets() {
            SkillResult result = tenant.run(new AssetExposureSkill(tenant.workspace));

            assertThat(result.markdown()).startsWith("The exposure score of tenant '" + tenant.tenant + "' is ")
                    .contains("across 2 assets; the most exposed is gw01 (");
            assertThat(result.facts()).containsEntry("top_assets", List.of(GATEWAY)).containsEntry("assets", 2);
            assertThat(result.charts()).extracting(Chart::title).containsExactly("Findings per asset");
            assertGrounded(result);
        }

        @Test
        void anUnknownHostIsEmptyAndNamesTheKnownOnes() {
            SkillResult result = tenant.run(new AssetExposureSkill(tenant.workspace), "host", "mainframe9");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("No asset named 'mainframe9' is in the inventory of tenant '"
                    + tenant.tenant + "'").contains("The inventory holds 2 assets, among them gw01 and web01.");
            assertGrounded(result);
        }

        @Test
        void theRemediationPlanPutsTheKnownExploitedStepFirstWithItsDueDate() {
            SkillResult result = tenant.run(new RemediationPlanSkill(tenant.workspace), "cve", CITRIX_BLEED);

            assertThat(result.markdown()).startsWith("The remediation plan for " + CITRIX_BLEED + " in tenant '"
                    + tenant.tenant + "' has 1 step; do first: confirm the version is affected, then apply the vendor fix for " + CITRIX_BLEED)
                    .contains("(matched by product name only; the version was not checked)");
            assertThat(result.markdown()).contains("CISA due 2023-11-08");
            assertThat(result.facts()).containsEntry("steps", 1).containsEntry("kev_due", "2023-11-08");
            assertThat((Integer) result.facts().get("known_exploited")).isEqualTo(1);
            assertGrounded(result);

            SkillResult whole = tenant.run(new RemediationPlanSkill(tenant.workspace));
            assertThat((Integer) whole.facts().get("steps")).isGreaterThan(3);
            assertThat(whole.facts().get("first_step")).isEqualTo(whole.tables().get(0).column("action").get(0));
            assertThat(whole.facts()).containsEntry("past_due", 6L);
            assertThat(whole.markdown()).contains("CISA's due date has passed for 6 steps");
            assertGrounded(whole);
        }

        @Test
        void theSummaryStatesScoreDecisionsKnownExploitedAndTopRisks() {
            SkillResult result = tenant.run(new PostureSummarySkill(tenant.workspace));

            assertThat(result.markdown()).startsWith("The exposure score of tenant '" + tenant.tenant + "' is ")
                    .contains("across 2 assets and 3 identities: ").contains("Top risks: ")
                    .contains("First remediation step: ");
            assertThat(result.facts()).containsKeys("score", "findings", "act", "attend", "track_star", "track",
                    "known_exploited", "top_risks").containsEntry("kev_catalog", "2025.08.25");
            assertThat((Integer) result.facts().get("known_exploited")).isPositive();
            assertThat(result.facts().get("top_risks")).asInstanceOf(list(String.class)).hasSize(5);
            assertThat(result.charts()).extracting(Chart::kind).contains(Chart.Kind.DONUT);
            assertGrounded(result);
        }
    }

    @Nested
    @DisplayName("without vulnerability knowledge")
    class WithoutKnowledge {
        @TempDir
        Path data;

        SkillTenant tenant;

        @BeforeEach
        void open() {
            tenant = SkillTenant.bare(data);
        }

        @AfterEach
        void close() {
            tenant.close();
        }

        @Test
        void weaknessesNameTheMfaGapTheStaleAccountAndTheExposedService() {
            tenant.inventory(PostureFixture.organization());

            SkillResult result = tenant.run(new WeaknessesSkill(tenant.workspace));

            assertThat(result.markdown()).startsWith("Tenant 'acme' has 3 identity and configuration weaknesses: 1"
                    + " administrator without MFA (alice), 1 service exposed to the internet (RDP tcp/3389 on gw01)"
                    + " and 1 stale enabled account (bob).");
            assertThat(result.markdown()).contains("The inventory lists 2 enabled privileged accounts: alice and"
                    + " carol; 1 of them without MFA and 0 with MFA unknown.");
            assertThat(result.facts()).containsEntry("mfa_gaps", List.of("alice"))
                    .containsEntry("stale_accounts", List.of("bob"))
                    .containsEntry("exposed_services", List.of("RDP tcp/3389 on gw01"))
                    .containsEntry("privileged_accounts", List.of("alice", "carol"));
            assertThat(refs(result)).contains("asset:" + GATEWAY).anyMatch(ref -> ref.startsWith("finding:"));
            assertGrounded(result);
        }

        @Test
        void oneUsersWeaknessesAreTheirsAlone() {
            tenant.inventory(PostureFixture.organization());

            SkillResult result = tenant.run(new WeaknessesSkill(tenant.workspace), "user", "CORP\\alice");

            assertThat(result.markdown()).startsWith("Alice has 1 identity or configuration weakness: 1 administrator"
                    + " without MFA (alice).");
            assertThat(result.facts()).containsEntry("weaknesses", 1).containsEntry("user", "alice");
            assertGrounded(result);
        }

        @Test
        void aKnownExploitedCveCannotBeJudgedWithoutKnowledgeAndTheAnswerSaysHowToImportIt() {
            tenant.inventory(PostureFixture.organization());

            SkillResult result = tenant.run(new CveImpactSkill(tenant.workspace), "cve", CITRIX_BLEED);

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("Vigil knows nothing about " + CITRIX_BLEED + ": no"
                    + " vulnerability knowledge (CVE records, OSV entries, CISA KEV, EPSS) is imported");
            assertThat(result.markdown()).contains("`vigil vulns import known_exploited_vulnerabilities.json`");
            assertGrounded(result);
        }

        @Test
        void withoutInventoryThePostureSkillsAreEmptyAndSayWhatToImport() {
            for (SkillResult result : List.of(tenant.run(new PostureSummarySkill(tenant.workspace)),
                    tenant.run(new WeaknessesSkill(tenant.workspace)),
                    tenant.run(new AssetExposureSkill(tenant.workspace), "host", "gw01"),
                    tenant.run(new RemediationPlanSkill(tenant.workspace)))) {
                assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
                assertThat(result.markdown()).startsWith("Vigil cannot tell ")
                        .contains("tenant 'acme' has no inventory").contains("`vigil inventory import FILE`");
                assertGrounded(result);
            }
        }
    }
}
