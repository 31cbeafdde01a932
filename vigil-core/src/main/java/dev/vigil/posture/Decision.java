package dev.vigil.posture;

/**
 * CISA's SSVC decisions for a deployer, in increasing urgency: Track (remediate in the normal cycle), Track*
 * (track closely), Attend (act sooner than the normal cycle, with management aware), Act (act now).
 */
public enum Decision {
    TRACK("Track"), TRACK_STAR("Track*"), ATTEND("Attend"), ACT("Act");

    private final String label;

    Decision(String label) {
        this.label = label;
    }

    /** The SSVC name, as tables, JSON and the store write it: Track, Track*, Attend, Act. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return label;
    }
}
