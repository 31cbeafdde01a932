package dev.vigil.posture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Criticality;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The end-of-life check reads the OS from its name and version together, whichever way the inventory split them,
 * and claims nothing for a version that names no release.
 */
@DisplayName("End-of-life operating systems")
class EndOfLifeTest {
    private static final Instant NOW = Instant.parse("2025-11-01T00:00:00Z");

    static List<Finding> endOfLife(String os, String version) {
        Asset asset = new Asset("host-1", "host-1", List.of(), os, version.isEmpty() ? null : version, null,
                Criticality.MEDIUM, false, List.of(), Origin.IMPORTED, "assets.csv:2", null);
        VulnKnowledge knowledge = new VulnKnowledge();
        return new PostureAnalyzer(knowledge, VulnerabilityMatcher.build(knowledge), null, PosturePolicy.defaults())
                .analyze(new Inventory(List.of(asset), List.of(), List.of(), List.of()), NOW).findings().stream()
                .filter(f -> f.kind().equals("end-of-life-os")).toList();
    }

    @ParameterizedTest(name = "os ''{0}'' version ''{1}'' is {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            Windows Server 2012 R2               |            | Windows Server 2012 / 2012 R2
            Windows Server                       | 2012 R2    | Windows Server 2012 / 2012 R2
            Windows Server                       | 2008       | Windows Server 2008 / 2008 R2
            Windows                              | 7          | Windows 7
            Microsoft Windows 10 Enterprise      | 10.0.19045 | Windows 10 (without ESU)
            Ubuntu                               | 18.04      | Ubuntu 18.04 LTS
            Ubuntu                               | 18.04.6 LTS| Ubuntu 18.04 LTS
            CentOS Linux                         | 7          | CentOS 7
            Windows Server                       | 2022       | -
            Windows                              | 10.0.22631 | -
            Microsoft Windows 11 Pro             | 10.0.22631 | -
            Windows                              | 11         | -
            Ubuntu                               | 22.04      | -
            """)
    void endOfLifeWhereverTheReleaseIsNamed(String os, String version, String label) {
        List<Finding> findings = endOfLife(os, version == null ? "" : version);
        if (label == null) {
            assertThat(findings).isEmpty();
        } else {
            assertThat(findings).singleElement().satisfies(finding -> {
                assertThat(finding.reasons().get(0)).startsWith(label + " support ended ");
                assertThat(finding.evidence().get(0).detail()).isEqualTo("os " + os
                        + (version == null ? "" : " " + version)).doesNotContain("null");
            });
        }
    }
}
