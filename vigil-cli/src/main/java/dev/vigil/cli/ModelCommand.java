package dev.vigil.cli;

import dev.vigil.ai.ModelAuditLog;
import dev.vigil.ai.OpenAiCompatibleModel;
import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.model.LanguageModel;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil model ...}: the tenant's language model. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"The tenant's language model (bring your own: OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp).",
                "It is configured in DATA/tenants/<tenant>/model.yaml; the README's 'Bring your own model' lists the"
                        + " keys and what each policy sends."},
        subcommands = {ModelCommand.Test.class})
final class ModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** {@code vigil model test}: one fixed sentence to the model, nothing from the tenant. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Check the connection to the tenant's language model with a fixed sentence that holds"
                    + " nothing from the tenant (the call is audited like every other).",
                    "Exit codes: 0 the model answered; 1 it failed or the policy forbids it; 2 usage."})
    static final class Test implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Path file = ModelConfig.file(config.dataDirectory(), config.tenant().value());
            Optional<ModelConfig> model = ModelConfig.read(file);
            if (model.isEmpty()) {
                throw new VigilException(ErrorCode.USAGE, "tenant '" + config.tenant() + "' has no language model",
                        "Write " + file + " with at least base-url: and model: (see the README).", null);
            }
            ModelConfig m = model.get();
            out.println("provider  " + m.provider().key());
            out.println("base-url  " + m.baseUrl());
            out.println("model     " + m.model());
            out.println("api key   " + m.apiKeyEnvironmentVariable().map(v -> "from $" + v).orElse("none"));
            out.println("policy    " + m.policy().key() + (m.policy().permits(m.baseUrl()) ? ""
                    : " (forbids this base URL: it is not local)"));
            out.println("timeout   " + m.timeout().toMillis() + " ms");
            OpenAiCompatibleModel chat = OpenAiCompatibleModel.of(m, System::getenv,
                    ModelAuditLog.in(config.dataDirectory(), config.tenant().value()));
            long started = System.nanoTime();
            try {
                String reply = chat.test();
                out.println("reply     " + reply.strip() + " (" + (System.nanoTime() - started) / 1_000_000 + " ms)");
                return 0;
            } catch (LanguageModel.ModelUnavailableException e) {
                err.println("vigil: the model did not answer: " + e.getMessage());
                return 1;
            }
        }
    }
}
