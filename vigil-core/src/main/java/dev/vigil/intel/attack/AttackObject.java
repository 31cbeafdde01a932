package dev.vigil.intel.attack;

import java.util.Optional;

/**
 * One ATT&amp;CK object of the knowledge base: what every kind has in common.
 *
 * <p>The interface is sealed so that code rendering or explaining objects (the technique explainer, the threat-actor
 * profile, answers' evidence) can {@code switch} over the kinds without a {@code default} branch: adding a kind then
 * breaks the build everywhere it must be handled. All implementations are immutable records, safe to share between
 * threads and to cache.
 *
 * <p>{@link #id()} is the ATT&amp;CK id ({@code T1003.001}, {@code G0016}, {@code S0002}, {@code M1026}, {@code TA0006},
 * {@code C0001}, {@code DC0001}, {@code DET0001}), unique within a kind but not across kinds: a few deprecated
 * mitigations carry the id of the technique they once belonged to. {@link #stixId()} is unique across the bundle.
 * Texts are ATT&amp;CK's Markdown, with its {@code (Citation: ...)} markers; {@link AttackKnowledge#plainText(String)}
 * strips them for display.
 */
public sealed interface AttackObject
        permits Technique, Tactic, Group, Software, Mitigation, Campaign, DataComponent, DetectionStrategy {

    /** The ATT&amp;CK id, e.g. {@code T1003.001}. */
    String id();

    /** The STIX id, e.g. {@code attack-pattern--65f2d882-3f41-4d48-8a06-29af77ec9f90}. */
    String stixId();

    String name();

    /** ATT&amp;CK's Markdown description; empty when the object has none. */
    String description();

    /** The object's page on attack.mitre.org; empty when the bundle gives none. */
    String url();

    /** ATT&amp;CK no longer maintains the object and has no replacement for it. */
    boolean deprecated();

    /** ATT&amp;CK replaced the object, usually by the one named in {@link #revokedBy()}. */
    boolean revoked();

    /** The ATT&amp;CK id of the object that replaced this revoked one; empty when not revoked or not said. */
    Optional<String> revokedBy();

    /** Neither revoked nor deprecated: what ATT&amp;CK currently publishes. */
    default boolean active() {
        return !revoked() && !deprecated();
    }

    /** {@code T1003.001 (LSASS Memory)}: how answers cite the object. */
    default String label() {
        return id() + " (" + name() + ")";
    }
}
