package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import dev.vigil.ingest.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** ATT&CK knowledge on the command line, over MITRE's real bundle: import, explain, profile, search, extract. */
@DisplayName("ATT&CK knowledge on the command line")
class KnowledgeCliTest {

    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void importAttackAndRules() {
        Path bundle = SharedData.require("mitre-attack", "https://github.com/mitre/cti")
                .resolve("enterprise-attack.json");
        data = dir.resolve("data");
        Run imported = vigil(data, "intel", "import", bundle.toString(), "--json");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("691");
        Run rules = vigil(data, "rules", "import", "--builtin");
        assertThat(rules.exit()).as(rules.err()).isZero();
    }

    @Test
    void a_technique_is_explained_with_our_rules_that_detect_it() {
        Run run = vigil(data, "intel", "technique", "T1003.001", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("name").asString()).isEqualTo("LSASS Memory");
        assertThat(json.get("tactics").toString()).contains("Credential Access");
        assertThat(json.get("mitigations").size()).isPositive();
        assertThat(json.get("our_rules").toString()).contains("Process Opens LSASS Memory for Reading");
    }

    @Test
    void a_technique_is_found_by_name_too_and_a_wrong_one_gets_suggestions() {
        assertThat(vigil(data, "intel", "technique", "LSASS", "Memory").out()).startsWith("T1003.001 LSASS Memory");
        Run wrong = vigil(data, "intel", "technique", "lsass", "dumping");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.err()).contains("closest").contains("T1003");
    }

    @Test
    void an_actor_is_found_by_alias_and_profiled_with_our_coverage() {
        Run run = vigil(data, "intel", "actor", "Cozy", "Bear", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("id").asString()).isEqualTo("G0016");
        assertThat(json.get("techniques").size()).isGreaterThan(20);
        int covered = json.get("techniques_detected_here").size();
        int uncovered = json.get("techniques_not_detected_here").size();
        assertThat(covered + uncovered).isEqualTo(json.get("techniques").size());
    }

    @Test
    void search_ranks_by_meaning_of_the_words() {
        Run run = vigil(data, "intel", "search", "dump", "credentials", "from", "lsass", "memory", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> ids = new ArrayList<>();
        run.json().forEach(hit -> ids.add(hit.get("id").asString()));
        assertThat(ids.subList(0, 3)).contains("T1003.001");
    }

    @Test
    void a_report_yields_its_defanged_indicators_cves_and_named_techniques() throws IOException {
        Path report = Files.writeString(dir.resolve("report.txt"), """
                The actor staged payloads at hxxps://cdn-update[.]example[.]org/a.ps1 and beaconed to 203.0.113[.]7.
                It exploited CVE-2024-3400, then used LSASS Memory dumping (see also T1059.001).
                """);
        Run run = vigil(data, "intel", "extract", report.toString(), "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("url").toString()).contains("https://cdn-update.example.org/a.ps1");
        assertThat(json.get("ipv4").toString()).contains("203.0.113.7");
        assertThat(json.get("cve").toString()).contains("CVE-2024-3400");
        assertThat(json.get("attack_technique").toString()).contains("T1003.001").contains("T1059.001");
    }
}
