package dev.vigil.copilot;

/**
 * The kinds of thing an analyst names in a question, and the kinds of input a skill takes. The planner extracts
 * mentions of these types from a prompt and fills a skill's inputs from them by type.
 */
public enum EntityType {
    IP,
    CIDR,
    DOMAIN,
    URL,
    EMAIL,
    HASH,
    CVE,
    /** An ATT&CK technique or sub-technique, by id ({@code T1003.001}) or by name ("credential dumping"). */
    TECHNIQUE,
    /** An ATT&CK tactic, by id ({@code TA0006}) or name ("lateral movement"). */
    TACTIC,
    /** A threat actor: an ATT&CK group by id ({@code G0016}), name or alias ("APT29", "Cozy Bear"). */
    ACTOR,
    /** A Vigil incident number ({@code #12}, "incident 12"). */
    INCIDENT,
    /** A host known to the tenant's store or inventory. */
    HOST,
    /** A user account known to the tenant's store or identities. */
    USER,
    /** A process image name known to the tenant's store ({@code lsass.exe}). */
    PROCESS,
    /** A Sigma or analytics rule title known to the tenant. */
    RULE,
    /** A product or software name from the inventory or vulnerability knowledge. */
    PRODUCT,
    NUMBER,
    /** A duration such as "3 hours", in the canonical form of the hunting language ({@code 3h}). */
    DURATION,
    /** A script or command line pasted into the prompt. */
    SCRIPT,
    /** Free text pasted into the prompt, such as a threat article. */
    TEXT;

    /** The name used in skill manifests, plan printouts and JSON: lower case. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
