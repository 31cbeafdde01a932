package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.InventoryFiles;
import dev.vigil.posture.inventory.InventoryImport;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * CISA's real KEV catalog ({@code ../shared/data/cisa-kev}) with hand-written CVE JSON 5 / OSV records of real KEV
 * CVEs (test resources, labelled there) over a hand-built inventory of real product versions: known-exploited
 * findings come out with CISA's due dates and required actions, and fixed versions produce none.
 */
@DisplayName("Posture over the real KEV catalog")
class RealKevPostureTest {
    private static final Instant NOW = Instant.parse("2025-08-26T00:00:00Z");
    private static PostureReport report;

    @BeforeAll
    static void analyze() throws IOException {
        Path kev = SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog")
                .resolve("known_exploited_vulnerabilities.json");
        VulnKnowledge knowledge = new VulnKnowledge();
        VulnImport catalog = VulnFiles.read(kev.toString(), Files.readAllBytes(kev));
        assertThat(catalog.problem()).isNull();
        assertThat(catalog.rejected()).isEmpty();
        assertThat(catalog.kev()).hasSizeGreaterThan(1_400);
        knowledge.merge(catalog);
        for (Path file : files("posture/knowledge")) {
            if (file.toString().endsWith(".md")) {
                continue;
            }
            VulnImport imported = VulnFiles.read(file.toString(), Files.readAllBytes(file));
            assertThat(imported.problem()).as(file.toString()).isNull();
            assertThat(imported.rejected()).as(file.toString()).isEmpty();
            knowledge.merge(imported);
        }
        List<Inventory> parts = new ArrayList<>();
        for (Path file : files("posture/inventory")) {
            InventoryImport imported = InventoryFiles.read(file.toString(), Files.readAllBytes(file), null);
            assertThat(imported.problem()).as(file.toString()).isNull();
            assertThat(imported.rejected()).as(file.toString()).isEmpty();
            parts.add(imported.inventory());
        }
        Inventory inventory = Inventory.merge(parts);
        report = new PostureAnalyzer(knowledge, VulnerabilityMatcher.build(knowledge), null, PosturePolicy.defaults())
                .analyze(inventory, NOW);
    }

    static List<Path> files(String resource) throws IOException {
        Path folder = Path.of("src/test/resources").resolve(resource);
        try (Stream<Path> stream = Files.list(folder)) {
            return stream.sorted().toList();
        }
    }

    private static Optional<Finding> finding(String asset, String subject) {
        return report.findings().stream().filter(f -> asset.equals(f.assetId()) && f.subject().equals(subject))
                .findFirst();
    }

