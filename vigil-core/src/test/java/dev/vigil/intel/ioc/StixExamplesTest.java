package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every file of the OASIS STIX 2.1 examples (cti-stix2-json-schemas) imports, or is refused with a precise reason:
 * the example bundles, the JSON Schemas beside them, and the repository's text files.
 */
@DisplayName("The STIX 2.1 examples import or are refused with a precise reason")
class StixExamplesTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static Path root;
    private static final Map<String, IndicatorImport> RESULTS = new TreeMap<>();

    @BeforeAll
    static void readEveryFile() throws IOException {
        root = SharedData.require("stix2-examples", "https://github.com/oasis-open/cti-stix2-json-schemas");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                RESULTS.put(name, IndicatorFiles.read(name, Files.readAllBytes(file), null, ImportOptions.at(NOW)));
            }
        }
    }

    /** One line per file: format, entries, indicators by type, rejected entries, and why it was not imported. */
    private static String summary(String prefix) {
        StringBuilder out = new StringBuilder();
        RESULTS.forEach((name, result) -> {
            if (!name.startsWith(prefix)) {
                return;
            }
            Map<String, Integer> byType = new TreeMap<>();
            result.indicators().forEach(i -> byType.merge(i.type().id(), 1, Integer::sum));
            out.append(name).append(" | ").append(result.format() == null ? "-" : result.format().cliName())
                    .append(" | ").append(result.entries()).append(" | ").append(byType).append(" | ")
                    .append(result.rejected().size());
            String reason = result.problem() != null ? result.problem() : result.isKnowledgeOnly()
                    ? "knowledge " + result.otherObjectsSorted() : null;
            out.append(reason == null ? "" : " | " + reason).append('\n');
        });
        return out.toString();
    }

    @Test
    void every_file_imports_or_has_a_reason() {
        assertThat(RESULTS).hasSizeGreaterThan(80);
        List<String> silent = new ArrayList<>();
        RESULTS.forEach((name, result) -> {
            boolean imported = !result.indicators().isEmpty();
            boolean explained = result.problem() != null && !result.problem().isBlank() || result.isKnowledgeOnly()
                    || result.rejected().size() == result.entries() && result.entries() > 0;
            if (!imported && !explained) {
                silent.add(name);
            }
        });
        assertThat(silent).as("files that neither import nor say why").isEmpty();
    }

    @Test
    void the_example_bundles_and_text_files() {
        String expected = """
                CONTRIBUTING.md | plain | 0 | {} | 0 | not a list of indicators: 0 of 7 lines hold one (line 5: 'This' is not an IP address, network, domain, URL, e-mail address or file hash)
                LICENSE | plain | 0 | {} | 0 | not a list of indicators: 0 of 22 lines hold one (line 1: 'Copyright' is not an IP address, network, domain, URL, e-mail address or file hash)
                README.md | plain | 0 | {} | 0 | not a list of indicators: 0 of 30 lines hold one (line 3: '*This' is not an IP address, network, domain, URL, e-mail address or file hash)
                SOURCE.txt | plain | 0 | {} | 0 | not a list of indicators: 0 of 9 lines hold one (line 1: 'Source' is not an IP address, network, domain, URL, e-mail address or file hash)
                examples/README.md | plain | 0 | {} | 0 | not a list of indicators: 0 of 36 lines hold one (line 4: '*' is not an IP address, network, domain, URL, e-mail address or file hash)
                examples/indicator-for-c2-ip-address.json | stix | 1 | {ipv4=1} | 0
                examples/indicator-to-campaign-relationship.json | stix | 1 | {ipv4=1} | 0
                examples/indicators-for-C2-with-COA.json | stix | 2 | {ipv4=1, sha256=1} | 0
                examples/infrastructure.json | stix | 0 | {} | 0 | knowledge {domain-name=1, infrastructure=2, ipv4-addr=1, malware=2, relationship=4}
                examples/interop-objectmarking-test.json | stix | 0 | {} | 0 | knowledge {campaign=1}
                examples/malicious-email-indicator-with-attachment.json | stix | 2 | {} | 2
                examples/threat-reports/apt1.json | stix | 12 | {cidr=4, domain=3, md5=3} | 2
                examples/threat-reports/poisonivy.json | stix | 25 | {domain=24, ipv4=18} | 2
                """;
        String actual = summary("").lines().filter(l -> !l.startsWith("schemas/") && !l.startsWith("interop/"))
                .map(l -> l + "\n").reduce("", String::concat);
        assertThat(actual).as("if the change is intended, replace the expected text with the actual one")
                .isEqualTo(expected);
    }

    @Test
    void json_schemas_are_refused_as_schemas_not_content() {
        RESULTS.forEach((name, result) -> {
            if (name.startsWith("schemas/") || name.startsWith("interop/")) {
                assertThat(result.problem()).as(name).startsWith("a JSON Schema").endsWith(", not STIX content: it"
                        + " describes STIX objects and holds none");
            }
        });
        assertThat(RESULTS.get("schemas/sdos/indicator.json").problem()).isEqualTo("a JSON Schema of 'indicator', not"
                + " STIX content: it describes STIX objects and holds none");
    }

    @Test
    void rejected_indicators_say_which_pattern_and_why() {
        assertThat(RESULTS.get("examples/threat-reports/apt1.json").rejected()).extracting(Object::toString)
                .containsExactly("indicator--b3b6b540-d838-41e2-853b-005056c00008: pattern"
                        + " [x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number ="
                        + " '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28'] is not importable: x509-certificate:issuer"
                        + " is not an observable Vigil matches; x509-certificate:serial_number is not an observable"
                        + " Vigil matches (Vigil matches the values of IP addresses, networks, domains, URLs, e-mail"
                        + " addresses and file hashes)",
                        "indicator--b3b7035e-d838-41e2-8d38-005056c00008: pattern"
                        + " [x509-certificate:issuer = 'CN=LM-68AB71FBD8F5' AND x509-certificate:serial_number ="
                        + " '0e:97:88:1c:6c:a1:37:96:42:03:bc:45:42:24:75:6c'] is not importable: x509-certificate:issuer"
                        + " is not an observable Vigil matches; x509-certificate:serial_number is not an observable"
                        + " Vigil matches (Vigil matches the values of IP addresses, networks, domains, URLs, e-mail"
                        + " addresses and file hashes)");
        assertThat(RESULTS.get("examples/malicious-email-indicator-with-attachment.json").rejected())
                .extracting(IndicatorImport.Remark::message).allMatch(m -> m.contains("MATCHES"))
                .allMatch(m -> m.contains("is not an observable Vigil matches"));
        assertThat(RESULTS.get("examples/threat-reports/poisonivy.json").notes()).extracting(Object::toString)
                .containsExactly("indicator--4e4c4ad7-4909-456a-b6fa-e24a6f682a40: dropped [domain-name:value ="
                        + " 'domain autuo.xicp.net']: 'domain autuo.xicp.net' is not a domain name: ' ' is not allowed"
                        + " in a name");
    }

    @Test
    void provenance_carries_the_feed_validity_and_what_the_indicator_indicates() {
        Indicator cidr = RESULTS.get("examples/threat-reports/apt1.json").indicators().stream()
                .filter(i -> i.value().equals("223.166.0.0/15")).findFirst().orElseThrow();
        assertThat(cidr.provenance().feeds()).containsExactly("apt1");
        assertThat(cidr.provenance().validFrom()).isEqualTo(Instant.parse("2015-05-15T09:12:16.432678Z"));
        assertThat(cidr.provenance().tags()).contains("malicious-activity", "malware:HUC Packet Transmit Tool (HTRAN)");
        Indicator domain = RESULTS.get("examples/threat-reports/apt1.json").indicators().stream()
                .filter(i -> i.value().equals("hugesoft.org")).findFirst().orElseThrow();
        assertThat(domain.provenance().actors()).containsExactly("Ugly Gorilla");
        Indicator campaign = RESULTS.get("examples/indicator-to-campaign-relationship.json").indicators().get(0);
        assertThat(campaign.provenance().campaigns()).containsExactly("Operation Omega");
        assertThat(campaign.provenance().sourceIds()).containsExactly(
                "indicator--c43a0a05-e8d2-4f64-ae37-3f3fb153f8d9");
        Indicator authored = RESULTS.get("examples/indicators-for-C2-with-COA.json").indicators().get(0);
        assertThat(authored.provenance().feeds()).containsExactly("The MITRE Corporation - DHS Support Team");
        Indicator shared = RESULTS.get("examples/threat-reports/poisonivy.json").indicators().stream()
                .filter(i -> i.value().equals("101.78.151.179")).findFirst().orElseThrow();
        assertThat(shared.provenance().campaigns()).as("listed by indicators of two campaigns, merged")
                .containsExactly("menuPass", "th3bug");
    }
}
