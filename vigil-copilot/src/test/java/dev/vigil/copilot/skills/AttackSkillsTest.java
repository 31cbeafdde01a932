package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Grounding.assertGrounded;
import static dev.vigil.copilot.skills.IndicatorReputationSkillTest.refs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.SkillResult;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Group;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code actor-profile} and {@code technique-explainer} over the real MITRE ATT&CK bundle and a small tenant. */
@DisplayName("ATT&CK skills")
class AttackSkillsTest {

    @Nested
    @DisplayName("with ATT&CK imported")
    class WithAttack {
        SkillTenant tenant;
        AttackKnowledge attack;

        @BeforeEach
        void open() {
            SkillTenant.requireAttack();
            tenant = SkillTenant.withKnowledge();
            attack = tenant.workspace.attack().orElseThrow();
        }

        @AfterEach
        void close() {
            tenant.close();
        }

        @Test
        void aRealActorFoundByAliasIsProfiledWithTheTechniquesSeenHereAsAHypothesis() {
            Group apt29 = attack.group("G0016").orElseThrow();
            assertThat(apt29.techniques()).contains("T1078");
            Event logon = tenant.event("SigninLogs", "dc01", "svc-backup", "sign-in by svc-backup from 81.2.69.142");
            Alert alert = tenant.alert(logon, "valid-accounts-anomaly", "Valid account used from a new country",
                    List.of("T1078"), Map.of("user", "svc-backup"));
            tenant.rule("Valid account anomaly", "attack.initial_access", "attack.t1078");

            SkillResult result = tenant.run(new ActorProfileSkill(tenant.workspace), "actor", "Cozy Bear");

            assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
            assertThat(result.markdown()).startsWith("APT29 (G0016), also known as Cozy Bear, ")
                    .contains("is a threat group that the imported ATT&CK bundle links to "
                            + apt29.techniques().size() + " techniques")
                    .contains("1 of those techniques appears in the alerts of tenant '" + tenant.tenant + "': T1078"
                            + " (Valid Accounts, 1 alert)")
                    .contains("Treat this as a hypothesis to test, not attribution")
                    .contains("the enabled rules of the tenant detect 1 of its");
            assertThat(result.facts()).containsEntry("actor", "G0016").containsEntry("actor_name", "APT29")
                    .containsEntry("techniques", apt29.techniques().size())
                    .containsEntry("seen_techniques", List.of("T1078")).containsEntry("covered_techniques", 1);
            assertThat(result.facts().get("aliases")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(String.class)).contains("Cozy Bear");
            assertThat(refs(result)).contains("attack:G0016", "attack:T1078", "alert:" + alert.id(), "query:0");
            assertThat(result.queries().get(0).text()).as("the query the technique's evidence cites reads the alerts")
                    .isEqualTo(TechniqueActivity.ALERTS_SQL);
            assertThat(result.tables().get(0).rows().get(0)).startsWith("T1078", "Valid Accounts");
            assertThat(result.subjects()).extracting(Object::toString).startsWith("actor:G0016", "technique:T1078");
            assertThat(result.queries()).extracting(q -> q.language()).containsExactly("sql", "sql", "incidents");
            assertGrounded(result);
        }

        @Test
        void anActorAtckDoesNotTrackIsEmptyAndSaysWhatWasSearched() {
            SkillResult result = tenant.run(new ActorProfileSkill(tenant.workspace), "actor", "Quiet Walrus Collective");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).startsWith("The imported ATT&CK bundle has no group with the id, name or"
                    + " alias 'Quiet Walrus Collective', so Vigil has no profile of it")
                    .contains("Searched: the groups, names and aliases");
            assertGrounded(result);
        }

        @Test
        void aSubTechniqueIsExplainedWithItsTacticsMitigationsGroupsAndTheTenantsCoverage() {
            tenant.rule("LSASS dump with procdump", "attack.credential_access", "attack.t1003.001");
            Event dump = tenant.event("SecurityEvent", "ws5", "alice", "procdump.exe -ma lsass.exe out.dmp");
            tenant.alert(dump, "rule-lsass", "LSASS dump with procdump", List.of("T1003.001"), Map.of());

            SkillResult result = tenant.run(new TechniqueExplainerSkill(tenant.workspace), "technique", "T1003.001");

            assertThat(result.markdown()).startsWith("T1003.001 (LSASS Memory) is a Credential Access sub-technique"
                    + " of T1003 (OS Credential Dumping). Adversaries may attempt to access credential material");
            assertThat(result.markdown()).contains("In tenant '" + tenant.tenant + "', 1 enabled rule detects it"
                    + " ('LSASS dump with procdump'), and 1 alert names it.").contains("Mitigations: M");
            assertThat(result.facts()).containsEntry("technique", "T1003.001").containsEntry("name", "LSASS Memory")
                    .containsEntry("tactics", List.of("Credential Access")).containsEntry("rules", 1)
                    .containsEntry("alerts", 1L).containsEntry("covered", true);
            assertThat((Integer) result.facts().get("groups")).isPositive();
            assertThat(refs(result)).contains("attack:T1003.001").anyMatch(ref -> ref.startsWith("attack:M"))
                    .anyMatch(ref -> ref.startsWith("alert:"));
            assertGrounded(result);
        }

        @Test
        void aTechniqueNamedInWordsWithoutCoverageSaysSoPlainly() {
            SkillResult result = tenant.run(new TechniqueExplainerSkill(tenant.workspace), "technique",
                    "OS Credential Dumping");

            assertThat(result.facts()).containsEntry("technique", "T1003").containsEntry("covered", false);
            assertThat(result.markdown()).contains("no enabled rule is tagged with it (the tenant has no enabled"
                    + " rules: import some with `vigil rules import`), and no alert names it.");
            assertThat((Integer) result.facts().get("subtechniques")).isGreaterThanOrEqualTo(8);
            assertGrounded(result);
        }

        @Test
        void aTacticIsExplainedWithItsTechniques() {
            SkillResult result = tenant.run(new TechniqueExplainerSkill(tenant.workspace), "technique",
                    "Lateral Movement");

            assertThat(result.markdown()).startsWith("TA0008 (Lateral Movement) is an ATT&CK tactic");
            assertThat(result.facts()).containsEntry("tactic", "TA0008").containsEntry("covered_techniques", 0);
            assertGrounded(result);
        }

        @Test
        void anUnknownTechniqueIsEmptyWithTheClosestOnes() {
            SkillResult result = tenant.run(new TechniqueExplainerSkill(tenant.workspace), "technique",
                    "T1999.999");

            assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
            assertThat(result.markdown()).contains("has no technique or tactic with the id or name 'T1999.999'");
            assertGrounded(result);
        }
    }

    @Nested
    @DisplayName("without ATT&CK")
    class WithoutAttack {
        @TempDir
        Path data;

        @Test
        void bothSkillsFailAndSayHowToImportAttack() {
            try (SkillTenant tenant = SkillTenant.bare(data)) {
                for (SkillResult result : List.of(
                        tenant.run(new ActorProfileSkill(tenant.workspace), "actor", "APT29"),
                        tenant.run(new TechniqueExplainerSkill(tenant.workspace), "technique", "T1003"))) {
                    assertThat(result.status()).isEqualTo(SkillResult.Status.FAILED);
                    assertThat(result.markdown()).startsWith("Vigil cannot ")
                            .contains("no MITRE ATT&CK knowledge is imported")
                            .contains("`vigil intel import enterprise-attack.json`");
                    assertThat(result.facts()).containsEntry("missing_knowledge", "attack");
                    assertGrounded(result);
                }
            }
        }
    }
}
