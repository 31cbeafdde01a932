package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * How risky the script looks, with the reasons that set the level. A verdict is a triage aid, not a proof: a script
 * that looks benign may still do harm through code the analyzer could not decode.
 *
 * @param risk the level
 * @param reasons the sentences that set it, most important first; never empty
 */
public record Verdict(Risk risk, List<String> reasons) {
    public Verdict {
        requireNonNull(risk, "risk is null");
        reasons = List.copyOf(requireNonNull(reasons, "reasons is null"));
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a " + risk.key() + " verdict needs a reason");
        }
    }

    /** The levels of risk, lowest first. */
    public enum Risk {
        /** No known malicious or suspicious behaviour and no obfuscation. */
        BENIGN_LOOKING,
        /** Obfuscated, or does something attacks often do. */
        SUSPICIOUS,
        /** Does something hardly ever legitimate, or hides a suspicious behaviour under obfuscation. */
        MALICIOUS;

        /** The lower-case name shown to users and in JSON: {@code malicious}, {@code suspicious}, {@code benign-looking}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
