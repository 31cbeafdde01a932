package dev.vigil.model;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type that crosses module boundaries. Its message names the object the error is about; the
 * {@linkplain #fix() fix} defaults to the code's and may be made more precise where the caller knows better.
 */
public class VigilException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String fix;

    public VigilException(ErrorCode code, String message) {
        this(code, message, code.fix(), null);
    }

    public VigilException(ErrorCode code, String message, Throwable cause) {
        this(code, message, code.fix(), cause);
    }

    public VigilException(ErrorCode code, String message, String fix, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.fix = requireNonNull(fix, "fix is null");
    }

    public ErrorCode code() {
        return code;
    }

    public String fix() {
        return fix;
    }
}
