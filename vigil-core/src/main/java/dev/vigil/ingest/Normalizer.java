package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Fills the common columns of an event from its native fields, following the table-by-table mapping in
 * {@code normalization.yaml} (data, so that new sources need no code), and gives the event its time and id.
 *
 * <p>An event without a usable time gets the ingest time, as Sentinel's {@code TimeGenerated} does; the native
 * fields still hold whatever the source said. Values are checked for their column: an address that is not an IP
 * address never lands in {@code src_ip}, so correlation on it stays sound.
 */
public final class Normalizer {
    private static final int COLUMNS = CommonColumn.count();

    private final String[][] defaultCandidates;
    private final String[] timeCandidates;
    private final Map<String, String[][]> tableCandidates;
    private final Map<String, Map<String, String>> actions;
    private final Map<String, Map<String, String>> outcomes;
    private final Clock clock;

    private Normalizer(Map<String, Object> mapping, Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
        Map<String, Object> defaults = map(mapping.get("defaults"));
        this.timeCandidates = strings(defaults.get("time"));
        this.defaultCandidates = columns(map(defaults.get("columns")), null);
        this.tableCandidates = new HashMap<>();
        map(mapping.get("tables")).forEach((table, columns) ->
                tableCandidates.put(table, columns(map(columns), defaultCandidates)));
        this.actions = codeTables(map(mapping.get("actions")));
        this.outcomes = codeTables(map(mapping.get("outcomes")));
    }

    /** The normalizer with Vigil's built-in mapping. */
    public static Normalizer standard(Clock clock) {
        try (InputStream in = Normalizer.class.getResourceAsStream("normalization.yaml")) {
            if (in == null) {
                throw new IllegalStateException("normalization.yaml is missing from the class path");
            }
            return fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8), clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Normalizer fromYaml(String yaml, Clock clock) {
        Object loaded = new Load(LoadSettings.builder().setLabel("normalization.yaml").build()).loadFromString(yaml);
        return new Normalizer((Map<String, Object>) loaded, clock);
    }

    /**
     * @param occurrence how many byte-identical records came before this one in the same source
     */
    public Event normalize(TenantId tenant, RawRecord raw, ParsedRecord parsed, int occurrence) {
        Map<String, Object> fields = parsed.fields();
        String table = parsed.table();
        String[][] candidates = tableCandidates.getOrDefault(table, defaultCandidates);
        String[] common = new String[COLUMNS];
        for (int column = 0; column < COLUMNS; column++) {
            common[column] = pick(CommonColumn.byOrdinal(column), candidates[column], fields);
        }
        String eventCode = common[CommonColumn.EVENT_CODE.ordinal()];
        if (eventCode != null) {
            Map<String, String> tableActions = actions.get(table);
            if (tableActions != null && tableActions.containsKey(eventCode)) {
                common[CommonColumn.ACTION.ordinal()] = tableActions.get(eventCode);
            }
            Map<String, String> tableOutcomes = outcomes.get(table);
            if (tableOutcomes != null && tableOutcomes.containsKey(eventCode)) {
                common[CommonColumn.OUTCOME.ordinal()] = tableOutcomes.get(eventCode);
            }
        }
        if (common[CommonColumn.OUTCOME.ordinal()] == null && fields.get("Keywords") instanceof String keywords) {
            common[CommonColumn.OUTCOME.ordinal()] = windowsAuditOutcome(keywords);
        }
        long time = parsed.timeMicros();
        if (time == ParsedRecord.UNKNOWN_TIME) {
            time = findTime(fields);
        }
        if (time == ParsedRecord.UNKNOWN_TIME) {
            time = clock.millis() * 1000;
        }
        EventId id = EventId.derive(tenant, Math.floorDiv(time, 1000), raw.bytes(), occurrence);
        return new Event(id, tenant, table, time, common, fields, raw.text(), raw.position());
    }

    private long findTime(Map<String, Object> fields) {
        for (String candidate : timeCandidates) {
            Object value = fields.get(candidate);
            long time = switch (value) {
                case null -> ParsedRecord.UNKNOWN_TIME;
                case Long number -> Timestamps.fromEpochNumber(number);
                case Double number -> Timestamps.fromEpochNumber(number);
                default -> Timestamps.parseMicros(value.toString());
            };
            if (time != ParsedRecord.UNKNOWN_TIME) {
                return time;
            }
        }
        return ParsedRecord.UNKNOWN_TIME;
    }

    private static String pick(CommonColumn column, String[] candidates, Map<String, Object> fields) {
        for (String candidate : candidates) {
            Object value = fields.get(candidate);
            if (value == null) {
                continue;
            }
            String text = value.toString();
            if (text.isEmpty() || text.equals("-")) {
                continue;
            }
            String accepted = accept(column, candidate, value, text);
            if (accepted != null) {
                return accepted;
            }
        }
        return null;
    }

    private static String accept(CommonColumn column, String field, Object value, String text) {
        return switch (column) {
            case SRC_IP, DST_IP -> Addresses.normalizeIp(text);
            case FILE_HASH -> Hashes.strongest(text);
            case OUTCOME -> outcome(field, value, text);
            case SEVERITY -> severity(field, value, text);
            case USER -> text.equalsIgnoreCase("N/A") ? null : text;
            case HOST, PROCESS, PARENT_PROCESS, COMMAND_LINE, URL, DOMAIN, ACTION, EVENT_CODE -> text;
        };
    }

    static String outcome(String field, Object value, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "success", "succeeded", "successful", "true", "yes", "ok", "allowed", "allow", "pass", "passed":
                return "success";
            case "failure", "failed", "fail", "false", "no", "denied", "deny", "blocked", "block", "error", "dropped":
                return "failure";
            default:
                break;
        }
        if (field.equals("ResultType") || field.equals("status.errorCode") || field.equals("errorCode")) {
            return lower.equals("0") ? "success" : "failure";
        }
        return value instanceof Boolean b ? (b ? "success" : "failure") : lower;
    }

