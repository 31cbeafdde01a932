package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

/**
 * A tool call a model made: which tool, with which arguments, as the model wrote them.
 *
 * @param id the call's id, which the answer to it must carry
 * @param name the tool's name
 * @param arguments the arguments as the model wrote them: a JSON object, or anything else when the model erred
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(arguments, "arguments is null");
    }
}
