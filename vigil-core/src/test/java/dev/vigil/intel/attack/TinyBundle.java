package dev.vigil.intel.attack;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written ATT&amp;CK bundle small enough to read whole, with one of each thing the reader must handle: revoked and
 * deprecated objects, a chain of revocations, a shared sub-technique name, relationships that are revoked, dangling,
 * or between kinds ATT&amp;CK does not relate, two versions of one object, an object without an ATT&amp;CK id, and both the
 * v17 (data component detects) and v18 (detection strategy, analytic) shapes of detection data.
 *
 * <p>It is written out in either STIX shape: 2.0 as in mitre/cti ({@code spec_version} on the bundle) or 2.1 as in
 * mitre-attack/attack-stix-data ({@code spec_version} on every object, and an {@code x-mitre-collection}).
 */
enum TinyBundle {
    STIX_2_0, STIX_2_1;

    static final String SOURCE = "tiny-attack.json";

    AttackKnowledge read() {
        return AttackBundle.read(new ByteArrayInputStream(json().getBytes(StandardCharsets.UTF_8)), SOURCE);
    }

    String json() {
        List<String> objects = new ArrayList<>(OBJECTS);
        if (this == STIX_2_1) {
            objects.add(COLLECTION);
            objects.replaceAll(object -> object.replaceFirst("\\{", "{\"spec_version\": \"2.1\", "));
        }
        String header = this == STIX_2_0 ? "\"spec_version\": \"2.0\",\n" : "";
        return "{\"type\": \"bundle\", \"id\": \"bundle--00000000-0000-4000-8000-000000000000\",\n" + header
                + "\"objects\": [\n" + String.join(",\n", objects) + "\n]}\n";
    }

    private static String attackId(String id, String path) {
        return "\"external_references\": [{\"source_name\": \"mitre-attack\", \"external_id\": \"" + id
                + "\", \"url\": \"https://attack.mitre.org/" + path + "\"}]";
    }

    private static String technique(String uuid, String id, String name, String tactic, boolean subtechnique,
            String extra) {
        return """
                {"type": "attack-pattern", "id": "attack-pattern--%s", "modified": "2025-01-01T00:00:00.000Z",
                 "name": "%s", "description": "Adversaries may %s.(Citation: Test)",
                 "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "%s"}],
                 "x_mitre_platforms": ["Windows"], "x_mitre_is_subtechnique": %s, "x_mitre_detection": "",
                 %s%s}""".formatted(uuid, name, name.toLowerCase(java.util.Locale.ROOT), tactic, subtechnique,
                attackId(id, "techniques/" + id.replace('.', '/')), extra);
    }

    private static String relationship(int number, String type, String source, String target, String extra) {
        return """
                {"type": "relationship", "id": "relationship--%08d-0000-4000-8000-000000000000",
                 "modified": "2025-01-01T00:00:00.000Z", "relationship_type": "%s",
                 "source_ref": "%s", "target_ref": "%s"%s}""".formatted(number, type, source, target, extra);
    }

    private static final String T1003 = "attack-pattern--00000000-0000-4000-8000-000000001003";
    private static final String T1003_001 = "attack-pattern--00000000-0000-4000-8000-000001003001";
    private static final String T1087 = "attack-pattern--00000000-0000-4000-8000-000000001087";
    private static final String T1087_001 = "attack-pattern--00000000-0000-4000-8000-000001087001";
    private static final String T1136_001 = "attack-pattern--00000000-0000-4000-8000-000001136001";
    private static final String T1002 = "attack-pattern--00000000-0000-4000-8000-000000001002";
    private static final String T1998 = "attack-pattern--00000000-0000-4000-8000-000000001998";
    private static final String T1999 = "attack-pattern--00000000-0000-4000-8000-000000001999";
    private static final String TA0006 = "x-mitre-tactic--00000000-0000-4000-8000-000000000006";
    private static final String TA0007 = "x-mitre-tactic--00000000-0000-4000-8000-000000000007";
    private static final String G0016 = "intrusion-set--00000000-0000-4000-8000-000000000016";
    private static final String G0118 = "intrusion-set--00000000-0000-4000-8000-000000000118";
    private static final String G0014 = "intrusion-set--00000000-0000-4000-8000-000000000014";
    private static final String S0002 = "tool--00000000-0000-4000-8000-000000000002";
    private static final String S0154 = "malware--00000000-0000-4000-8000-000000000154";
    private static final String M1043 = "course-of-action--00000000-0000-4000-8000-000000001043";
    private static final String M1026 = "course-of-action--00000000-0000-4000-8000-000000001026";
    private static final String C0024 = "campaign--00000000-0000-4000-8000-000000000024";
    private static final String DC0035 = "x-mitre-data-component--00000000-0000-4000-8000-000000000035";
    private static final String DC0021 = "x-mitre-data-component--00000000-0000-4000-8000-000000000021";
    private static final String DS0009 = "x-mitre-data-source--00000000-0000-4000-8000-000000000009";
    private static final String AN0001 = "x-mitre-analytic--00000000-0000-4000-8000-000000000001";
    private static final String DET0001 = "x-mitre-detection-strategy--00000000-0000-4000-8000-000000000001";

