package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bench.DetectionQuality.FiredRule;
import dev.vigil.bench.DetectionQuality.TechniqueMatch;
import dev.vigil.bench.DetectionQuality.TechniqueResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DetectionQualityTest {

    @ParameterizedTest(name = "label {0}, alert {1}: {2}")
    @CsvSource({
            "T1003.001, T1003.001, EXACT",
            "T1003,     T1003,     EXACT",
            "t1003.001, ' T1003.001 ', EXACT",
            // the alert's technique is narrower than the label: it implies the label
            "T1003,     T1003.001, SUB_TECHNIQUE",
            "T1055,     T1055.012, SUB_TECHNIQUE",
            // the alert names only the label's parent, or a sibling sub-technique
            "T1003.001, T1003,     PARENT",
            "T1003.002, T1003.001, PARENT",
            // different techniques, however close their numbers
            "T1003,     T1004,     NONE",
            "T1003.001, T1004.001, NONE",
            "T1003,     T10030,    NONE",
            "T1562.002, T1685.001, NONE",
    })
    void matchesTechniques(String labelled, String alerted, TechniqueMatch expected) {
        assertThat(DetectionQuality.match(labelled, alerted)).isEqualTo(expected);
    }

    @Test
    void foundCountsExactAndSubTechniqueMatchesAndParentLevelAddsParentMatches() {
        assertThat(TechniqueMatch.EXACT.found()).isTrue();
        assertThat(TechniqueMatch.SUB_TECHNIQUE.found()).isTrue();
        assertThat(TechniqueMatch.PARENT.found()).isFalse();
        assertThat(TechniqueMatch.NONE.found()).isFalse();
        assertThat(TechniqueMatch.PARENT.foundAtParent()).isTrue();
        assertThat(TechniqueMatch.NONE.foundAtParent()).isFalse();
    }

    @Test
    void bestMatchTakesTheClosestOfTheAlertsTechniques() {
        assertThat(DetectionQuality.bestMatch("T1003.002", List.of("T1059.001", "T1003.001", "T1003.002")))
                .isEqualTo(TechniqueMatch.EXACT);
        assertThat(DetectionQuality.bestMatch("T1003", List.of("T1003.001", "T1059")))
                .isEqualTo(TechniqueMatch.SUB_TECHNIQUE);
        assertThat(DetectionQuality.bestMatch("T1003.002", List.of("T1059", "T1003"))).isEqualTo(TechniqueMatch.PARENT);
        assertThat(DetectionQuality.bestMatch("T1003", List.of("T1059"))).isEqualTo(TechniqueMatch.NONE);
        assertThat(DetectionQuality.bestMatch("T1003", List.of())).isEqualTo(TechniqueMatch.NONE);
    }

    @Test
    void anAlertIsBackgroundWhenItSharesNotEvenTheParentWithAnyLabel() {
        List<String> labels = List.of("T1003.002", "T1021.006");
        assertThat(DetectionQuality.isBackground(List.of("T1003.001"), labels)).isFalse();
        assertThat(DetectionQuality.isBackground(List.of("T1059.001", "T1021.006"), labels)).isFalse();
        assertThat(DetectionQuality.isBackground(List.of("T1059.001", "T1531"), labels)).isTrue();
        assertThat(DetectionQuality.isBackground(List.of(), labels)).as("a rule without ATT&CK tags").isTrue();
    }

    @Test
    void aLabelIsCreditedToTheRulesBehindItsBestMatchMostAlertsFirst() {
        List<FiredRule> fired = List.of(
                new FiredRule("logoff", "User Logoff Event", List.of("T1531"), 40, true),
                new FiredRule("lsass-access", "LSASS Access", List.of("T1003.001"), 30, false),
                new FiredRule("mimikatz", "HackTool - Mimikatz Execution", List.of("T1003.001", "T1003.002"), 4, false),
                new FiredRule("sam-copy", "SAM Copy", List.of("T1003.002"), 2, false),
                new FiredRule("credential-dump", "Credential Dumping", List.of("T1003"), 1, false));

        assertThat(DetectionQuality.techniqueResult("T1003.002", fired, 28))
                .isEqualTo(new TechniqueResult("T1003.002", TechniqueMatch.EXACT, "T1003.002",
                        List.of("mimikatz", "sam-copy"), 28));
        assertThat(DetectionQuality.techniqueResult("T1003", fired, 90))
                .isEqualTo(new TechniqueResult("T1003", TechniqueMatch.EXACT, "T1003", List.of("credential-dump"), 90));
        assertThat(DetectionQuality.techniqueResult("T1003.003", fired, 24))
                .as("the parent T1003 and the siblings .001 and .002 all match at parent level")
                .isEqualTo(new TechniqueResult("T1003.003", TechniqueMatch.PARENT, "T1003.001",
                        List.of("lsass-access", "mimikatz", "sam-copy"), 24));
        assertThat(DetectionQuality.techniqueResult("T1135", fired, 7))
                .isEqualTo(new TechniqueResult("T1135", TechniqueMatch.NONE, "", List.of(), 7));

        List<FiredRule> narrower = List.of(new FiredRule("lsass-access", "LSASS", List.of("T1003.001"), 3, false));
        assertThat(DetectionQuality.techniqueResult("T1003", narrower, 90).match())
                .isEqualTo(TechniqueMatch.SUB_TECHNIQUE);
    }

    @Test
    void metadataLabelsJoinTechniqueAndSubTechniqueAndDropThePlaceholder() {
        List<Map<String, Object>> mappings = List.of(
                Map.of("technique", "T1110 ", "sub-technique", "003"),
                Map.of("technique", "T1135"),
                Map.of("technique", "t1003", "sub-technique", 1),
                Map.of("technique", "T1110", "sub-technique", "003"),
                Map.of("technique", "T0000"));
        assertThat(DetectionQuality.Catalogue.techniques(mappings)).containsExactly("T1110.003", "T1135", "T1003.001");
        assertThat(DetectionQuality.Catalogue.techniques(null)).isEmpty();
    }
}
