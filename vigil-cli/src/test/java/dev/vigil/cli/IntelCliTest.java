package dev.vigil.cli;

import static dev.vigil.cli.CliTesting.vigil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.cli.CliTesting.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Threat intelligence from the command line: importing STIX and plain lists, alerts raised on ingest, retro-hunts
 * that store nothing twice, what is known about a value, and the errors a user can make on the way.
 */
@DisplayName("Threat intelligence on the command line")
class IntelCliTest {
    private static final String STIX = """
            {"type": "bundle", "id": "bundle--9a3f2b1c-0d4e-4f5a-8b6c-7d8e9f0a1b2c", "objects": [
              {"type": "identity", "id": "identity--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "name": "Acme CERT"},
              {"type": "indicator", "spec_version": "2.1", "id": "indicator--2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
               "created_by_ref": "identity--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "confidence": 85,
               "created": "2024-04-01T00:00:00Z", "modified": "2024-04-02T00:00:00Z",
               "pattern": "[ipv4-addr:value = '203.0.113.7' OR domain-name:value = 'c2.evil.example']",
               "pattern_type": "stix", "valid_from": "2024-04-01T00:00:00Z"},
              {"type": "intrusion-set", "id": "intrusion-set--3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b", "name": "Group X"},
              {"type": "relationship", "id": "relationship--4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c",
               "relationship_type": "indicates", "source_ref": "indicator--2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
               "target_ref": "intrusion-set--3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b"}
            ]}""";

    @TempDir
    Path dir;

    Path data;
    Path stix;
    Path list;
    Path events;

    @BeforeEach
    void files() throws IOException {
        data = dir.resolve("data");
        stix = Files.writeString(dir.resolve("acme.stix.json"), STIX);
        list = Files.writeString(dir.resolve("blocklist.txt"), "# partner list\nevil[.]example\n198.51.100.0/24\n");
        events = Files.writeString(dir.resolve("firewall.json"), """
                {"TimeGenerated":"2024-05-01T12:00:00Z","Type":"CommonSecurityLog","SourceIP":"10.1.2.3","DestinationIP":"203.0.113.7","DeviceAction":"allow","Computer":"fw1"}
                {"TimeGenerated":"2024-05-01T12:01:00Z","Type":"CommonSecurityLog","SourceIP":"10.1.2.4","DestinationIP":"192.0.2.1","DeviceAction":"allow","Computer":"fw1"}
                {"TimeGenerated":"2024-05-01T12:02:00Z","Type":"DnsEvents","ClientIP":"10.1.2.5","Name":"www.notevil.example","Computer":"dns1"}
                """);
    }

    @Test
    void importedIndicatorsRaiseAlertsOnIngestAndARetroHuntStoresNothingTwice() {
        Run imported = vigil(data, "intel", "import", stix.toString(), list.toString(), "--json");
        assertThat(imported.exit()).as("%s", imported).isZero();
        JsonNode summary = imported.json();
        assertThat(summary.get("added").asInt()).isEqualTo(4);
        assertThat(summary.get("files").get(0).get("format").asString()).isEqualTo("stix");
        assertThat(summary.get("files").get(1).get("format").asString()).isEqualTo("plain");

        Run ingest = vigil(data, "ingest", events.toString(), "--json");
        assertThat(ingest.exit()).as("%s", ingest).isZero();
        assertThat(ingest.json().get("alerts").asLong()).as("one bad address; the look-alike name is not").isEqualTo(1);

        Run alerts = vigil(data, "alerts", "--json");
        assertThat(alerts.json()).hasSize(1);
        JsonNode alert = alerts.json().get(0);
        assertThat(alert.get("source").asString()).isEqualTo("ioc");
        assertThat(alert.get("rule_id").asString()).isEqualTo("ioc:ipv4:203.0.113.7");
        assertThat(alert.get("title").asString()).isEqualTo("Known-bad ipv4 203.0.113.7 (Acme CERT)");
        assertThat(alert.get("level").asString()).isEqualTo("high");
        assertThat(alert.get("matched_fields").get("actor").asString()).isEqualTo("Group X");
        assertThat(alert.get("matched_fields").get("dst_ip").asString()).isEqualTo("203.0.113.7");

        Run retro = vigil(data, "intel", "retro", "--json");
        Run again = vigil(data, "intel", "retro", "--json");
        assertThat(retro.exit()).as("%s", retro).isZero();
        assertThat(retro.json().get("events_scanned").asLong()).isEqualTo(3);
        assertThat(retro.json().get("alerts").asLong()).isEqualTo(1);
        assertThat(retro.json().get("alerts_new").asLong()).isZero();
        assertThat(again.json().get("alerts_new").asLong()).isZero();
        assertThat(vigil(data, "alerts", "--json").json()).hasSize(1);
    }

    @Test
    void aRetroHuntFindsWhatNewIntelligenceSaysAboutEventsStoredBefore() throws IOException {
        vigil(data, "ingest", events.toString());
        vigil(data, "intel", "import", list.toString());
        Path late = Files.writeString(dir.resolve("late.txt"), "192.0.2.1\n");
        vigil(data, "intel", "import", late.toString());

        Run retro = vigil(data, "intel", "retro", "--since", "2024-05-01", "--json");

        assertThat(retro.exit()).as("%s", retro).isZero();
        assertThat(retro.json().get("alerts_new").asLong()).isEqualTo(1);
        assertThat(retro.json().get("by_indicator").get(0).get("rule_id").asString()).isEqualTo("ioc:ipv4:192.0.2.1");
        Run people = vigil(data, "intel", "retro");
        assertThat(people.out()).contains("alerts").containsPattern("new 0, already stored 1");
    }

