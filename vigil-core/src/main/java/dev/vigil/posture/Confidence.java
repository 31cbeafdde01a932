package dev.vigil.posture;

/** How sure a vulnerability match is, from how the software was identified. */
public enum Confidence {
    /** The package (package URL) or CPE names the software, and its version is in an affected range. */
    HIGH,
    /** The product's name (and vendor) match after normalization, and the version is in an affected range. */
    MEDIUM,
    /** Only the vendor and product match: no record gives the CVE's affected versions (a KEV entry alone). */
    LOW;

    /** As people and JSON write it: high, medium, low. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
