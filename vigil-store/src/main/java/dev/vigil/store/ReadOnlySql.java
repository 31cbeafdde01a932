package dev.vigil.store;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guards {@code vigil sql}: only statements that read may run. The first keyword decides, after comments; the store
 * itself is opened read-only with external access off, so a statement that slips past still cannot write, attach
 * another database or read files.
 */
final class ReadOnlySql {
    private static final Set<String> READS = Set.of("select", "with", "from", "values", "table", "describe", "show",
            "summarize", "explain", "pragma");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*(?:(?:--[^\\n]*\\n|/\\*.*?\\*/)\\s*)*\\(*\\s*([A-Za-z_]+)",
            Pattern.DOTALL);
    private static final Pattern LINE_COLUMN = Pattern.compile("LINE (\\d+):");

    private ReadOnlySql() {}

    static void check(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new VigilException(ErrorCode.QUERY_INVALID, "the query is empty");
        }
        Matcher matcher = FIRST_WORD.matcher(sql);
        String word = matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : "";
        if (!READS.contains(word)) {
            throw new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "'" + (word.isEmpty() ? sql.strip() : word.toUpperCase(Locale.ROOT))
                    + "' statements are not allowed: vigil sql only reads");
        }
        if (word.equals("pragma") && !sql.toLowerCase(Locale.ROOT).matches("(?s)\\s*pragma\\s+(table_info|show_tables|show_tables_expanded|database_size|storage_info|version)\\b.*")) {
            throw new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "only PRAGMA table_info, show_tables, database_size,"
                    + " storage_info and version are allowed: vigil sql only reads");
        }
    }

    static VigilException translate(String sql, SQLException e) {
        String message = TenantStore.firstLine(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("read-only") || lower.contains("read only")) {
            return new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "the query tries to change data: " + message, e);
        }
        if (lower.contains("external access") || lower.contains("lock_configuration") || lower.contains("configuration has been locked")) {
            return new VigilException(ErrorCode.QUERY_NOT_READ_ONLY, "the query tries to reach outside the tenant's store: "
                    + message, e);
        }
        if (lower.contains("catalog error") && lower.contains("table")) {
            return new VigilException(ErrorCode.TABLE_NOT_FOUND, message, e);
        }
        String full = String.valueOf(e.getMessage());
        Matcher line = LINE_COLUMN.matcher(full);
        String where = line.find() ? " (line " + line.group(1) + ")" : "";
        return new VigilException(ErrorCode.QUERY_INVALID, message + where, e);
    }
}
