package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One message of a conversation with a model. */
public sealed interface ModelMessage {
    /** Instructions from Vigil. */
    record System(String text) implements ModelMessage {
        public System {
            requireNonNull(text, "text is null");
        }
    }

    /** The analyst's side: the prompt, or (when composing) the question and the wrapped results. */
    record User(String text) implements ModelMessage {
        public User {
            requireNonNull(text, "text is null");
        }
    }

    /** What the model said before: text and the tool calls it made. */
    record Assistant(String text, List<ToolCall> toolCalls) implements ModelMessage {
        public Assistant {
            requireNonNull(text, "text is null");
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** Vigil's answer to one tool call: never data, only whether the call was accepted and why not. */
    record ToolResult(String toolCallId, String toolName, String text) implements ModelMessage {
        public ToolResult {
            requireNonNull(toolCallId, "toolCallId is null");
            requireNonNull(toolName, "toolName is null");
            requireNonNull(text, "text is null");
        }
    }
}
