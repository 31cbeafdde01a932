package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MISP events, MISP CSV, plain lists and STIX objects: recognition, provenance, rejections")
class FeedFormatsTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private static IndicatorImport read(String name, String content) {
        return IndicatorFiles.read(name, content.getBytes(StandardCharsets.UTF_8), null, ImportOptions.at(NOW));
    }

    private static Indicator find(IndicatorImport result, String key) {
        return result.indicators().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow(
                () -> new AssertionError(key + " not in " + result.indicators()));
    }

    private static final String MISP_EVENT = """
            {"Event": {
              "info": "Phishing wave against finance", "threat_level_id": "1", "timestamp": "1700000000",
              "Orgc": {"name": "CIRCL"},
              "Tag": [{"name": "tlp:green"}, {"name": "misp-galaxy:threat-actor=\\"Sofacy\\""}],
              "Galaxy": [{"type": "mitre-attack-pattern",
                          "GalaxyCluster": [{"value": "Spearphishing Attachment - T1566.001"}]}],
              "Attribute": [
                {"type": "ip-dst", "category": "Network activity", "to_ids": true, "value": "203.0.113.7",
                 "uuid": "a1", "timestamp": "1700000100", "first_seen": "2023-11-01T00:00:00.000000+00:00"},
                {"type": "domain|ip", "to_ids": true, "value": "evil.example|198.51.100.9", "uuid": "a2"},
                {"type": "url", "to_ids": "1", "value": "HTTP://Evil.Example/x", "uuid": "a3"},
                {"type": "email-src", "to_ids": true, "value": "CEO@evil.example", "uuid": "a4"},
                {"type": "ip-src", "to_ids": false, "value": "192.0.2.1", "uuid": "a5"},
                {"type": "email-dst", "to_ids": true, "value": "victim@corp.example", "uuid": "a6"},
                {"type": "regkey", "to_ids": true, "value": "HKLM\\\\Run", "uuid": "a7"},
                {"type": "ip-dst", "to_ids": true, "value": "not-an-ip", "uuid": "a8"},
                {"type": "md5", "to_ids": true, "deleted": true, "value": "d41d8cd98f00b204e9800998ecf8427e"}
              ],
              "Object": [{"name": "file", "Attribute": [
                {"type": "sha256", "to_ids": true, "uuid": "o1",
                 "value": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"},
                {"type": "filename|md5", "to_ids": true, "uuid": "o2",
                 "value": "invoice.doc|d41d8cd98f00b204e9800998ecf8427e"}]}]
            }}""";

    @Test
    void misp_events_import_attributes_for_detection_with_the_event_as_provenance() {
        IndicatorImport result = read("event.json", MISP_EVENT);
        assertThat(result.format()).isEqualTo(IntelFormat.MISP_JSON);
        assertThat(result.problem()).isNull();
        assertThat(result.indicators()).extracting(Indicator::key).containsExactlyInAnyOrder("ipv4:203.0.113.7",
                "domain:evil.example", "ipv4:198.51.100.9", "url:http://evil.example/x", "email:ceo@evil.example",
                "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "md5:d41d8cd98f00b204e9800998ecf8427e");
        Provenance p = find(result, "ipv4:203.0.113.7").provenance();
        assertThat(p.feeds()).containsExactly("CIRCL");
        assertThat(p.confidence()).as("threat level high").isEqualTo(80);
        assertThat(p.campaigns()).containsExactly("Phishing wave against finance");
        assertThat(p.actors()).containsExactly("Sofacy");
        assertThat(p.techniques()).containsExactly("T1566.001");
        assertThat(p.tags()).containsExactly("category:Network activity", "tlp:green");
        assertThat(p.firstSeen()).isEqualTo(Instant.parse("2023-11-01T00:00:00Z"));
        assertThat(p.lastSeen()).isEqualTo(Instant.ofEpochSecond(1_700_000_100));
        assertThat(p.sourceIds()).containsExactly("a1");
        assertThat(result.rejected()).extracting(Object::toString).containsExactly(
                "Attribute 8 (a8): ip-dst 'not-an-ip' is not an IP address");
        assertThat(result.otherObjects()).isEqualTo(Map.of("to_ids false (not for detection)", 1,
                "email-dst (a recipient, not an indicator)", 1,
                "type regkey (not an observable Vigil matches)", 1, "deleted", 1));
    }

    @Test
    void misp_search_responses_and_lists_of_events_are_read_too() {
        String response = "{\"response\": [" + MISP_EVENT + ", " + MISP_EVENT + "]}";
        IndicatorImport result = read("search.json", response);
        assertThat(result.format()).isEqualTo(IntelFormat.MISP_JSON);
        assertThat(result.indicators()).hasSize(7);
    }

    @Test
    void misp_csv_exports_are_read_by_their_header() {
        String csv = """
                uuid,event_id,category,type,value,comment,to_ids,date,object_relation,attribute_tag,object_uuid,object_name,object_meta_category
                a1,7,Network activity,ip-dst,203.0.113.7,"C2, seen twice",1,1700000000,,"tlp:white,misp-galaxy:threat-actor=""APT 28""\",,,
                a2,7,Network activity,hostname,Evil.Example,,True,1700000000,,,,,
                a3,7,Payload delivery,sha1,DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,,0,1700000000,,,,,
                a4,7,Network activity,ip-dst,300.1.1.1,,1,1700000000,,,,,
                a5,7,Network activity,ip-dst,1.2.3.4
                """;
        IndicatorImport result = read("export.csv", csv);
        assertThat(result.format()).isEqualTo(IntelFormat.MISP_CSV);
        assertThat(result.indicators()).extracting(Indicator::key).containsExactly("ipv4:203.0.113.7",
                "domain:evil.example");
        Provenance p = find(result, "ipv4:203.0.113.7").provenance();
        assertThat(p.feeds()).containsExactly("export");
        assertThat(p.actors()).containsExactly("APT 28");
        assertThat(p.tags()).containsExactly("category:Network activity", "tlp:white");
        assertThat(p.lastSeen()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(result.rejected()).extracting(Object::toString).containsExactly(
                "line 5 (a4): ip-dst '300.1.1.1' is not an IP address", "line 6: has 5 columns, the header 13");
        assertThat(result.otherObjects()).containsEntry("to_ids false (not for detection)", 1);
    }

    @Test
    void plain_lists_recognize_types_ignore_comments_and_undo_defanging() {
        IndicatorImport result = read("blocklist.txt", """
                # a list of bad things
                203.0.113.7          # seen 2024-05-01
                198.51.100.0/24
                hxxps://evil[.]example/login
                cdn.evil(.)example
                bob[@]phish.example
                D41D8CD98F00B204E9800998ECF8427E
                0.0.0.0 ads.tracker.example
                not_an_indicator
                """);
        assertThat(result.format()).isEqualTo(IntelFormat.PLAIN);
        assertThat(result.indicators()).extracting(Indicator::key).containsExactly("ipv4:203.0.113.7",
                "cidr:198.51.100.0/24", "url:https://evil.example/login", "domain:cdn.evil.example",
                "email:bob@phish.example", "md5:d41d8cd98f00b204e9800998ecf8427e", "domain:ads.tracker.example");
        assertThat(result.rejected()).extracting(Object::toString).containsExactly(
                "line 9: 'not_an_indicator' is not an IP address, network, domain, URL, e-mail address or file hash");
        assertThat(result.indicators().get(0).provenance().feeds()).containsExactly("blocklist");
    }

    @Test
    void prose_is_not_taken_for_a_list() {
        IndicatorImport result = read("notes.txt", "Dear team,\nplease block evil.example today.\nThanks\n");
        assertThat(result.problem()).isEqualTo("not a list of indicators: 0 of 3 lines hold one (line 1: 'Dear' is"
                + " not an IP address, network, domain, URL, e-mail address or file hash)");
        assertThat(result.indicators()).isEmpty();
    }

    @Test
    void stix_objects_with_validity_windows_revocation_and_other_pattern_languages() {
        String bundle = """
                {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
                  {"type": "identity", "id": "identity--a463ffb3-1bd9-4d94-b02d-74e4f1658283", "name": "Acme CERT"},
                  {"type": "indicator", "id": "indicator--11111111-1111-4111-8111-111111111111", "spec_version": "2.1",
                   "created_by_ref": "identity--a463ffb3-1bd9-4d94-b02d-74e4f1658283", "confidence": 90,
                   "created": "2024-01-01T00:00:00Z", "modified": "2024-01-02T00:00:00Z",
                   "pattern": "[domain-name:value = 'evil.example']", "pattern_type": "stix",
                   "valid_from": "2024-01-01T00:00:00Z", "valid_until": "2026-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--11111111-1111-4111-8111-111111111111", "spec_version": "2.1",
                   "created": "2024-01-01T00:00:00Z", "modified": "2023-12-01T00:00:00Z",
                   "pattern": "[domain-name:value = 'older.example']", "pattern_type": "stix",
                   "valid_from": "2024-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--22222222-2222-4222-8222-222222222222",
                   "pattern": "[ipv4-addr:value = '192.0.2.1']", "pattern_type": "stix",
                   "valid_from": "2020-01-01T00:00:00Z", "valid_until": "2021-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--33333333-3333-4333-8333-333333333333", "revoked": true,
                   "pattern": "[ipv4-addr:value = '192.0.2.2']", "pattern_type": "stix",
                   "valid_from": "2020-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--44444444-4444-4444-8444-444444444444",
                   "pattern": "title: x", "pattern_type": "sigma", "valid_from": "2020-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--55555555-5555-4555-8555-555555555555",
                   "pattern": "[ipv4-addr:value = '192.0.2.3'", "pattern_type": "stix",
                   "valid_from": "2020-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "indicator--66666666-6666-4666-8666-666666666666",
                   "pattern": "[ipv4-addr:value = '192.0.2.4']", "valid_from": "2021-01-01T00:00:00Z",
                   "valid_until": "2020-01-01T00:00:00Z"},
                  {"type": "indicator", "id": "malware--77777777-7777-4777-8777-777777777777"},
                  {"id": "indicator--88888888-8888-4888-8888-888888888888"},
                  {"type": "intrusion-set", "id": "intrusion-set--99999999-9999-4999-8999-999999999999",
                   "name": "Group X"},
                  {"type": "relationship", "id": "relationship--aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
                   "relationship_type": "indicates",
                   "source_ref": "indicator--11111111-1111-4111-8111-111111111111",
                   "target_ref": "intrusion-set--99999999-9999-4999-8999-999999999999"}
                ]}""";
        IndicatorImport result = read("acme.json", bundle);
        assertThat(result.format()).isEqualTo(IntelFormat.STIX);
        assertThat(result.indicators()).extracting(Indicator::key).containsExactly("domain:evil.example");
        Provenance p = result.indicators().get(0).provenance();
        assertThat(p.feeds()).containsExactly("Acme CERT");
        assertThat(p.confidence()).isEqualTo(90);
        assertThat(p.actors()).containsExactly("Group X");
        assertThat(p.validUntil()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(result.rejected()).extracting(Object::toString).containsExactly(
                "malware--77777777-7777-4777-8777-777777777777: the id names the type 'malware' but the object is of"
                        + " type 'indicator'",
                "objects[9] indicator--88888888-8888-4888-8888-888888888888: has no 'type'",
                "indicator--22222222-2222-4222-8222-222222222222: ipv4:192.0.2.1 expired: its validity ended at"
                        + " 2021-01-01T00:00:00Z",
                "indicator--33333333-3333-4333-8333-333333333333: revoked by its producer",
                "indicator--44444444-4444-4444-8444-444444444444: pattern_type 'sigma' is not STIX patterning; import"
                        + " Sigma rules with 'vigil rules import'",
                "indicator--55555555-5555-4555-8555-555555555555: pattern [ipv4-addr:value = '192.0.2.3': column 31:"
                        + " expected ']' or AND, OR but found the end of the pattern",
                "indicator--66666666-6666-4666-8666-666666666666: valid_until 2020-01-01T00:00:00Z is not after"
                        + " valid_from 2021-01-01T00:00:00Z");
    }

    @Test
    void json_that_is_neither_stix_nor_misp_and_broken_json_are_refused() {
        assertThat(read("x.json", "{\"hello\": 1}").problem()).isEqualTo("JSON that is neither STIX (a bundle, or an"
                + " object with 'type' and 'id') nor a MISP event ({\"Event\": ...})");
        assertThat(read("x.json", "{\"type\": \"bundle\", \"objects\": [").problem())
                .startsWith("not valid JSON at line 1, column ");
        assertThat(IndicatorFiles.read("x.bin", new byte[] {1, 0, 2}, null, ImportOptions.at(NOW)).problem())
                .isEqualTo("a binary file (it holds NUL bytes), not indicators");
    }

    @Test
    void an_attack_style_bundle_without_indicators_is_knowledge() {
        IndicatorImport result = read("enterprise-attack.json", """
                {"type": "bundle", "id": "bundle--1", "objects": [
                  {"type": "attack-pattern", "id": "attack-pattern--01234567-89ab-4def-8123-456789abcdef", "name": "x"},
                  {"type": "x-mitre-tactic", "id": "x-mitre-tactic--01234567-89ab-4def-8123-456789abcdef"}]}""");
        assertThat(result.isKnowledgeOnly()).isTrue();
        assertThat(result.otherObjectsSorted()).containsExactly(Map.entry("attack-pattern", 1),
                Map.entry("x-mitre-tactic", 1));
    }

    @Test
    void the_options_name_the_feed_and_its_confidence() {
        IndicatorImport result = IndicatorFiles.read("list.txt", "203.0.113.7\n".getBytes(StandardCharsets.UTF_8),
                IntelFormat.PLAIN, new ImportOptions("partners", 95, NOW));
        Provenance p = result.indicators().get(0).provenance();
        assertThat(p.feeds()).containsExactly("partners");
        assertThat(p.confidence()).isEqualTo(95);
    }
}