    @Test
    @DisplayName("Log4Shell on log4j-core 2.14.1: one finding from the CVE 5 and OSV records, CISA's due date and action")
    void log4shell() {
        Finding finding = finding("app-01", "CVE-2021-44228").orElseThrow();
        assertThat(finding.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(finding.knownExploited()).isTrue();
        assertThat(finding.guidance().fixedVersion()).isEqualTo("2.15.0");
        assertThat(finding.guidance().dueDate()).isEqualTo(LocalDate.parse("2021-12-24"));
        assertThat(finding.guidance().requiredAction()).startsWith("For all affected software assets for which"
                + " updates exist, the only acceptable remediation actions are: 1) Apply updates");
        assertThat(finding.evidence()).extracting(Evidence::kind).contains("inventory", "cve5", "osv", "kev", "epss");
        assertThat(finding.evidence()).extracting(Evidence::id).contains("CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q");
        assertThat(finding.reasons()).anyMatch(r -> r.contains("in CISA KEV since 2021-12-10, due 2021-12-24 (past due)"))
                .anyMatch(r -> r.equals("known use in ransomware campaigns"));
        assertThat(report.findings().stream().filter(f -> f.subject().equals("CVE-2021-44228"))).hasSize(1);
    }

    @Test
    @DisplayName("fixed versions produce no finding: log4j-core 2.12.2 and 2.17.1, NetScaler 14.1-8.50, PAN-OS 10.2.9-h1, OpenSSL 1.0.1g")
    void fixedVersions() {
        assertThat(finding("app-02", "CVE-2021-44228")).isEmpty();
        assertThat(finding("app-03", "CVE-2021-44228")).isEmpty();
        assertThat(finding("app-02", "CVE-2021-45046")).isEmpty();
        assertThat(finding("app-03", "CVE-2021-45046")).isEmpty();
        assertThat(finding("app-01", "CVE-2021-45046").orElseThrow().guidance().fixedVersion()).isEqualTo("2.16.0");
        assertThat(finding("ns-gw-02", "CVE-2023-4966")).isEmpty();
        assertThat(finding("fw-edge-02", "CVE-2024-3400")).isEmpty();
        assertThat(finding("app-01", "CVE-2014-0160")).isEmpty();
    }

    @Test
    @DisplayName("internet-facing appliances under active exploitation: Act, with the fixed build and due date")
    void appliances() {
        Finding citrix = finding("ns-gw-01", "CVE-2023-4966").orElseThrow();
        assertThat(citrix.decision()).isEqualTo(Decision.ACT);
        assertThat(citrix.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(citrix.guidance().fixedVersion()).isEqualTo("13.1-49.15");
        assertThat(citrix.guidance().dueDate()).isEqualTo(LocalDate.parse("2023-11-08"));
        assertThat(citrix.guidance().requiredAction()).contains("kill all active and persistent sessions");
        Finding panos = finding("fw-edge-01", "CVE-2024-3400").orElseThrow();
        assertThat(panos.decision()).isEqualTo(Decision.ACT);
        assertThat(panos.guidance().fixedVersion()).isEqualTo("10.2.9-h1");
        assertThat(panos.guidance().dueDate()).isEqualTo(LocalDate.parse("2024-04-19"));
        assertThat(panos.reasons()).anyMatch(r -> r.startsWith("exposure open"));
    }

    @Test
    @DisplayName("CPE ranges (Heartbleed) and Debian package ranges (OSV Debian:11)")
    void cpeAndDebian() {
        Finding heartbleed = finding("legacy-web", "CVE-2014-0160").orElseThrow();
        assertThat(heartbleed.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(heartbleed.guidance().fixedVersion()).isEqualTo("1.0.1g");
        assertThat(heartbleed.guidance().dueDate()).isEqualTo(LocalDate.parse("2022-05-25"));
        Finding debian = finding("db-01", "CVE-2023-0286").orElseThrow();
        assertThat(debian.knownExploited()).isFalse();
        assertThat(debian.guidance().fixedVersion()).isEqualTo("1.1.1n-0+deb11u4");
        assertThat(debian.decision()).isEqualTo(Decision.TRACK);
    }

    @Test
    @DisplayName("a KEV entry without range data matches by product only, with low confidence, and says so")
    void kevWithoutRanges() {
        List<Finding> exchange = report.findings().stream()
                .filter(f -> "db-01".equals(f.assetId()) && f.software() != null && f.software().startsWith("Exchange"))
                .toList();
        assertThat(exchange).isNotEmpty().allSatisfy(f -> {
            assertThat(f.confidence()).isEqualTo(Confidence.LOW);
            assertThat(f.knownExploited()).isTrue();
            assertThat(f.evidence()).anyMatch(e -> e.detail().contains("was not checked"));
            assertThat(f.guidance().steps().get(0)).startsWith("confirm the version is affected");
            assertThat(f.decision()).as("an unchecked version is never Act").isNotEqualTo(Decision.ACT);
        });
    }

    @Test
    @DisplayName("weaknesses beyond CVEs, each with its evidence")
    void weaknesses() {
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("admin-without-mfa"))
                .extracting(Finding::subject).containsExactly("alice@corp.example");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("stale-account"))
                .extracting(Finding::subject).containsExactly("bob@corp.example");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("password-never-expires"))
                .extracting(Finding::subject).containsExactly("bob@corp.example");
        Finding rdp = report.findings().stream().filter(f -> f.kind().equals("exposed-service")).findFirst()
                .orElseThrow();
        assertThat(rdp.subject()).isEqualTo("tcp/3389");
        assertThat(rdp.decision()).isEqualTo(Decision.ACT);
        assertThat(rdp.techniques()).contains("T1133", "T1021.001");
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("exposed-service")).hasSize(1);
        assertThat(report.findings()).filteredOn(f -> f.kind().equals("end-of-life-os"))
                .extracting(Finding::assetId).containsExactly("legacy-web");
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.evidence()).isNotEmpty());
    }

    @Test
    @DisplayName("the plan puts changes that close Act findings first, orders the rest by risk removed, and counts what each closes")
    void plan() {
        assertThat(report.plan()).isNotEmpty();
        // PAN-OS 10.2.8 and 10.2.9-h1 on two firewalls: one step per CVE covers both, whatever their versions; with
        // KEV alone the match is by product name, so the step says to check the version before applying the fix
        assertThat(report.plan()).filteredOn(step -> step.action().contains("vendor fix for CVE-2019-1579"))
                .singleElement().satisfies(step -> {
                    assertThat(step.assets()).containsExactly("fw-edge-01", "fw-edge-02");
                    assertThat(step.action()).startsWith("confirm the version is affected, then apply the vendor fix"
                            + " for CVE-2019-1579 to PAN-OS (PAN-OS 10.2.8, PAN-OS 10.2.9-h1) on 2 hosts")
                            .endsWith("(matched by product name only; the version was not checked)");
                });
        Map<String, Decision> decisions = new HashMap<>();
        report.findings().forEach(f -> decisions.put(f.id(), f.decision()));
        Predicate<RemediationStep> acts = step -> step.findings().stream()
                .anyMatch(id -> decisions.get(id) == Decision.ACT);
        assertThat(report.plan()).anyMatch(acts);
        for (int i = 1; i < report.plan().size(); i++) {
            RemediationStep before = report.plan().get(i - 1);
            RemediationStep after = report.plan().get(i);
            if (acts.test(before) == acts.test(after)) {
                assertThat(before.riskRemoved()).isGreaterThanOrEqualTo(after.riskRemoved());
            } else {
                assertThat(acts.test(before)).as("a step closing an Act finding comes first: " + before.action())
                        .isTrue();
            }
        }
        assertThat(report.plan()).extracting(RemediationStep::action).contains(
                "upgrade log4j-core to 2.16.0 or later on 1 host closes 2 findings, 2 of them known-exploited",
                "upgrade NetScaler ADC to 13.1-49.15 or later on 1 host closes 1 finding, 1 of them known-exploited");
        assertThat(report.organizationScore()).isBetween(0.0, 100.0);
        assertThat(report.assetScores().keySet().iterator().next()).isIn("ns-gw-01", "fw-edge-01", "legacy-web");
        assertThat(report.assetScores().get("app-03")).isZero();
    }
}
