package dev.vigil.report.svg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class AttackHeatmapTest {
    /** Two tactics in matrix order (Discovery first), three techniques and two sub-techniques. */
    private static final AttackKnowledge ATTACK = AttackBundle.read(new ByteArrayInputStream("""
            {"type": "bundle", "id": "bundle--1", "spec_version": "2.0", "objects": [
             {"type": "x-mitre-matrix", "id": "x-mitre-matrix--1", "name": "Enterprise ATT&CK",
              "tactic_refs": ["x-mitre-tactic--7", "x-mitre-tactic--6"],
              "external_references": [{"source_name": "mitre-attack", "external_id": "enterprise-attack"}]},
             %s, %s, %s, %s, %s, %s, %s]}""".formatted(
                    tactic("6", "TA0006", "Credential Access", "credential-access"),
                    tactic("7", "TA0007", "Discovery", "discovery"),
                    technique("1003", "T1003", "OS Credential Dumping", "credential-access", false),
                    technique("1003001", "T1003.001", "LSASS Memory", "credential-access", true),
                    technique("1110", "T1110", "Brute Force", "credential-access", false),
                    technique("1087", "T1087", "Account Discovery", "discovery", false),
                    technique("1087001", "T1087.001", "Local Account", "discovery", true))
            .getBytes(StandardCharsets.UTF_8)), "test-attack.json");

    private static String tactic(String number, String id, String name, String shortname) {
        return """
                {"type": "x-mitre-tactic", "id": "x-mitre-tactic--%s", "name": "%s", "x_mitre_shortname": "%s",
                 "external_references": [{"source_name": "mitre-attack", "external_id": "%s"}]}"""
                .formatted(number, name, shortname, id);
    }

    private static String technique(String number, String id, String name, String tactic, boolean sub) {
        return """
                {"type": "attack-pattern", "id": "attack-pattern--%s", "name": "%s",
                 "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "%s"}],
                 "x_mitre_is_subtechnique": %s,
                 "external_references": [{"source_name": "mitre-attack", "external_id": "%s"}]}"""
                .formatted(number, name, tactic, sub, id);
    }

    @Test
    void theMatrixFollowsTheKillChainAndSubTechniquesCountTowardsTheirTechnique() {
        AttackMatrix matrix = AttackMatrix.of("Coverage", ATTACK,
                Map.of("T1003", 1, "t1003.001", 2, "T1087.001", 1, "T9999", 5), AttackMatrix.Scope.ALL);

        assertThat(matrix.columns()).extracting(AttackMatrix.Column::tactic)
                .containsExactly("Discovery", "Credential Access");
        assertThat(matrix.columns().get(1).cells()).containsExactly(
                new AttackMatrix.Cell("T1110", "Brute Force", 0),
                new AttackMatrix.Cell("T1003", "OS Credential Dumping", 3));
        assertThat(matrix.columns().get(0).cells())
                .containsExactly(new AttackMatrix.Cell("T1087", "Account Discovery", 1));
        assertThat(matrix.cellsWithValue()).isEqualTo(2);
    }

    @Test
    void aCompactMatrixKeepsOnlyTechniquesWithAValueButEveryTactic() {
        AttackMatrix matrix = AttackMatrix.of("Alerts", ATTACK, Map.of("T1110", 4.0), AttackMatrix.Scope.WITH_VALUE);

        assertThat(matrix.columns()).extracting(c -> c.cells().size()).containsExactly(0, 1);
    }

    @Test
    void cellsAreShadedByValueAndUncoveredOnesStandOutAsNone() {
        AttackMatrix matrix = AttackMatrix.of("ATT&CK coverage of enabled detections", ATTACK,
                Map.of("T1003", 4, "T1087", 1), AttackMatrix.Scope.ALL);
        String svg = AttackHeatmap.render(matrix);

        SvgDocument document = SvgDocument.parse(svg);
        assertThat(document.root().getAttribute("aria-label")).isEqualTo("ATT&CK coverage of enabled detections");
        assertThat(document.texts()).containsSubsequence("Discovery", "1 of 1", "T1087", "1", "Account Discovery",
                "Credential Access", "1 of 2", "T1110", "Brute Force", "T1003", "4", "OS Credential Dumpi…");
        assertThat(cell(document, "T1003").getAttribute("fill")).isEqualTo(Svg.HEAT.getLast());
        assertThat(Svg.HEAT.indexOf(cell(document, "T1087").getAttribute("fill"))).isBetween(0, 1);
        assertThat(cell(document, "T1110").getAttribute("fill")).isEqualTo(Svg.NONE_FILL);
        // counts get whole-number ranges: 1 alone, up to 4 alone, and no step that no count can take
        assertThat(document.texts()).endsWith("none", "1", "2", "3", "4");
        assertThat(document.all("desc").getFirst().getTextContent())
                .contains("Credential Access: 1 of 2 with a value (T1003 4)");
        assertThat(AttackHeatmap.render(matrix)).isEqualTo(svg);
    }

    private static Element cell(SvgDocument document, String techniqueId) {
        return document.all("title").stream().filter(t -> t.getTextContent().startsWith(techniqueId + " "))
                .findFirst().map(t -> (Element) t.getNextSibling())
                .orElseThrow(() -> new AssertionError("no cell " + techniqueId));
    }

    @Test
    void longNamesAreCutAndHostileNamesEscaped() {
        String name = "<img src=x onerror=alert(1)> Exploitation for Privilege Escalation of Something Very Long";
        AttackMatrix matrix = new AttackMatrix("\"Coverage\" & <gaps>", List.of(new AttackMatrix.Column(
                "Privilege Escalation & \"Friends\"", List.of(new AttackMatrix.Cell("T1068", name, 2)))));

        String svg = AttackHeatmap.render(matrix);
        SvgDocument document = SvgDocument.parse(svg);
        assertThat(svg).doesNotContain("<img");
        assertThat(document.texts()).anyMatch(t -> t.startsWith("<img src=x") && t.endsWith("…"));
        assertThat(document.tooltips()).anyMatch(t -> t.contains(name));
        assertThat(document.root().getAttribute("aria-label")).isEqualTo("\"Coverage\" & <gaps>");
    }

    @Test
    void anEmptyMatrixSaysNoData() {
        SvgDocument document = SvgDocument.parse(AttackHeatmap.render(new AttackMatrix("Coverage", List.of())));

        assertThat(document.texts()).containsExactly("Coverage", "No data");
        SvgDocument allZero = SvgDocument.parse(AttackHeatmap.render(AttackMatrix.of("Coverage", ATTACK, Map.of(),
                AttackMatrix.Scope.ALL)));
        assertThat(allZero.texts()).contains("none", "0 of 2");
    }
}
