package dev.vigil.intel.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The knowledge base over {@link TinyBundle}, in both STIX shapes: every test must pass for 2.0 and 2.1 alike. */
class AttackKnowledgeTest {

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void summarizesWhatTheBundleHeldAndWhatWasLeftOut(TinyBundle shape) {
        Summary summary = shape.read().summary();

        assertThat(summary.source()).isEqualTo(TinyBundle.SOURCE);
        assertThat(summary.specVersion()).isEqualTo(shape == TinyBundle.STIX_2_0 ? "2.0" : "2.1");
        assertThat(summary.attackVersion()).isEqualTo(shape == TinyBundle.STIX_2_0 ? "" : "18.1");
        assertThat(summary.techniques()).isEqualTo(3); // T1003, T1087, T1136
        assertThat(summary.subtechniques()).isEqualTo(4);
        assertThat(summary.tactics()).isEqualTo(2);
        assertThat(summary.groups()).isEqualTo(1);
        assertThat(summary.software()).isEqualTo(2);
        assertThat(summary.mitigations()).isEqualTo(2);
        assertThat(summary.campaigns()).isEqualTo(1);
        assertThat(summary.dataComponents()).isEqualTo(2);
        assertThat(summary.detectionStrategies()).isEqualTo(1);
        assertThat(summary.revoked()).isEqualTo(3);
        assertThat(summary.deprecated()).isEqualTo(2);
        assertThat(summary.warnings()).containsExactly(
                "attack-pattern attack-pattern--00000000-0000-4000-8000-00000000ca9e \"Phishing (CAPEC)\" has no "
                        + "ATT&CK id (an external reference with source_name mitre-attack and an external_id); left out",
                "uses relationship relationship--00000021-0000-4000-8000-000000000000 refers to "
                        + "attack-pattern--00000000-0000-4000-8000-0000000fffff, which the bundle lacks or left out; "
                        + "left out",
                "mitigates relationship relationship--00000023-0000-4000-8000-000000000000 from G0016 (APT29) to "
                        + "S0002 (Mimikatz) is not one ATT&CK defines; left out",
                "revoked-by relationship relationship--00000024-0000-4000-8000-000000000000 from "
                        + "T1087 (Account Discovery), which is not revoked; left out");
        assertThat(summary.skipped()).isEqualTo(4);
        // 24 relationships: one revoked, one from a revoked group, and the three above.
        assertThat(summary.relationships()).isEqualTo(19);
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void readsTechniquesWithTheirTacticsParentsAndPlatforms(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        Technique lsass = attack.technique("t1003.001").orElseThrow();
        assertThat(lsass).isEqualTo(new Technique("T1003.001", "attack-pattern--00000000-0000-4000-8000-000001003001",
                "LSASS Memory", "Adversaries may lsass memory.(Citation: Test)",
                List.of(new Technique.TacticRef("credential-access", "Credential Access")), List.of("Windows"), "",
                true, java.util.Optional.of("T1003"), "https://attack.mitre.org/techniques/T1003/001", false, false,
                java.util.Optional.empty()));
        assertThat(attack.technique("T1003.002").orElseThrow().parentId()).contains("T1003");
        assertThat(attack.subtechniquesOf("OS Credential Dumping")).extracting(Technique::id)
                .containsExactly("T1003.001");
        // A tactic the bundle lacks keeps its shortname as its name.
        assertThat(attack.technique("T1136").orElseThrow().tactics())
                .containsExactly(new Technique.TacticRef("persistence", "persistence"));
        assertThat(attack.techniquesOf("TA0006")).extracting(Technique::id)
                .containsExactly("T1003", "T1003.001", "T1003.002");
        assertThat(attack.tactics()).extracting(Tactic::id).containsExactly("TA0007", "TA0006");
        assertThat(attack.activeTechniques()).extracting(Technique::id).containsExactly("T1003", "T1003.001",
                "T1003.002", "T1087", "T1087.001", "T1136", "T1136.001");
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void theNewestVersionOfAnObjectWins(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        assertThat(attack.technique("T1087").map(Technique::name)).contains("Account Discovery");
        assertThat(attack.technique("T1087").orElseThrow().revokedBy()).isEmpty();
        assertThat(attack.technique("Account Enumeration")).isEmpty();
        assertThat(attack.all(Technique.class)).filteredOn(technique -> technique.id().equals("T1087")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void revokedObjectsResolveThroughChainsToTheirReplacement(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        Resolution<Technique> harvesting = attack.resolve(Technique.class, "T1998").orElseThrow();
        assertThat(harvesting.requested().revokedBy()).contains("T1999");
        assertThat(harvesting.current().id()).isEqualTo("T1003.001");
        assertThat(harvesting.replaced()).isTrue();
        assertThat(harvesting.note()).contains(
                "T1998 (Password Harvesting) was revoked by ATT&CK; it is now T1003.001 (LSASS Memory).");
        assertThat(attack.technique("Credential Scraping").map(Technique::id)).contains("T1003.001");
        assertThat(attack.group("UNC2452").map(Group::id)).contains("G0016");

        Resolution<Technique> active = attack.resolve(Technique.class, "T1003").orElseThrow();
        assertThat(active.replaced()).isFalse();
        assertThat(active.note()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void deprecatedObjectsStayReadableButOutOfActiveLists(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        Technique compressed = attack.technique("T1002").orElseThrow();
        assertThat(compressed.deprecated()).isTrue();
        assertThat(attack.resolve(Technique.class, "T1002").orElseThrow().note())
                .contains("T1002 (Data Compressed) is deprecated: ATT&CK no longer maintains it.");
        assertThat(attack.activeTechniques()).doesNotContain(compressed);
        assertThat(attack.group("APT29").orElseThrow().techniques()).doesNotContain("T1002");
        // The deprecated technique can still be asked about; the lists it gives name active objects.
        assertThat(attack.groupsUsing("T1002")).extracting(Group::id).containsExactly("G0016");

        Group nightDragon = attack.group("night dragon").orElseThrow();
        assertThat(nightDragon.techniques()).containsExactly("T1087");
        assertThat(attack.groupsUsing("T1087")).isEmpty();
        assertThat(attack.groups()).extracting(Group::id).containsExactly("G0016");
        assertThat(attack.all(Group.class)).extracting(Group::id).containsExactly("G0014", "G0016", "G0118");
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void findsGroupsAndSoftwareByAliasPreferringActiveObjects(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        Group apt29 = attack.group("cozy  BEAR").orElseThrow();
        assertThat(apt29.id()).isEqualTo("G0016");
        assertThat(attack.group("NOBELIUM")).contains(apt29); // also the revoked UNC2452's alias
        assertThat(apt29.aliases()).containsExactly("APT29", "Cozy Bear", "NOBELIUM");
        assertThat(apt29.techniques()).containsExactly("T1003.001");
        assertThat(apt29.software()).containsExactly("S0002");
        assertThat(attack.groupsUsing("LSASS Memory")).containsExactly(apt29);
        assertThat(attack.groupsUsingSoftware("mimikatz")).containsExactly(apt29);

        Software cobaltStrike = attack.software("CS").orElseThrow();
        assertThat(cobaltStrike.type()).isEqualTo(Software.Type.MALWARE);
        assertThat(cobaltStrike.platforms()).containsExactly("Windows", "Linux");
        assertThat(attack.software("S0002").map(Software::type)).contains(Software.Type.TOOL);
        assertThat(attack.softwareUsing("T1003.001")).extracting(Software::id).containsExactly("S0002");
        assertThat(attack.group("Fancy Bear")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void aSharedNameFindsNothingButListsItsCandidates(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        assertThat(attack.technique("Local Account")).isEmpty();
        assertThat(attack.candidates(Technique.class, "Local Account")).extracting(Technique::id)
                .containsExactly("T1087.001", "T1136.001");
        assertThat(attack.technique("Account Discovery: Local Account").map(Technique::id)).contains("T1087.001");
        assertThat(attack.techniqueNames())
                .doesNotContainKey("local account")
                .containsEntry("account discovery: local account", "T1087.001")
                .containsEntry("create account: local account", "T1136.001")
                .containsEntry("lsass memory", "T1003.001")
                .doesNotContainKey("data compressed");
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void linksMitigationsCampaignsAndTheirDescriptions(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        assertThat(attack.mitigationsOf("T1003.001")).extracting(Mitigation::id).containsExactly("M1026", "M1043");
        assertThat(attack.mitigationsOf("T1003")).extracting(Mitigation::id).containsExactly("M1026");
        assertThat(attack.mitigationsCovering(List.of("T1003", "T1003.001", "T9999")))
                .extracting(coverage -> coverage.mitigation().id() + "=" + coverage.techniques())
                .containsExactly("M1026=[T1003, T1003.001]", "M1043=[T1003.001]");

        Mitigation protection = attack.mitigation("credential access protection").orElseThrow();
        Technique lsass = attack.technique("T1003.001").orElseThrow();
        assertThat(attack.relationshipDescription(protection, lsass)).contains("Enable Credential Guard.");
        Group apt29 = attack.group("APT29").orElseThrow();
        assertThat(attack.relationshipDescription(apt29, lsass).map(AttackKnowledge::plainText))
                .contains("APT29 dumped LSASS memory.");
        assertThat(attack.relationshipDescription(lsass, apt29)).isEmpty();

        Campaign solarWinds = attack.campaign("C0024").orElseThrow();
        assertThat(solarWinds.groups()).containsExactly("G0016");
        assertThat(solarWinds.techniques()).containsExactly("T1003.001");
        assertThat(solarWinds.firstSeen()).contains(Instant.parse("2019-08-01T05:00:00Z"));
        assertThat(attack.campaignsOf("Cozy Bear")).containsExactly(solarWinds);
        assertThat(attack.campaignsUsing("T1003.001")).containsExactly(solarWinds);
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void gathersDetectionFromStrategiesAndFromDataComponents(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        Detection lsass = attack.detectionOf("T1003.001").orElseThrow();
        assertThat(lsass.strategies()).extracting(DetectionStrategy::id).containsExactly("DET0001");
        DetectionStrategy.Analytic analytic = lsass.strategies().getFirst().analytics().getFirst();
        assertThat(analytic.id()).isEqualTo("AN0001");
        assertThat(analytic.logSources()).containsExactly(new DetectionStrategy.LogSourceReference("DC0035",
                new DataComponent.LogSource("WinEventLog:Sysmon", "EventCode=10")));
        assertThat(lsass.dataComponents()).extracting(DataComponent::id).containsExactly("DC0035");
        assertThat(lsass.dataComponents().getFirst().dataSource()).isEqualTo("Process");

        Detection dumping = attack.detectionOf("T1003").orElseThrow();
        assertThat(dumping.strategies()).isEmpty();
        assertThat(dumping.dataComponents()).extracting(DataComponent::id).containsExactly("DC0021");
        assertThat(attack.detectionOf("T1087").orElseThrow().isEmpty()).isTrue();
        assertThat(attack.detectionOf("T9999")).isEmpty();
        assertThat(attack.detectionStrategy("DET0001").orElseThrow().techniques()).containsExactly("T1003.001");
    }

    @ParameterizedTest
    @EnumSource(TinyBundle.class)
    void searchRanksByNameAndDescription(TinyBundle shape) {
        AttackKnowledge attack = shape.read();

        assertThat(attack.search("dump LSASS memory", 2)).extracting(hit -> hit.object().id())
                .startsWith("T1003.001");
        assertThat(attack.search("Russia SVR", 5)).extracting(hit -> hit.object().id()).containsExactly("G0016");
        assertThat(attack.search("post-exploitation framework", 5)).extracting(hit -> hit.object().id())
                .containsExactly("S0154");
        assertThat(attack.search("privileged", 5)).isEmpty(); // mitigations only when asked for
        assertThat(attack.search("privileged accounts", 5, Set.of(Mitigation.class)))
                .extracting(hit -> hit.object().id()).containsExactly("M1026");
        assertThat(attack.search("credential scraping", 5)).extracting(hit -> hit.object().id())
                .doesNotContain("T1999"); // revoked objects are not searched
        assertThat(attack.search("the of and", 5)).isEmpty();
        assertThat(attack.search("lsass", 0)).isEmpty();
        assertThatThrownBy(() -> attack.search("lsass", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
