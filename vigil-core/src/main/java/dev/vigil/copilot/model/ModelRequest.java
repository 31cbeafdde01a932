package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One call to a model.
 *
 * @param purpose why it is called, for the audit record
 * @param messages the conversation
 * @param tools the tools offered; always empty when composing, so that text in the data cannot call anything
 */
public record ModelRequest(Purpose purpose, List<ModelMessage> messages, List<ToolDefinition> tools) {
    /** Why a model is called. */
    public enum Purpose {
        /** Planning: the prompt and the session only, with the skills as tools. */
        PLAN,
        /** Writing the answer from skill results, without tools. */
        COMPOSE,
        /** {@code vigil model test}: a fixed sentence, nothing from the tenant. */
        TEST
    }

    public ModelRequest {
        requireNonNull(purpose, "purpose is null");
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (purpose != Purpose.PLAN && !tools.isEmpty()) {
            throw new IllegalArgumentException("only planning offers tools; a " + purpose + " call must not");
        }
    }
}
