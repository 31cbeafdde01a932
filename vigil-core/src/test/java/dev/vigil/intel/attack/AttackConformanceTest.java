package dev.vigil.intel.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ATT&amp;CK v18.1 enterprise bundle from the shared data folder (a STIX 2.0 copy of mitre/cti): it imports whole,
 * with the counts ATT&amp;CK publishes, and the look-ups, relationships and search answer as the ATT&amp;CK website does.
 *
 * <p>Published v18.1 figures: 216 techniques and 475 sub-techniques. The bundle has 187 intrusion sets, of which 6
 * are revoked and 9 deprecated, leaving 172 active groups, the figure attack.mitre.org shows.
 */
class AttackConformanceTest {
    private static AttackKnowledge attack;

    @BeforeAll
    static void load() {
        Path bundle = SharedData.require("mitre-attack", "https://github.com/mitre/cti")
                .resolve("enterprise-attack.json");
        Runtime runtime = Runtime.getRuntime();
        long before = usedHeapAfterGc(runtime);
        long start = System.nanoTime();
        attack = AttackBundle.read(bundle);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long retained = usedHeapAfterGc(runtime) - before;
        // A figure to watch, not a bound to assert: timings and heap vary with the JVM and the machine.
        System.out.printf(Locale.ROOT, "ATT&CK %s: loaded in %d ms (first load in this JVM), retains %.1f MB of "
                + "heap; %s%n", bundle.getFileName(), millis, retained / 1e6, attack);
    }

    private static long usedHeapAfterGc(Runtime runtime) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void importsTheWholeMatrixWithThePublishedCounts() {
        Summary summary = attack.summary();

        assertThat(summary.specVersion()).isEqualTo("2.0");
        assertThat(summary.objects()).isEqualTo(24_771);
        assertThat(attack.activeTechniques()).hasSize(691);
        assertThat(summary.techniques()).isEqualTo(216);
        assertThat(summary.subtechniques()).isEqualTo(475);
        assertThat(summary.tactics()).isEqualTo(14);
        assertThat(attack.all(Group.class)).hasSize(187);
        assertThat(attack.groups()).hasSize(172);
        assertThat(summary.groups()).isEqualTo(172);
        assertThat(attack.all(Technique.class)).hasSize(835);
        assertThat(attack.all(Software.class)).hasSize(696 + 91);
        assertThat(attack.all(Mitigation.class)).hasSize(268);
        assertThat(summary.mitigations()).isEqualTo(268 - 224);
        assertThat(summary.campaigns()).isEqualTo(52);
        assertThat(summary.detectionStrategies()).isEqualTo(691);
        assertThat(summary.dataComponents()).isEqualTo(109 - 3);
        assertThat(summary.skipped()).as("left out: %s", summary.warnings()).isZero();
        // All but one: T1574.002 was revoked, so its subtechnique-of relationship is stale.
        assertThat(summary.relationships()).isEqualTo(20_048 - 1);
    }

    @Test
    void findsTechniquesByIdAndByName() {
        Technique dumping = attack.technique("T1003").orElseThrow();

        assertThat(dumping.name()).isEqualTo("OS Credential Dumping");
        assertThat(dumping.isSubtechnique()).isFalse();
        assertThat(dumping.tactics()).containsExactly(new Technique.TacticRef("credential-access", "Credential Access"));
        assertThat(dumping.url()).isEqualTo("https://attack.mitre.org/techniques/T1003");
        assertThat(attack.technique("t1003")).contains(dumping);
        assertThat(attack.technique("os credential dumping")).contains(dumping);

        Technique lsass = attack.technique("T1003.001").orElseThrow();
        assertThat(lsass.name()).isEqualTo("LSASS Memory");
        assertThat(lsass.parentId()).contains("T1003");
        assertThat(lsass.platforms()).containsExactly("Windows");
        assertThat(attack.technique("LSASS Memory")).contains(lsass);
        assertThat(attack.technique("OS Credential Dumping: LSASS Memory")).contains(lsass);
        assertThat(attack.subtechniquesOf("T1003")).extracting(Technique::id).containsExactly("T1003.001",
                "T1003.002", "T1003.003", "T1003.004", "T1003.005", "T1003.006", "T1003.007", "T1003.008");
    }

    @Test
    void everyActiveSubtechniqueHasAnActiveParentOfTheSameNumber() {
        List<Technique> subtechniques = attack.activeTechniques().stream().filter(Technique::isSubtechnique).toList();

        assertThat(subtechniques).hasSize(475).allSatisfy(subtechnique -> {
            Technique parent = attack.technique(subtechnique.parentId().orElseThrow()).orElseThrow();
            assertThat(parent.active()).isTrue();
            assertThat(subtechnique.id()).startsWith(parent.id() + ".");
            assertThat(attack.subtechniquesOf(parent.id())).contains(subtechnique);
        });
    }

