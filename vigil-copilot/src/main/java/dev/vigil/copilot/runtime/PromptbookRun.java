package dev.vigil.copilot.runtime;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.model.Principal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A promptbook's prompts asked in order in one session: a prompt that gets no answer stops the run, unless it
 * continues on failure. The CLI and the server run promptbooks this way.
 */
public final class PromptbookRun {
    /** What a run asked: the answers in order, how many got none, and where it stopped early (1-based). */
    public record Outcome(List<Answer> answers, int failed, OptionalInt stoppedAt) {
        public Outcome {
            answers = List.copyOf(answers);
        }
    }

    private PromptbookRun() {}

    /** Whether a prompt got no answer: the copilot asked back, could not answer, or a skill failed. */
    public static boolean failed(Answer answer) {
        return answer.plan().route() == Plan.Route.CLARIFY || answer.plan().route() == Plan.Route.UNANSWERABLE
                || answer.log().stream().anyMatch(s -> s.status().equals("failed"));
    }

    /**
     * Asks the prompts (the promptbook's, with its inputs filled in) in order.
     *
     * @param each receives each answer as it comes, to store or show it
     */
    public static Outcome run(Copilot copilot, Promptbook book, List<String> prompts, Principal principal,
            Instant now, ZoneId zone, Consumer<Answer> each) {
        SessionContext context = SessionContext.empty();
        List<Answer> answers = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < prompts.size(); i++) {
            Copilot.Turn turn = copilot.ask(prompts.get(i), context, principal, now, zone, step -> { });
            context = turn.context();
            answers.add(turn.answer());
            each.accept(turn.answer());
            if (failed(turn.answer())) {
                failed++;
                if (!book.prompts().get(i).continueOnFailure()) {
                    return new Outcome(answers, failed, OptionalInt.of(i + 1));
                }
            }
        }
        return new Outcome(answers, failed, OptionalInt.empty());
    }
}
