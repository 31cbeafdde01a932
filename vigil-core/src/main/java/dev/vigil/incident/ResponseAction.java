package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A containment or remediation action proposed by guided response, and where its decision stands. Its id derives from
 * the tenant, the incident, the action and the target, so the same proposal keeps its id however often the incident
 * is analysed, and a decision, once recorded, stays with it.
 *
 * @param decidedBy who approved or rejected it, empty while proposed
 * @param outcome what the responder reported, or why it was rejected
 */
public record ResponseAction(UUID id, long incident, ResponseCard.Action action, String target, String reason,
        List<String> evidence, Status status, String decidedBy, Instant decidedAt, String outcome) {

    /** Where the decision stands. */
    public enum Status {
        PROPOSED, REJECTED, APPROVED, SUCCEEDED, FAILED;

        public static Status parse(String text) {
            return IncidentText.parse(Status.class, text, "action status");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ResponseAction {
        requireNonNull(id, "id is null");
        requireNonNull(action, "action is null");
        requireNonNull(target, "target is null");
        requireNonNull(reason, "reason is null");
        evidence = List.copyOf(evidence);
        requireNonNull(status, "status is null");
        decidedBy = decidedBy == null ? "" : decidedBy;
        outcome = outcome == null ? "" : outcome;
    }

    /** The proposal a card makes, undecided. */
    public static ResponseAction proposed(TenantId tenant, long incident, ResponseCard card) {
        if (card.action() == null) {
            throw new IllegalArgumentException("the card '" + card.title() + "' proposes no action");
        }
        return new ResponseAction(idFor(tenant, incident, card.action(), card.target()), incident, card.action(),
                card.target(), card.reason(), card.evidence(), Status.PROPOSED, "", null, "");
    }

    public static UUID idFor(TenantId tenant, long incident, ResponseCard.Action action, String target) {
        return UUID.nameUUIDFromBytes((tenant.value() + "\n" + incident + "\n" + action + "\n" + target)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The short form people type: the first eight hex digits of the id. */
    public String shortId() {
        return id.toString().substring(0, 8);
    }

    public ResponseAction decided(Status next, String by, Instant at, String text) {
        return new ResponseAction(id, incident, action, target, reason, evidence, next, by, at, text);
    }
}
