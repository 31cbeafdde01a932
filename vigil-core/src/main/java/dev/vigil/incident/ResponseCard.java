package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A step of guided response: what to do, on which entity, and why, with the evidence for the reason.
 *
 * @param action for containment and remediation steps that a responder can carry out, what to do
 *     ({@link Action}); null for advice (triage, investigation, remediation without an automated action)
 * @param target the entity acted on, or the subject of the advice ({@code incident 12}, a technique)
 * @param detail a query to run for investigation cards, a mitigation's id for remediation cards; else empty
 */
public record ResponseCard(Category category, Action action, String title, String target, String reason,
        String detail, List<String> evidence) {

    /** The four stages of guided response. */
    public enum Category {
        TRIAGE, CONTAINMENT, INVESTIGATION, REMEDIATION;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a responder can carry out once an analyst approves it. */
    public enum Action {
        ISOLATE_HOST, DISABLE_USER, REVOKE_SESSIONS, BLOCK_IP, BLOCK_DOMAIN, BLOCK_HASH, RESET_CREDENTIALS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Action parse(String text) {
            return IncidentText.parse(Action.class, text, "action");
        }
    }

    public ResponseCard {
        requireNonNull(category, "category is null");
        requireNonNull(title, "title is null");
        requireNonNull(target, "target is null");
        requireNonNull(reason, "reason is null");
        detail = detail == null ? "" : detail;
        evidence = List.copyOf(evidence);
    }
}
