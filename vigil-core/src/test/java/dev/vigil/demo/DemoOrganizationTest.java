package dev.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PosturePolicy;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.VulnerabilityMatcher;
import dev.vigil.posture.inventory.InventoryFiles;
import dev.vigil.posture.inventory.InventoryImport;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The demo organization")
class DemoOrganizationTest {
    private static final LocalDate DAY = LocalDate.of(2030, 1, 2);

    @TempDir
    Path directory;

    @Test
    @DisplayName("the same day and scale give byte-identical files")
    void deterministic() throws IOException {
        DemoOrganization.Files first = new DemoOrganization(DAY, 0.05).write(directory.resolve("a"),
                DemoOrganization.Progress.NONE);
        DemoOrganization.Files second = new DemoOrganization(DAY, 0.05).write(directory.resolve("b"),
                DemoOrganization.Progress.NONE);

        assertThat(first.events()).isEqualTo(second.events());
        Map<String, byte[]> a = contents(directory.resolve("a"));
        Map<String, byte[]> b = contents(directory.resolve("b"));
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet()).hasSize(12);
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    @DisplayName("the background grows with the scale; the attacks are the same at every scale")
    void scale() throws IOException {
        DemoOrganization.Files small = new DemoOrganization(DAY, 0.02).write(directory.resolve("small"),
                DemoOrganization.Progress.NONE);
        DemoOrganization.Files larger = new DemoOrganization(DAY, 0.2).write(directory.resolve("larger"),
                DemoOrganization.Progress.NONE);

        assertThat(larger.events()).isGreaterThan(small.events() * 5);
        for (String marker : List.of(DemoOrganization.SPRAY_SOURCE_IP, DemoOrganization.C2_ADDRESS,
                DemoOrganization.SSH_ATTACKER_IP, DemoOrganization.EXPLOIT_SOURCE_IP, "lsass.exe", "svc_backup",
                "ParentImage\">/opt/atlassian/confluence/jre/bin/java<")) {
            assertThat(lines(small.telemetry(), marker)).as(marker).isPositive()
                    .isEqualTo(lines(larger.telemetry(), marker));
        }
        assertThat(Files.readString(small.graphIncidents())).isEqualTo(Files.readString(larger.graphIncidents()));
        assertThat(Files.readString(small.inventory())).isEqualTo(Files.readString(larger.inventory()));
    }

    @Test
    @DisplayName("a company of about three hundred staff and a hundred hosts, with MFA gaps and stale accounts")
    void company() {
        DemoCompany company = new DemoOrganization(DAY, 0.05).company();

        assertThat(company.people()).hasSize(300);
        assertThat(company.hosts()).hasSize(100);
        assertThat(company.hosts()).extracting(DemoCompany.Host::role)
                .contains("dc", "server", "dmz", "linux", "workstation", "laptop");
        // the people and desks of the storyline keep their names
        assertThat(company.userOf(DemoOrganization.PHISHED_HOST).name()).isEqualTo("quinn.kim");
        assertThat(company.person(DemoOrganization.SPRAYED_USER).upn()).isEqualTo("jamal.novak@kestrelfreight.example");
        assertThat(company.people()).filteredOn(p -> p.mfaMethods().isEmpty()).hasSizeBetween(10, 60)
                .anySatisfy(p -> assertThat(p.adminRoles()).isNotEmpty());
        assertThat(company.staleAccounts()).isNotEmpty().allSatisfy(a -> assertThat(a.lastSignIn())
                .isBefore(DAY.minusDays(90).atStartOfDay(ZoneOffset.UTC).toInstant()));
        DemoCompany.Host wiki = company.host(DemoOrganization.EXPLOITED_HOST);
        assertThat(wiki.internetFacing()).isTrue();
        assertThat(wiki.software()).contains(new DemoCompany.Installed("Confluence Data Center", "Atlassian", "8.5.3",
                null));
    }

    @Test
    @DisplayName("posture finds the exploited wiki's Confluence in CISA's KEV catalog through Vigil's matcher")
    void kevMatchOnTheWiki() throws IOException {
        Path kev = SharedData.require("cisa-kev", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog")
                .resolve("known_exploited_vulnerabilities.json");
        VulnKnowledge knowledge = new VulnKnowledge();
        VulnImport catalog = VulnFiles.read(kev.toString(), Files.readAllBytes(kev));
        knowledge.merge(catalog);
        DemoOrganization.Files files = new DemoOrganization(DAY, 0.02).write(directory, DemoOrganization.Progress.NONE);
        InventoryImport inventory = InventoryFiles.read(files.inventory().toString(),
                Files.readAllBytes(files.inventory()), null);
        assertThat(inventory.problem()).isNull();
        assertThat(inventory.rejected()).isEmpty();

        PostureReport report = new PostureAnalyzer(knowledge, VulnerabilityMatcher.build(knowledge), null,
                PosturePolicy.defaults()).analyze(inventory.inventory(), DAY.atStartOfDay(ZoneOffset.UTC).toInstant());

        assertThat(report.findings()).filteredOn(f -> DemoOrganization.EXPLOITED_HOST.equals(f.assetId())
                        && f.subject().equals(DemoOrganization.EXPLOITED_CVE))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.knownExploited()).isTrue();
                    assertThat(f.software()).isEqualTo("Confluence Data Center 8.5.3");
                });
        assertThat(report.findings()).extracting(Finding::kind)
                .contains("admin-without-mfa", "stale-account", "password-never-expires", "exposed-service",
                        "end-of-life-os");
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return out;
    }

    private static long lines(List<Path> files, String marker) throws IOException {
        long count = 0;
        for (Path file : files) {
            try (Stream<String> lines = Files.lines(file)) {
                count += lines.filter(l -> l.contains(marker)).count();
            }
        }
        return count;
    }
}
