package dev.vigil.copilot.skills;

import dev.vigil.copilot.SkillResult;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.posture.vuln.VulnKnowledge;

/**
 * What the intelligence and posture skills say about the knowledge behind an answer: which version they read, and,
 * when some is missing, the command that imports it.
 */
final class KnowledgeHints {
    private KnowledgeHints() {}

    /** How to import ATT&amp;CK; the same command `vigil intel` names. */
    static final String IMPORT_ATTACK = "`vigil intel import enterprise-attack.json` (MITRE's STIX bundle, from"
            + " github.com/mitre-attack/attack-stix-data)";

    /** How to import vulnerability knowledge. */
    static final String IMPORT_VULNS = "`vigil vulns import known_exploited_vulnerabilities.json` for CISA KEV, and"
            + " the CVE JSON 5 records (cvelistV5), OSV entries and EPSS scores with the same command";

    /** How to import an inventory. */
    static final String IMPORT_INVENTORY = "`vigil inventory import FILE` (CSV, JSON, CycloneDX or osquery output)";

    /** How to import threat intelligence. */
    static final String IMPORT_INTEL = "`vigil intel import FILE` (a STIX bundle, a MISP export or a plain list"
            + " of indicators)";

    /** A FAILED result saying ATT&amp;CK is needed and how to import it. */
    static SkillResult attackMissing(String skill, String what, String tenant) {
        return SkillResult.builder(skill).status(SkillResult.Status.FAILED)
                .markdown("Vigil cannot " + what + ": no MITRE ATT&CK knowledge is imported in this data directory"
                        + " (tenant '" + tenant + "'). Import it with " + IMPORT_ATTACK + ", then ask again.")
                .fact("tenant", tenant).fact("missing_knowledge", "attack")
                .followUp("what does CVE-2021-44228 affect here?")
                .followUp("is 8.8.8.8 malicious?").build();
    }

    /** {@code ATT&CK v18.1}, or {@code the imported ATT&CK bundle} when the bundle does not say its version. */
    static String attackName(AttackKnowledge attack) {
        String version = attack.summary().attackVersion();
        return version.isBlank() ? "the imported ATT&CK bundle" : "ATT&CK v" + version.replaceFirst("^[vV]", "");
    }

    /** Records the ATT&amp;CK version among the facts, when the bundle says it. */
    static void attackFacts(SkillResult.Builder result, AttackKnowledge attack) {
        String version = attack.summary().attackVersion();
        if (!version.isBlank()) {
            result.fact("attack_version", version.replaceFirst("^[vV]", ""));
        }
    }

    /** {@code the KEV catalog 2025.08.25}, or a phrase saying no KEV catalog is imported. */
    static String kevName(VulnKnowledge knowledge) {
        String version = knowledge.kevCatalogVersion();
        if (knowledge.kevEntries().isEmpty()) {
            return "no CISA KEV catalog";
        }
        return version == null || version.isBlank() ? "the imported CISA KEV catalog" : "CISA KEV catalog " + version;
    }

    static void kevFacts(SkillResult.Builder result, VulnKnowledge knowledge) {
        String version = knowledge.kevCatalogVersion();
        if (!knowledge.kevEntries().isEmpty() && version != null && !version.isBlank()) {
            result.fact("kev_catalog", version);
        }
    }
}