    @Test
    void reputationSaysWhatTheIntelligenceAndOurDataKnow() {
        vigil(data, "intel", "import", stix.toString());
        vigil(data, "ingest", events.toString());

        Run known = vigil(data, "intel", "reputation", "203[.]0.113.7", "--json");
        Run unknown = vigil(data, "intel", "reputation", "192.0.2.99", "--json");
        Run people = vigil(data, "intel", "reputation", "a.c2.evil.example");

        assertThat(known.exit()).as("%s", known).isZero();
        JsonNode body = known.json();
        assertThat(body.get("verdict").asString()).isEqualTo("known-bad");
        assertThat(body.get("indicators").get(0).get("match").asString()).isEqualTo("exact");
        assertThat(body.get("indicators").get(0).get("feeds").get(0).asString()).isEqualTo("Acme CERT");
        assertThat(body.get("sightings").get("events").asLong()).isEqualTo(1);
        assertThat(body.get("sightings").get("hosts").get(0).get("host").asString()).isEqualTo("fw1");
        assertThat(body.get("sightings").get("alerts").asLong()).isEqualTo(1);
        assertThat(unknown.json().get("verdict").asString()).isEqualTo("unknown");
        assertThat(people.out()).contains("Intelligence: known-bad").contains("parent domain")
                .contains("Our data: no stored event mentions it.");
    }

    @Test
    void indicatorsAreCountedByTypeAndFeed() {
        vigil(data, "intel", "import", stix.toString(), list.toString());

        Run json = vigil(data, "intel", "indicators", "--json");
        Run people = vigil(data, "intel", "indicators", "--type", "domain");

        assertThat(json.json().get("active").asLong()).isEqualTo(4);
        assertThat(json.json().get("by_type").get("domain").asLong()).isEqualTo(2);
        assertThat(json.json().get("by_feed").get("Acme CERT").asLong()).isEqualTo(2);
        assertThat(people.out()).contains("4 active").contains("c2.evil.example").doesNotContain("203.0.113.7");
    }

    @Test
    void unimportableEntriesAreListedWithTheirReasonAndTheRestIsStored() throws IOException {
        Path mixed = Files.writeString(dir.resolve("mixed.json"), STIX.replace("[ipv4-addr:value = '203.0.113.7'"
                + " OR domain-name:value = 'c2.evil.example']", "[ipv4-addr:value = '203.0.113.7' AND"
                + " domain-name:value = 'c2.evil.example']"));

        Run run = vigil(data, "intel", "import", mixed.toString(), list.toString());

        assertThat(run.exit()).as("%s", run).isEqualTo(Main.EXIT_PARTIAL);
        assertThat(run.out()).contains("AND joins conditions on different objects (domain-name, ipv4-addr)")
                .contains("Imported 2 indicators");
        assertThat(run.err()).contains("error[format_unknown]").contains("1 entries were rejected").contains("fix:");
    }

    @Test
    void knowledgeBundlesGoToTheAttackImporterAndOtherKnowledgeIsSkipped() throws IOException {
        Path attack = Files.writeString(dir.resolve("enterprise-attack.json"), """
                {"type": "bundle", "id": "bundle--1", "objects": [{"type": "attack-pattern",
                 "id": "attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22", "name": "Phishing"}]}""");
        Path campaign = Files.writeString(dir.resolve("campaign.json"), """
                {"type": "campaign", "spec_version": "2.1", "id": "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061",
                 "name": "Spear Phishing"}""");

        Run knowledge = vigil(data, "intel", "import", attack.toString());
        Run other = vigil(data, "intel", "import", campaign.toString(), "--json");

        assertThat(knowledge.exit()).as("%s", knowledge).isZero();
        assertThat(knowledge.out()).contains("ATT&CK knowledge");
        assertThat(other.exit()).as("%s", other).isZero();
        assertThat(other.json().get("files").get(0).get("skipped").asString()).isEqualTo("a STIX bundle with no"
                + " indicator and no ATT&CK technique: nothing to import");
    }

    @Test
    void mistakesAreErrorsThatSayWhatToDo() throws IOException {
        Path prose = Files.writeString(dir.resolve("notes.md"), "# Notes\nNothing to see here.\nReally.\n");

        Run missing = vigil(data, "intel", "import", dir.resolve("nope.json").toString());
        Run refused = vigil(data, "intel", "import", prose.toString());
        Run badValue = vigil(data, "intel", "reputation", "not a value");
        Run badType = vigil(data, "intel", "indicators", "--type", "ipv5");
        Run noIntel = vigil(data, "intel", "retro");
        Run badConfidence = vigil(data, "intel", "import", list.toString(), "--confidence", "101");

        assertThat(missing.exit()).isEqualTo(3);
        assertThat(missing.err()).contains("error[input_not_found]").contains("nope.json").contains("fix:");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("error[format_unknown]").contains("no file held indicators")
                .contains("not a list of indicators");
        assertThat(badValue.exit()).isEqualTo(2);
        assertThat(badValue.err()).contains("error[usage]").contains("'not a value'");
        assertThat(badType.exit()).isEqualTo(2);
        assertThat(badType.err()).contains("--type 'ipv5' is not a type of indicator");
        assertThat(noIntel.exit()).isEqualTo(3);
        assertThat(noIntel.err()).contains("has no active indicators").contains("vigil intel import");
        assertThat(badConfidence.exit()).isEqualTo(2);
        assertThat(badConfidence.err()).contains("--confidence 101 is not from 0 to 100");
    }
}
