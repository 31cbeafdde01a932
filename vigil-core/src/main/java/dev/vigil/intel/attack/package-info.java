/**
 * The MITRE ATT&amp;CK knowledge base: techniques and sub-techniques, tactics, groups, software, mitigations, campaigns
 * and detection data read from an ATT&amp;CK STIX bundle (2.0 as in {@code mitre/cti}, 2.1 as in
 * {@code mitre-attack/attack-stix-data}), with the relationships between them.
 *
 * <p>{@link dev.vigil.intel.attack.AttackBundle#read(java.nio.file.Path)} streams a bundle into an immutable
 * {@link dev.vigil.intel.attack.AttackKnowledge}: look-ups by id, name and alias, the relationships both ways
 * (a group's techniques, the groups using a technique), detection data, and a small BM25 search over names, aliases
 * and descriptions. Revoked objects resolve to their replacement; deprecated ones stay readable but are left out of
 * the active lists.
 */
package dev.vigil.intel.attack;
