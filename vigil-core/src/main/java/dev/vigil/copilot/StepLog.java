package dev.vigil.copilot;

import static java.util.Objects.requireNonNull;

/**
 * One line of an answer's process log: a skill that ran, with what inputs, how it went and how long it took.
 *
 * @param step what ran: {@code plan}, or a skill call as typed ({@code /incident-summary incident=12})
 * @param status {@code ok}, {@code empty}, {@code failed} or {@code skipped}
 * @param detail a short note (the error, the rows returned)
 * @param micros how long it took
 */
public record StepLog(String step, String status, String detail, long micros) {
    public StepLog {
        requireNonNull(step, "step is null");
        requireNonNull(status, "status is null");
        requireNonNull(detail, "detail is null");
    }
}