    @Test
    void findsGroupsByAliasAndProfilesThem() {
        Group apt29 = attack.group("Cozy Bear").orElseThrow();

        assertThat(apt29.id()).isEqualTo("G0016");
        assertThat(apt29.name()).isEqualTo("APT29");
        assertThat(apt29.aliases()).contains("APT29", "NOBELIUM", "Midnight Blizzard");
        assertThat(attack.group("midnight blizzard")).contains(apt29);
        assertThat(attack.group("G0016")).contains(apt29);
        // NOBELIUM is also an alias of the revoked UNC2452: the active group wins.
        assertThat(attack.group("NOBELIUM")).contains(apt29);
        assertThat(apt29.techniques()).contains("T1003.002", "T1078.004").hasSizeGreaterThan(50);
        assertThat(apt29.software()).contains("S0002"); // Mimikatz
        assertThat(attack.groupsUsing("T1003.002")).contains(apt29);
        assertThat(attack.groupsUsingSoftware("Mimikatz")).contains(apt29);
        assertThat(attack.relationshipDescription(apt29, attack.technique("T1003.002").orElseThrow()))
                .hasValueSatisfying(procedure -> assertThat(procedure).contains("APT29"));
        assertThat(attack.campaignsOf("APT29")).extracting(Campaign::id).contains("C0024"); // SolarWinds Compromise
        assertThat(attack.mitigationsCovering(apt29.techniques())).first()
                .satisfies(best -> assertThat(best.techniques()).hasSizeGreaterThan(10));
    }

    @Test
    void mitigationsAndDetectionOfLsassMemory() {
        List<Mitigation> mitigations = attack.mitigationsOf("T1003.001");

        assertThat(mitigations).isNotEmpty().extracting(Mitigation::id).contains("M1043", "M1026");
        assertThat(mitigations).allMatch(AttackObject::active);
        assertThat(attack.mitigation("M1043").orElseThrow().techniques()).contains("T1003.001");

        Detection detection = attack.detectionOf("T1003.001").orElseThrow();
        assertThat(detection.strategies()).isNotEmpty();
        assertThat(detection.strategies().getFirst().analytics()).isNotEmpty();
        assertThat(detection.dataComponents()).extracting(DataComponent::name).contains("Process Access");
    }

    @Test
    void revokedObjectsResolveToTheirReplacement() {
        Resolution<Technique> hiddenWindow = attack.resolve(Technique.class, "T1143").orElseThrow();

        assertThat(hiddenWindow.requested().revoked()).isTrue();
        assertThat(hiddenWindow.requested().revokedBy()).contains("T1564.003");
        assertThat(hiddenWindow.current().id()).isEqualTo("T1564.003");
        assertThat(hiddenWindow.note()).contains(
                "T1143 (Hidden Window) was revoked by ATT&CK; it is now T1564.003 (Hidden Window).");
        assertThat(attack.technique("T1143").map(Technique::id)).contains("T1564.003");
        // Two steps: T1150 was revoked by T1547.011, which was itself revoked by T1647.
        assertThat(attack.resolve(Technique.class, "T1150").orElseThrow().requested().revokedBy())
                .contains("T1547.011");
        assertThat(attack.technique("T1150").map(Technique::id)).contains("T1647");
        assertThat(attack.group("UNC2452").map(Group::id)).contains("G0016");
        assertThat(attack.resolve(Group.class, "Night Dragon").orElseThrow().note())
                .contains("G0014 (Night Dragon) is deprecated: ATT&CK no longer maintains it.");
    }

    @Test
    void searchRanksTheTechniqueADescriptionMeans() {
        List<SearchHit> hits = attack.search("dump credentials from lsass memory", 3);

        assertThat(hits).extracting(hit -> hit.object().id()).contains("T1003.001");
        assertThat(attack.search("Kerberos ticket forging golden ticket", 3)).extracting(hit -> hit.object().id())
                .contains("T1558.001");
        assertThat(attack.search("Russia's Foreign Intelligence Service (SVR)", 1))
                .extracting(hit -> hit.object().id()).containsExactly("G0016");
        assertThat(attack.search("Cozy Bear", 1)).extracting(hit -> hit.object().id()).containsExactly("G0016");
        assertThat(attack.search("credential access protection", 3, Set.of(Mitigation.class)))
                .extracting(hit -> hit.object().id()).contains("M1043");
    }

    @Test
    void techniqueNamesLeadFromProseToIds() {
        assertThat(attack.techniqueNames())
                .containsEntry("lsass memory", "T1003.001")
                .containsEntry("os credential dumping: lsass memory", "T1003.001")
                .containsEntry("os credential dumping", "T1003")
                .doesNotContainKey("cloud accounts") // three sub-techniques share it
                .containsEntry("valid accounts: cloud accounts", "T1078.004");
        assertThat(attack.techniqueNames().values()).hasSameElementsAs(
                attack.activeTechniques().stream().map(Technique::id).toList());
    }

    @Test
    void tacticsInMatrixOrder() {
        assertThat(attack.tactics()).extracting(Tactic::shortname).startsWith("reconnaissance", "resource-development",
                "initial-access").endsWith("impact");
        assertThat(attack.tactic("credential-access").map(Tactic::id)).contains("TA0006");
        assertThat(attack.techniquesOf("Credential Access")).extracting(Technique::id).contains("T1003", "T1003.001");
    }
}
