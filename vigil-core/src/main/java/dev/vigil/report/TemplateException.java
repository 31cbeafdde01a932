package dev.vigil.report;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.List;

/**
 * A template that cannot be used, with every problem found: each reads {@code file:line:col: problem. Fix: ...}.
 */
public final class TemplateException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public TemplateException(List<String> problems) {
        super(ErrorCode.REPORT_TEMPLATE_INVALID, problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems:\n" + String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one per line, each with its file, line and column. */
    public List<String> problems() {
        return problems;
    }
}
