package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import java.time.Instant;

/**
 * One exchange of a session: a prompt and the answer it got. The answer keeps its queries, so the turn can be
 * replayed.
 *
 * @param number the turn's place in its session, from 1, never reused
 * @param at when the answer was recorded
 * @param prompt the prompt as the analyst typed it (the answer's own prompt may be the resolved form)
 * @param answer the whole answer object
 */
public record Turn(int number, Instant at, String prompt, Answer answer) {
    public Turn {
        requireNonNull(at, "at is null");
        requireNonNull(prompt, "prompt is null");
        requireNonNull(answer, "answer is null");
        if (number < 1) {
            throw new IllegalArgumentException("turns are numbered from 1: " + number);
        }
    }
}
