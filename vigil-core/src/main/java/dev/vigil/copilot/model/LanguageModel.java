package dev.vigil.copilot.model;

import java.util.function.Consumer;

/**
 * The port to a chat model. The implementation (LangChain4j, module {@code vigil-ai}) sends the request as it is,
 * audits what it sent, and enforces the configured timeout.
 *
 * <p>Implementations are safe for use from several threads.
 */
public interface LanguageModel {
    /**
     * Calls the model.
     *
     * @param partial receives the text as it streams, piece by piece; the reply holds all of it
     * @throws ModelUnavailableException when the call fails or times out; the caller falls back to the embedded
     *     copilot
     */
    ModelReply chat(ModelRequest request, Consumer<String> partial);

    /** Where the model is, for messages: {@code llama3.1:8b at http://localhost:11434/v1}. */
    String describe();

    /** Raised when a model cannot be reached, fails or runs past its timeout. */
    final class ModelUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ModelUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
