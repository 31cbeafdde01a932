package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a model answered.
 *
 * @param text its text, empty when it only called tools
 * @param toolCalls the tools it called, in order
 */
public record ModelReply(String text, List<ToolCall> toolCalls) {
    public ModelReply {
        requireNonNull(text, "text is null");
        toolCalls = List.copyOf(toolCalls);
    }
}
