package dev.vigil.sigma;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.List;

/** A rule file that cannot be used, with every problem found, each as {@code file:line:column: message}. */
public final class SigmaRuleException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SigmaRuleException(List<String> problems) {
        super(ErrorCode.RULE_INVALID, String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
