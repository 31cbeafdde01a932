package dev.vigil.query;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.List;

/**
 * A valid query that uses a construct one engine's SQL dialect cannot express. A dialect throws it naming the
 * construct as queries spell it; {@link KqlCompiler} finds where the query uses it and adds the {@code line:column},
 * so the message reads {@code 3:12: 'ipv4_is_in_range' is not supported on spark: <why>}.
 */
public final class UnsupportedConstructException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final String construct;
    private final List<String> spellings;
    private final String engine;
    private final String reason;
    private final int line;
    private final int column;

    /**
     * @param construct the construct as a reader knows it: a function, operator or clause name
     * @param spellings the ways queries may write it (function names, operator words, pipe operator names), by which
     *     the compiler finds it in the query; the construct itself is always one
     * @param engine the dialect's name
     * @param reason why the engine cannot run it, and what to write instead if anything
     */
    public UnsupportedConstructException(String construct, List<String> spellings, String engine, String reason) {
        this(construct, spellings, engine, reason, 0, 0);
    }

    private UnsupportedConstructException(String construct, List<String> spellings, String engine, String reason,
            int line, int column) {
        super(ErrorCode.QUERY_UNSUPPORTED, (line > 0 ? line + ":" + column + ": " : "") + "'" + construct
                + "' is not supported on " + engine + ": " + reason, ErrorCode.QUERY_UNSUPPORTED.fix(), null);
        this.construct = requireNonNull(construct, "construct is null");
        this.spellings = List.copyOf(spellings);
        this.engine = requireNonNull(engine, "engine is null");
        this.reason = requireNonNull(reason, "reason is null");
        this.line = line;
        this.column = column;
    }

    /** The same error at a position of the query (1-based). */
    UnsupportedConstructException at(int line, int column) {
        return new UnsupportedConstructException(construct, spellings, engine, reason, line, column);
    }

    public String construct() {
        return construct;
    }

    List<String> spellings() {
        return spellings;
    }

    /** 1-based; 0 when the construct could not be found in the text (it came from a view definition). */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