    private static final String COLLECTION = """
            {"type": "x-mitre-collection", "id": "x-mitre-collection--00000000-0000-4000-8000-000000000001",
             "modified": "2025-01-01T00:00:00.000Z", "name": "Tiny ATT&CK", "x_mitre_version": "18.1",
             "x_mitre_contents": []}""";

    private static final List<String> OBJECTS = List.of(
            """
            {"type": "identity", "id": "identity--00000000-0000-4000-8000-000000000001", "name": "The MITRE Corporation",
             "identity_class": "organization"}""",
            """
            {"type": "x-mitre-matrix", "id": "x-mitre-matrix--00000000-0000-4000-8000-000000000001",
             "name": "Enterprise ATT&CK", "tactic_refs": ["%s", "%s"],
             %s}""".formatted(TA0007, TA0006, attackId("enterprise-attack", "matrices/enterprise")),
            """
            {"type": "x-mitre-tactic", "id": "%s", "name": "Credential Access", "x_mitre_shortname": "credential-access",
             "description": "The adversary is trying to steal account names and passwords.",
             %s}""".formatted(TA0006, attackId("TA0006", "tactics/TA0006")),
            """
            {"type": "x-mitre-tactic", "id": "%s", "name": "Discovery", "x_mitre_shortname": "discovery",
             "description": "The adversary is trying to figure out your environment.",
             %s}""".formatted(TA0007, attackId("TA0007", "tactics/TA0007")),
            technique("00000000-0000-4000-8000-000000001003", "T1003", "OS Credential Dumping", "credential-access",
                    false, ""),
            technique("00000000-0000-4000-8000-000001003001", "T1003.001", "LSASS Memory", "credential-access",
                    true, ""),
            // Sub-technique without a subtechnique-of relationship: its parent comes from its id.
            technique("00000000-0000-4000-8000-000001003002", "T1003.002", "Security Account Manager",
                    "credential-access", true, ""),
            technique("00000000-0000-4000-8000-000000001087", "T1087", "Account Discovery", "discovery", false, ""),
            // An older version of T1087, after the newer one: the newer one stays.
            technique("00000000-0000-4000-8000-000000001087", "T1087", "Account Enumeration", "discovery", false, "")
                    .replace("2025-01-01T00:00:00.000Z", "2019-01-01T00:00:00.000Z"),
            technique("00000000-0000-4000-8000-000001087001", "T1087.001", "Local Account", "discovery", true, ""),
            technique("00000000-0000-4000-8000-000000001136", "T1136", "Create Account", "persistence", false, ""),
            technique("00000000-0000-4000-8000-000001136001", "T1136.001", "Local Account", "persistence", true, ""),
            technique("00000000-0000-4000-8000-000000001002", "T1002", "Data Compressed", "exfiltration", false,
                    ", \"x_mitre_deprecated\": true"),
            technique("00000000-0000-4000-8000-000000001999", "T1999", "Credential Scraping", "credential-access",
                    false, ", \"revoked\": true"),
            technique("00000000-0000-4000-8000-000000001998", "T1998", "Password Harvesting", "credential-access",
                    false, ", \"revoked\": true"),
            // Not ATT&CK's: no mitre-attack external id.
            """
            {"type": "attack-pattern", "id": "attack-pattern--00000000-0000-4000-8000-00000000ca9e",
             "name": "Phishing (CAPEC)", "external_references": [{"source_name": "capec", "external_id": "CAPEC-98"}]}""",
            """
            {"type": "intrusion-set", "id": "%s", "name": "APT29",
             "aliases": ["APT29", "Cozy Bear", "NOBELIUM"],
             "description": "[APT29](https://attack.mitre.org/groups/G0016) is attributed to Russia's SVR.(Citation: X)",
             %s}""".formatted(G0016, attackId("G0016", "groups/G0016")),
            """
            {"type": "intrusion-set", "id": "%s", "name": "UNC2452", "aliases": ["UNC2452", "NOBELIUM"],
             "revoked": true, %s}""".formatted(G0118, attackId("G0118", "groups/G0118")),
            """
            {"type": "intrusion-set", "id": "%s", "name": "Night Dragon", "aliases": ["Night Dragon"],
             "x_mitre_deprecated": true, %s}""".formatted(G0014, attackId("G0014", "groups/G0014")),
            """
            {"type": "tool", "id": "%s", "name": "Mimikatz", "x_mitre_aliases": ["Mimikatz"],
             "description": "Mimikatz is a credential dumper.", "labels": ["tool"], "x_mitre_platforms": ["Windows"],
             %s}""".formatted(S0002, attackId("S0002", "software/S0002")),
            """
            {"type": "malware", "id": "%s", "name": "Cobalt Strike", "x_mitre_aliases": ["Cobalt Strike", "CS"],
             "is_family": true, "description": "A commercial post-exploitation framework.",
             "x_mitre_platforms": ["Windows", "Linux"], %s}""".formatted(S0154, attackId("S0154", "software/S0154")),
            """
            {"type": "course-of-action", "id": "%s", "name": "Credential Access Protection",
             "description": "Use capabilities to prevent successful credential access.",
             %s}""".formatted(M1043, attackId("M1043", "mitigations/M1043")),
            """
            {"type": "course-of-action", "id": "%s", "name": "Privileged Account Management",
             "description": "Manage the creation, modification, use, and permissions of privileged accounts.",
             %s}""".formatted(M1026, attackId("M1026", "mitigations/M1026")),
            """
            {"type": "campaign", "id": "%s", "name": "SolarWinds Compromise", "aliases": ["SolarWinds Compromise"],
             "first_seen": "2019-08-01T05:00:00.000Z", "last_seen": "2021-01-01T06:00:00.000Z",
             "description": "A supply chain compromise.", %s}""".formatted(C0024, attackId("C0024", "campaigns/C0024")),
            """
            {"type": "x-mitre-data-source", "id": "%s", "name": "Process", "x_mitre_deprecated": true,
             %s}""".formatted(DS0009, attackId("DS0009", "datasources/DS0009")),
            """
            {"type": "x-mitre-data-component", "id": "%s", "name": "Process Access", "x_mitre_data_source_ref": "%s",
             "description": "Opening of a process by another process.",
             "x_mitre_log_sources": [{"name": "WinEventLog:Sysmon", "channel": "EventCode=10"}],
             %s}""".formatted(DC0035, DS0009, attackId("DC0035", "datacomponents/DC0035")),
            """
            {"type": "x-mitre-data-component", "id": "%s", "name": "OS API Execution",
             "description": "Operating system function calls.", %s}"""
                    .formatted(DC0021, attackId("DC0021", "datacomponents/DC0021")),
            """
            {"type": "x-mitre-analytic", "id": "%s", "name": "Analytic 0001",
             "description": "Non-system processes opening lsass.exe with read access.",
             "x_mitre_platforms": ["Windows"],
             "x_mitre_log_source_references": [{"x_mitre_data_component_ref": "%s", "name": "WinEventLog:Sysmon",
               "channel": "EventCode=10"}],
             %s}""".formatted(AN0001, DC0035, attackId("AN0001", "detectionstrategies/DET0001#AN0001")),
            """
            {"type": "x-mitre-detection-strategy", "id": "%s", "name": "LSASS access by unexpected processes",
             "x_mitre_analytic_refs": ["%s"], %s}"""
                    .formatted(DET0001, AN0001, attackId("DET0001", "detectionstrategies/DET0001")),
            relationship(1, "subtechnique-of", T1003_001, T1003, ""),
            relationship(2, "subtechnique-of", T1087_001, T1087, ""),
            relationship(3, "subtechnique-of", "attack-pattern--00000000-0000-4000-8000-000001136001",
                    "attack-pattern--00000000-0000-4000-8000-000000001136", ""),
            relationship(4, "uses", G0016, T1003_001, ", \"description\": \"[APT29](https://attack.mitre.org/groups/"
                    + "G0016) dumped LSASS memory.(Citation: Y)\""),
            relationship(5, "uses", G0016, S0002, ""),
            relationship(6, "uses", G0016, T1002, ""), // a deprecated technique: linked, but not listed
            relationship(7, "uses", G0014, T1087, ""), // a deprecated group keeps its own list
            relationship(8, "uses", G0118, T1087_001, ""), // a revoked group's relationships are stale
            relationship(9, "uses", S0002, T1003_001, ""),
            relationship(10, "uses", S0154, T1087, ""),
            relationship(11, "mitigates", M1043, T1003_001, ", \"description\": \"Enable Credential Guard.\""),
            relationship(12, "mitigates", M1026, T1003_001, ""),
            relationship(13, "mitigates", M1026, T1003, ""),
            relationship(14, "revoked-by", T1998, T1999, ""),
            relationship(15, "revoked-by", T1999, T1003_001, ""),
            relationship(16, "revoked-by", G0118, G0016, ""),
            relationship(17, "attributed-to", C0024, G0016, ""),
            relationship(18, "uses", C0024, T1003_001, ""),
            relationship(19, "detects", DET0001, T1003_001, ""),
            relationship(20, "detects", DC0021, T1003, ", \"description\": \"Monitor for API calls.\""),
            relationship(21, "uses", G0016, "attack-pattern--00000000-0000-4000-8000-0000000fffff", ""),
            relationship(22, "uses", G0016, T1087, ", \"revoked\": true"),
            relationship(23, "mitigates", G0016, S0002, ""),
            relationship(24, "revoked-by", T1087, T1003, "")); // T1087 is not revoked
}
