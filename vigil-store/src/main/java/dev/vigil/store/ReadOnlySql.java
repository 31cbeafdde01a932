package dev.vigil.store;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards {@code vigil sql}: only one statement, and only one that reads. The first keyword decides, after comments
 * and opening parentheses; a second statement after a {@code ;} is refused whatever it is. Underneath, the store is
 * opened read-only with external access off and its configuration locked, so a statement that slipped past the guard
 * still could not write, attach another database or read files.
 */
final class ReadOnlySql {
    private static final Set<String> READS = Set.of("select", "with", "from", "values", "table", "describe", "show",
            "summarize", "explain", "pragma");
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "create", "drop", "alter",
            "attach", "detach", "copy", "install", "load", "force", "set", "reset", "call", "checkpoint",
            "force_checkpoint", "vacuum", "analyze", "export", "import", "begin", "start", "commit", "rollback",
            "abort", "end", "use", "truncate", "grant", "revoke", "merge", "upsert", "replace", "prepare", "execute",
            "deallocate", "comment");
    private static final Set<String> SAFE_PRAGMAS = Set.of("table_info", "show_tables", "show_tables_expanded",
            "database_size", "storage_info", "version", "show");
    private static final Pattern LINE = Pattern.compile("LINE (\\d+):");

    private ReadOnlySql() {}

    static void check(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new VigilException(ErrorCode.QUERY_INVALID, "the query is empty",
                    "Pass a query, e.g. vigil sql \"SELECT * FROM SecurityEvent LIMIT 10\".", null);
        }
        int start = skipNoise(sql, 0);
        int end = start;
        while (end < sql.length() && (Character.isLetter(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        String word = sql.substring(start, end).toLowerCase(Locale.ROOT);
        if (WRITES.contains(word)) {
            throw new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, word.toUpperCase(Locale.ROOT)
                    + " statements are not allowed: vigil sql only reads");
        }
        if (!READS.contains(word)) {
            String shown = word.isEmpty() ? excerpt(sql.substring(start)) : word;
            throw new VigilException(ErrorCode.QUERY_INVALID, "'" + shown + "' at column " + (start + 1)
                    + " does not start a query", "Start the query with SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE"
                    + " or EXPLAIN; `vigil tables` lists the tables.", null);
        }
        if (word.equals("pragma")) {
            int nameStart = skipNoise(sql, end);
            int nameEnd = nameStart;
            while (nameEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(nameEnd)) || sql.charAt(nameEnd) == '_')) {
                nameEnd++;
            }
            String pragma = sql.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
            if (!SAFE_PRAGMAS.contains(pragma)) {
                throw new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "PRAGMA " + pragma + " is not allowed: only "
                        + String.join(", ", SAFE_PRAGMAS.stream().sorted().toList()) + " read");
            }
        }
        int second = secondStatement(sql);
        if (second >= 0) {
            throw new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "a second statement starts at column " + (second + 1)
                    + ": vigil sql runs one statement at a time", "Remove everything after the first ';'.", null);
        }
    }

    /** Skips white space, comments and opening parentheses. */
    private static int skipNoise(String sql, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? sql.length() : newline + 1;
            } else if (sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? sql.length() : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /** The offset of a statement after a ';' (outside strings, identifiers and comments), or -1. */
    static int secondStatement(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = i + 1;
                while (close < sql.length()) {
                    if (sql.charAt(close) == c) {
                        if (close + 1 < sql.length() && sql.charAt(close + 1) == c) {
                            close += 2; // doubled quote
                            continue;
                        }
                        break;
                    }
                    close++;
                }
                i = close + 1;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                i = skipNoise(sql, i);
            } else if (c == ';') {
                int next = skipNoise(sql, i + 1);
                while (next < sql.length() && sql.charAt(next) == ';') {
                    next = skipNoise(sql, next + 1);
                }
                if (next < sql.length()) {
                    return next;
                }
                return -1;
            } else {
                i++;
            }
        }
        return -1;
    }

    static VigilException translate(String sql, SQLException e) {
        String message = TenantStore.firstLine(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only") || lower.contains("read only")) {
            return new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "the query tries to change data: " + message, e);
        }
        if (lower.contains("permission error") || lower.contains("external access")
                || lower.contains("file system operations are disabled") || lower.contains("lock_configuration")
                || lower.contains("configuration has been locked")) {
            return new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "the query tries to reach outside the tenant's"
                    + " store: " + message, "vigil sql reads only the tenant's own tables; ingest files with vigil ingest.", e);
        }
        if (lower.contains("catalog error") && lower.contains("table")) {
            return new VigilException(ErrorCode.TABLE_NOT_FOUND, message, e);
        }
        Matcher line = LINE.matcher(String.valueOf(e.getMessage()));
        String where = line.find() ? " (line " + line.group(1) + ")" : "";
        return new VigilException(ErrorCode.QUERY_INVALID, message + where, e);
    }

    private static String excerpt(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 30 ? line.substring(0, 30) + "..." : line;
    }
}
