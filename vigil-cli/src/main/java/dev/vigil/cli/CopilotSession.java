package dev.vigil.cli;

import dev.vigil.ai.MiniLmEmbedder;
import dev.vigil.ai.ModelAuditLog;
import dev.vigil.ai.OpenAiCompatibleModel;
import dev.vigil.copilot.model.ModelAssistant;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.Turn;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The copilot as the CLI runs it: over one tenant's store, with the in-jar embedding model when it loads. */
final class CopilotSession {
    private CopilotSession() {}

    /** The embedding model, or word overlap with a warning when the model cannot load or is turned off. */
    static Optional<Embedder> embedder(boolean wanted, PrintWriter err) {
        if (!wanted) {
            return Optional.empty();
        }
        try {
            MiniLmEmbedder embedder = MiniLmEmbedder.shared();
            embedder.embed("warm up");
            return Optional.of(embedder);
        } catch (VigilException e) {
            err.println("vigil: warning: " + e.getMessage() + "; ranking skills by word overlap instead");
            return Optional.empty();
        }
    }

    static TenantStore open(VigilConfig config, TenantStore.Mode mode) {
        if (!TenantStore.exists(config.dataDirectory(), config.tenant())) {
            throw new VigilException(ErrorCode.USAGE, "tenant '" + config.tenant() + "' has no data in "
                    + config.dataDirectory(), "Run 'vigil demo' for demo data, or 'vigil ingest FILE --tenant "
                    + config.tenant() + "' first.", null);
        }
        return SharedState.attach(config, TenantStore.open(config.dataDirectory(), config.tenant(), mode));
    }

    static Copilot copilot(VigilConfig config, TenantStore store, Optional<Embedder> embedder) {
        return Copilots.embedded(new Workspace(config, store), embedder);
    }

    /**
     * Puts the tenant's language model ({@code DATA/tenants/<tenant>/model.yaml}) behind the copilot.
     *
     * @param wanted true to require it, false to never use it, null to use it when the tenant has one
     * @return whether a model is in use
     */
    static boolean useLanguageModel(VigilConfig config, TenantStore store, Copilot copilot, Boolean wanted,
            PrintWriter err) {
        return dev.vigil.server.LanguageModels.attach(config, store, copilot, wanted,
                warning -> err.println("vigil: warning: " + warning));
    }

    static UUID sessionId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "'" + text + "' is not a session id",
                    "Use the id 'vigil sessions list' shows, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e.", null);
        }
    }

    /** The context a stored session's turns leave. */
    static SessionContext resume(Copilot copilot, Session session, Instant now, ZoneId zone) {
        List<Map.Entry<String, Answer>> turns = session.turns().stream()
                .map(t -> Map.entry(t.prompt(), t.answer())).toList();
        return copilot.resume(turns, now, zone);
    }

    /** Appends a turn and makes it durable. */
    static Turn record(TenantStore store, Principal principal, UUID session, Answer answer) {
        Turn turn = store.sessions().appendTurn(principal, session, answer.prompt(), answer);
        store.commit();
        return turn;
    }
}
