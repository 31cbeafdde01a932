package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.demo.DemoOrganization;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vigil's own rule pack: every file loads, and over the demo organization it finds each attack and nothing else. */
class BuiltinRulesTest {

    @TempDir
    Path directory;

    @Test
    void every_built_in_rule_loads_and_runs_on_a_table() {
        List<SigmaDocument> documents = new ArrayList<>();
        for (BuiltinRules.File file : BuiltinRules.files()) {
            documents.addAll(SigmaParser.parse(file.yaml(), file.source()));
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        assertThat(rules.failures()).isEmpty();
        assertThat(rules.inactive()).isEmpty();
        assertThat(rules.rules()).hasSize(9);
        assertThat(rules.correlations()).hasSize(4);
    }

    @Test
    void over_the_demo_organization_it_finds_every_attack_and_no_benign_activity() throws Exception {
        List<Path> files = new DemoOrganization(LocalDate.of(2030, 1, 2), 0.05).writeTo(directory);
        List<SigmaDocument> documents = new ArrayList<>();
        for (BuiltinRules.File file : BuiltinRules.files()) {
            documents.addAll(SigmaParser.parse(file.yaml(), file.source()));
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        SigmaRegressionTest.CollectingSink sink = new SigmaRegressionTest.CollectingSink();
        DetectingSink<SigmaRegressionTest.CollectingSink> detecting =
                new DetectingSink<>(sink, new Detector(TenantId.DEFAULT, rules));
        Clock clock = Clock.systemUTC();
        new Ingestor(new Ingestor.Options(TenantId.DEFAULT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), detecting,
                Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]))
                .ingest(files.stream().map(Path::toString).toList());
        detecting.finish();

        List<Alert> alerts = sink.alerts;
        assertThat(alerts).extracting(Alert::title).containsOnly(
                "Office Application Starts a Script Interpreter",
                "PowerShell Runs an Encoded Download Cradle",
                "Process Opens LSASS Memory for Reading",
                "Large Outbound Transfer Through the Firewall",
                "Password Spray Against Entra ID From One Address",
                "Password Spray Against Entra ID Followed by a Successful Sign-in From the Same Address",
                "SSH Brute Force Followed by a Successful Password Login",
                "Web Application Starts a Shell on Linux");
        assertThat(alerts).filteredOn(a -> a.title().startsWith("Password Spray"))
                .allSatisfy(a -> assertThat(a.matchedFields())
                        .containsEntry("IPAddress", DemoOrganization.SPRAY_SOURCE_IP));
        // the spray and the sign-in it won are one alert, over the failures and the success from the spray's address
        assertThat(alerts).filteredOn(a -> a.title().contains("Followed by a Successful Sign-in")).singleElement()
                .satisfies(a -> {
                    assertThat(a.level()).isEqualTo("critical");
                    assertThat(a.matchedFields()).containsEntry("IPAddress", DemoOrganization.SPRAY_SOURCE_IP);
                    assertThat(a.eventIds()).hasSizeGreaterThan(10);
                    // it names the account the spray broke into, from the sign-in that completed the sequence
                    assertThat(a.entities()).extracting(Alert.Entity::value)
                            .contains(DemoOrganization.SPRAYED_USER + "@kestrelfreight.example");
                });
        assertThat(alerts).filteredOn(a -> a.title().startsWith("Process Opens LSASS")).singleElement()
                .satisfies(a -> assertThat(a.entities()).extracting(Alert.Entity::value)
                        .anyMatch(v -> v.startsWith(DemoOrganization.PHISHED_HOST)));
        assertThat(alerts).filteredOn(a -> a.title().startsWith("SSH Brute Force")).singleElement()
                .satisfies(a -> assertThat(a.matchedFields()).containsEntry("HostName", "web01"));
        // the exploit of the wiki: each command the Confluence JVM was made to run, and nothing from its housekeeping
        assertThat(alerts).filteredOn(a -> a.title().startsWith("Web Application Starts a Shell")).hasSize(6)
                .allSatisfy(a -> assertThat(a.entities()).extracting(Alert.Entity::value)
                        .contains(DemoOrganization.EXPLOITED_HOST));
        // the rules that only feed correlations raise nothing on their own
        assertThat(alerts).extracting(Alert::level).doesNotContain("informational");
    }
}
