package dev.vigil.server;

import dev.vigil.ai.ModelAuditLog;
import dev.vigil.ai.OpenAiCompatibleModel;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.model.ModelAssistant;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Puts a tenant's language model ({@code DATA/tenants/<tenant>/model.yaml}) behind its copilot, for every surface
 * that asks: {@code vigil ask}, {@code vigil chat}, promptbook runs and the REST API. The embedded planner validates
 * the model's plans and answers when the model cannot.
 */
public final class LanguageModels {
    private LanguageModels() {}

    /**
     * @param wanted true to require a model, false to never use one, null to use the tenant's when it has one
     * @param warn receives a warning when the tenant's data policy keeps the configured model out
     * @return whether a model is in use
     */
    public static boolean attach(VigilConfig config, TenantStore store, Copilot copilot, Boolean wanted,
            Consumer<String> warn) {
        if (Boolean.FALSE.equals(wanted)) {
            return false;
        }
        String tenant = store.tenant().value();
        Path file = ModelConfig.file(config.dataDirectory(), tenant);
        Optional<ModelConfig> model = ModelConfig.read(file);
        if (model.isEmpty()) {
            if (Boolean.TRUE.equals(wanted)) {
                throw new VigilException(ErrorCode.USAGE, "tenant '" + tenant + "' has no language model",
                        "Write " + file + " (the README's 'Bring your own model' shows how), then run"
                                + " 'vigil model test'.", null);
            }
            return false;
        }
        OpenAiCompatibleModel chat = OpenAiCompatibleModel.of(model.get(), System::getenv,
                ModelAuditLog.in(config.dataDirectory(), tenant));
        ModelAssistant assistant = Copilots.assistant(copilot, new Workspace(config, store), chat, model.get());
        if (!assistant.permitted()) {
            warn.accept("policy local-only keeps " + chat.describe() + " out: it is not on this machine or a private"
                    + " network; the embedded copilot answers");
        }
        copilot.useModel(assistant);
        return true;
    }
}
