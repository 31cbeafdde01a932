package dev.vigil.posture.inventory;

import static java.util.Objects.requireNonNull;

/**
 * A piece of software installed (or seen running) on an asset.
 *
 * @param purl its package URL when known ({@code pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1}), else null
 * @param cpe its CPE 2.3 name when known, else null
 * @param source {@code file:line} or {@code file: /json/pointer} of the record, or {@code events}
 */
public record Software(String assetId, String name, String vendor, String version, String purl, String cpe,
        Origin origin, String source) {
    public Software {
        requireNonNull(assetId, "assetId is null");
        requireNonNull(name, "name is null");
        vendor = vendor == null ? "" : vendor.strip();
        version = version == null ? "" : version.strip();
        purl = purl == null || purl.isBlank() ? null : purl.strip();
        cpe = cpe == null || cpe.isBlank() ? null : cpe.strip();
        requireNonNull(origin, "origin is null");
        source = source == null ? "" : source;
    }

    /** Identifies the item within its asset, for de-duplication across sources. */
    public String key() {
        return assetId + "|" + (purl != null ? purl.replaceAll("@.*", "") : name.toLowerCase(java.util.Locale.ROOT))
                + "|" + version;
    }
}
