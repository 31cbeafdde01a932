package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.model.ModelConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The tenant's language model and data policy ({@code DATA/tenants/<tenant>/model.yaml}, read by every ask): anyone
 * of the tenant may see which model answers and what the policy lets it see; only its owners change it. The API key
 * never travels: the file names the environment variable of the server that holds it, and the answer says only
 * whether that variable is set.
 */
final class ModelApi {
    static final String MODEL = Api.TENANT + "/model";

    private final VigilConfig config;
    private final UnaryOperator<String> environment;

    ModelApi(VigilConfig config, UnaryOperator<String> environment) {
        this.config = requireNonNull(config, "config is null");
        this.environment = requireNonNull(environment, "environment is null");
    }

    List<Route> routes() {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("provider", "openai");
        example.put("base-url", "http://localhost:11434/v1");
        example.put("model", "llama3.1:8b");
        example.put("policy", "local-only");
        example.put("timeout", "30s");
        return List.of(
                new Route("GET", MODEL, Role.READER, "The tenant's language model and data policy: which model"
                        + " answers (the embedded copilot when none), what the policy lets it see, and whether its key"
                        + " is set (never the key)", null, this::show),
                new Route("PUT", MODEL, Role.OWNER, "Set the tenant's language model and data policy; the keys are"
                        + " those of model.yaml, api-key-env names the server's environment variable that holds the"
                        + " key", example, this::put),
                new Route("DELETE", MODEL, Role.OWNER, "Remove the tenant's language model: the embedded copilot"
                        + " answers alone and nothing leaves the server", null, this::remove));
    }

    private Path file(Call call) {
        return ModelConfig.file(config.dataDirectory(), call.tenant().value());
    }

    private Object show(Call call) {
        return describe(call, ModelConfig.read(file(call)));
    }

    private Object put(Call call) {
        Map<String, Object> body = call.body(ModelConfig.KEYS.keySet());
        Map<String, String> values = new LinkedHashMap<>();
        body.forEach((key, value) -> {
            if (value != null && !(value instanceof String) && !(value instanceof Number)) {
                throw new VigilException(ErrorCode.USAGE, "'" + key + "' must be text, not " + value,
                        "Send {\"" + key + "\": \"...\"}", null);
            }
            values.put(key, value == null ? "" : value.toString());
        });
        ModelConfig model = ModelConfig.parse(values, "the request");
        call.audit("provider", model.provider().key());
        call.audit("base_url", model.baseUrl().toString());
        call.audit("model", model.model());
        call.audit("policy", model.policy().key());
        write(file(call), values);
        return describe(call, Optional.of(model));
    }

    private Object remove(Call call) {
        Path file = file(call);
        try {
            boolean removed = Files.deleteIfExists(file);
            call.audit("removed", Boolean.toString(removed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
        return describe(call, Optional.empty());
    }

    private Map<String, Object> describe(Call call, Optional<ModelConfig> configured) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", call.tenant().value());
        json.put("configured", configured.isPresent());
        if (configured.isEmpty()) {
            json.put("answers", "the embedded copilot");
            json.put("effect", "No language model is configured: the embedded copilot answers every question on this"
                    + " server, and no data leaves it.");
        } else {
            ModelConfig model = configured.get();
            boolean permitted = model.policy().permits(model.baseUrl());
            json.put("answers", permitted ? "the model, checked by the embedded planner" : "the embedded copilot");
            json.put("provider", model.provider().key());
            json.put("base-url", model.baseUrl().toString());
            json.put("model", model.model());
            json.put("api-key-env", model.apiKeyEnvironmentVariable().orElse(null));
            json.put("api_key_set", model.apiKeyEnvironmentVariable().map(environment)
                    .map(v -> !v.isBlank()).orElse(null));
            json.put("timeout", model.timeout().toSeconds() + "s");
            json.put("policy", model.policy().key());
            json.put("api-version", model.apiVersion().orElse(null));
            json.put("permitted", permitted);
            json.put("effect", effect(model, permitted));
        }
        json.put("keys", ModelConfig.KEYS);
        return json;
    }

    private static String effect(ModelConfig model, boolean permitted) {
        String host = model.baseUrl().getHost();
        if (!permitted) {
            return "Policy local-only keeps the model at " + host + " out, because it is not on this machine or a"
                    + " private network: the embedded copilot answers and nothing is sent. Use a local model, or"
                    + " policy redact to send identities as placeholders.";
        }
        return switch (model.policy()) {
            case LOCAL_ONLY -> "The model at " + host + " is on this machine or a private network; identities and"
                    + " secrets are replaced by placeholders before anything is sent, and restored in the answer.";
            case REDACT -> "User names, e-mail addresses, IP addresses, host names and secrets are replaced by"
                    + " placeholders before anything is sent to " + host + ", and restored in the answer.";
            case ALLOW -> "Identities are sent to " + host + " as they are; secrets are still replaced.";
        };
    }

    /** Writes model.yaml atomically: each value as a double-quoted YAML scalar, so no value can add a key. */
    private static void write(Path file, Map<String, String> values) {
        StringBuilder text = new StringBuilder("# The tenant's language model, set over the REST API; `vigil model"
                + " --help` describes the keys.\n");
        values.forEach((key, value) -> {
            if (!value.isBlank()) {
                text.append(key).append(": ").append(quoted(value.strip())).append('\n');
            }
        });
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
