package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a bundle held, for status pages and for answers that cite the knowledge base's version. Counts of kinds are of
 * active objects (neither revoked nor deprecated); {@link AttackKnowledge#all(Class)} has the rest.
 *
 * @param source the file or stream name the bundle was read from
 * @param specVersion the STIX version: the bundle's {@code spec_version} (2.0), else the objects' (2.1)
 * @param attackVersion the ATT&amp;CK release from an {@code x-mitre-collection} object (2.1 bundles); empty when the
 *     bundle does not say, as {@code mitre/cti}'s 2.0 bundles don't
 * @param objects the STIX objects read, of every type
 * @param techniques active techniques, not counting sub-techniques
 * @param subtechniques active sub-techniques
 * @param relationships relationships linked into the knowledge (uses, mitigates, subtechnique-of, detects,
 *     attributed-to, revoked-by)
 * @param revoked objects of the kinds above that ATT&amp;CK revoked
 * @param deprecated objects of the kinds above that ATT&amp;CK deprecated
 * @param skipped objects and relationships left out, each with a reason in {@code warnings}
 * @param warnings the reasons, the first {@value AttackBundle#MAX_WARNINGS} of them
 */
public record Summary(String source, String specVersion, String attackVersion, int objects, int techniques,
        int subtechniques, int tactics, int groups, int software, int mitigations, int campaigns, int dataComponents,
        int detectionStrategies, int relationships, int revoked, int deprecated, int skipped, List<String> warnings) {

    public Summary {
        requireNonNull(source, "source is null");
        requireNonNull(specVersion, "specVersion is null");
        requireNonNull(attackVersion, "attackVersion is null");
        warnings = List.copyOf(warnings);
    }
}