    static String severity(String field, Object value, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "emerg", "emergency", "alert", "crit", "critical", "fatal", "very-high", "very high" -> "critical";
            case "err", "error", "high" -> "high";
            case "warning", "warn", "medium" -> "medium";
            case "low" -> "low";
            case "notice", "info", "informational", "information", "debug", "verbose", "unknown" -> "informational";
            default -> numericSeverity(field, lower);
        };
    }

    private static String numericSeverity(String field, String text) {
        int level;
        try {
            level = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return text;
        }
        if (field.equalsIgnoreCase("Level")) { // Windows: 1 critical, 2 error, 3 warning, 0/4/5 information
            return switch (level) {
                case 1 -> "critical";
                case 2 -> "high";
                case 3 -> "medium";
                default -> "informational";
            };
        }
        // CEF and most vendors: 0-10
        if (level >= 9) {
            return "critical";
        } else if (level >= 7) {
            return "high";
        } else if (level >= 4) {
            return "medium";
        } else if (level >= 1) {
            return "low";
        }
        return "informational";
    }

    private static String windowsAuditOutcome(String keywords) {
        String lower = keywords.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x8010") || lower.contains("audit failure")) {
            return "failure";
        }
        if (lower.startsWith("0x8020") || lower.contains("audit success")) {
            return "success";
        }
        return null;
    }

    private static String[][] columns(Map<String, Object> columns, String[][] fallback) {
        String[][] result = new String[COLUMNS][];
        for (int i = 0; i < COLUMNS; i++) {
            result[i] = fallback == null ? new String[0] : fallback[i];
        }
        columns.forEach((name, list) -> {
            CommonColumn column = CommonColumn.byName(name);
            if (column == null) {
                throw new IllegalArgumentException("normalization.yaml names an unknown common column '" + name + "'");
            }
            result[column.ordinal()] = strings(list);
        });
        return result;
    }

    private static Map<String, Map<String, String>> codeTables(Map<String, Object> tables) {
        Map<String, Map<String, String>> result = new HashMap<>();
        tables.forEach((table, codes) -> {
            Map<String, String> byCode = new HashMap<>();
            map(codes).forEach((code, name) -> byCode.put(code, String.valueOf(name)));
            result.put(table, byCode);
        });
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (value == null) {
            return Map.of();
        }
        Map<String, Object> result = new HashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static String[] strings(Object value) {
        if (value == null) {
            return new String[0];
        }
        return ((List<?>) value).stream().map(String::valueOf).toArray(String[]::new);
    }
}
