package dev.vigil.incident;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The decisions on an incident's proposed actions. Proposals come from the incident's response cards; decisions are
 * recorded (by the store) and laid over them, so a proposal shows whether it was approved, by whom, and how it went.
 */
public final class ResponsePlan {
    private ResponsePlan() {}

    /** The incident's actions: each card's proposal, with its recorded decision if there is one. */
    public static List<ResponseAction> actions(TenantId tenant, long incident, List<ResponseCard> cards,
            Map<UUID, ResponseAction> decisions) {
        List<ResponseAction> actions = new ArrayList<>();
        for (ResponseCard card : cards) {
            if (card.action() != null) {
                ResponseAction proposal = ResponseAction.proposed(tenant, incident, card);
                actions.add(decisions.getOrDefault(proposal.id(), proposal));
            }
        }
        return actions;
    }

    /** The action whose id or short id is {@code ref}, or {@link ErrorCode#ACTION_NOT_FOUND}. */
    public static ResponseAction find(List<ResponseAction> actions, long incident, String ref) {
        String wanted = ref.strip().toLowerCase(java.util.Locale.ROOT);
        List<ResponseAction> found = actions.stream().filter(a -> a.id().toString().startsWith(wanted)).toList();
        if (wanted.length() < 4 || found.isEmpty()) {
            throw new VigilException(ErrorCode.ACTION_NOT_FOUND, "incident " + incident + " proposes no action '"
                    + ref + "'");
        }
        if (found.size() > 1) {
            throw new VigilException(ErrorCode.ACTION_NOT_FOUND, "'" + ref + "' names " + found.size()
                    + " actions of incident " + incident + "; give more of the id");
        }
        return found.getFirst();
    }

    /** Approval: an analyst's decision on a proposed (or failed, to retry) action. */
    public static ResponseAction approve(ResponseAction action, Principal actor, Instant now) {
        actor.require(Role.ANALYST, "approve response actions");
        if (action.status() != ResponseAction.Status.PROPOSED && action.status() != ResponseAction.Status.FAILED) {
            throw new VigilException(ErrorCode.INCIDENT_UPDATE_INVALID, "action " + action.shortId() + " is "
                    + action.status() + (action.decidedBy().isEmpty() ? "" : " (by " + action.decidedBy() + ")")
                    + "; only proposed or failed actions can be approved");
        }
        return action.decided(ResponseAction.Status.APPROVED, actor.name(), now, "");
    }

    /** Rejection, with the analyst's reason. */
    public static ResponseAction reject(ResponseAction action, Principal actor, Instant now, String why) {
        actor.require(Role.ANALYST, "reject response actions");
        if (action.status() != ResponseAction.Status.PROPOSED) {
            throw new VigilException(ErrorCode.INCIDENT_UPDATE_INVALID, "action " + action.shortId() + " is "
                    + action.status() + "; only proposed actions can be rejected");
        }
        return action.decided(ResponseAction.Status.REJECTED, actor.name(), now, why == null ? "" : why.strip());
    }

    /** Runs an approved action through the responder and returns it with the outcome. */
    public static ResponseAction execute(ResponseAction approved, Incident incident, TenantId tenant,
            Responder responder, Instant now) {
        if (approved.status() != ResponseAction.Status.APPROVED) {
            throw new IllegalStateException("only approved actions run, not " + approved.status());
        }
        Responder.Outcome outcome;
        try {
            outcome = responder.execute(tenant.value(), incident, approved);
        } catch (RuntimeException e) {
            outcome = new Responder.Outcome(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return approved.decided(outcome.succeeded() ? ResponseAction.Status.SUCCEEDED : ResponseAction.Status.FAILED,
                approved.decidedBy(), now, responder.name() + ": " + outcome.detail());
    }
}
