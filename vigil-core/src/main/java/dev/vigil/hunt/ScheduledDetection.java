package dev.vigil.hunt;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the rows of a scheduled query into alerts, then applies suppression.
 *
 * <p><b>Alerts.</b> Ungrouped, each row with an event id is one alert; with {@code --group-by}, the rows that share
 * the group columns' values are one alert citing all their events. A row cites its events through a column named
 * {@code event_id} (one id) or {@code event_ids} (a {@code make_set(event_id)}), ignoring case; rows without an id
 * raise nothing and are counted. An alert's id comes from the tenant, the rule id {@code kql:NAME} and its sorted
 * event ids, so a run over the same window (or an overlapping one) stores nothing twice. Its time is the latest
 * {@code Timestamp}, {@code TimeGenerated} or {@code time} of its rows, else the run's time.
 *
 * <p><b>Threshold.</b> A group raises its alert only with at least {@code threshold} rows; ungrouped, the result
 * raises alerts only with at least {@code threshold} rows.
 *
 * <p><b>Suppression.</b> After a run raises an alert for a group (ungrouped: for the query), runs within the
 * suppression window raise nothing for it: those alerts are counted as suppressed and not stored. The window runs
 * from the time of the run that raised the alert; alerts already stored are counted apart and do not restart it.
 */
public final class ScheduledDetection {
    /** The column names that carry event ids, ignoring case. */
    public static final List<String> EVENT_ID_COLUMNS = List.of("event_id", "event_ids");
    /** The most events one alert cites; a larger group cites its earliest ids. */
    public static final int MAX_EVENTS_PER_ALERT = 1_000;
    private static final int MAX_FIELDS = 50;
    private static final int MAX_FIELD_LENGTH = 512;
    private static final int MAX_ENTITIES = 100;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final List<String> TIME_COLUMNS = List.of("timestamp", "timegenerated", "time");

    /** An alert a run would raise, before suppression, with its group's key (empty when ungrouped). */
    public record Candidate(String group, Alert alert, int rows) {
        public Candidate {
            requireNonNull(group, "group is null");
            requireNonNull(alert, "alert is null");
        }
    }

    /**
     * @param rowsWithoutEventId rows that cite no event and so raised nothing
     * @param belowThreshold groups (ungrouped: 1 for the whole result) with fewer rows than the threshold
     */
    public record Evaluation(List<Candidate> candidates, int rowsWithoutEventId, int belowThreshold) {
        public Evaluation {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * @param raised the alerts to store
     * @param alerted the groups an alert was raised for, each with the run's time: the suppression state to keep
     */
    public record Outcome(List<Alert> raised, int suppressed, int alreadyStored, Map<String, Instant> alerted) {
        public Outcome {
            raised = List.copyOf(raised);
            alerted = Map.copyOf(alerted);
        }
    }

    private ScheduledDetection() {}

    /**
     * Refuses a query whose result cannot raise alerts: without an event id column, or without a group-by column.
     *
     * @throws VigilException {@code QUERY_INVALID} naming what is missing and how to add it
     */
    public static void checkColumns(String name, List<String> columns, List<String> groupBy) {
        if (columns.stream().noneMatch(c -> EVENT_ID_COLUMNS.contains(c.toLowerCase(Locale.ROOT)))) {
            throw new VigilException(ErrorCode.QUERY_INVALID, "query '" + name + "' cannot raise alerts: its result has"
                    + " no event id column (its columns: " + String.join(", ", columns) + ")",
                    "Keep the id of each row's event in the output: add event_id to its project (every stored table"
                            + " and Defender table has it), or after a summarize, event_ids = make_set(event_id);"
                            + " then save it again.", null);
        }
        for (String column : groupBy) {
            if (columns.stream().noneMatch(c -> c.equalsIgnoreCase(column))) {
                throw new VigilException(ErrorCode.QUERY_INVALID, "--group-by column '" + column + "' is not in the"
                        + " result of query '" + name + "' (its columns: " + String.join(", ", columns) + ")",
                        "Group by columns the query outputs, or add the column to its project.", null);
            }
        }
    }

    /**
     * The alerts a run's rows raise, before suppression.
     *
     * @param title the alerts' title (groups add their values to it)
     * @param table the table the query reads first, recorded on the alerts; may be empty
     * @param runAt the run's time: the alert time of rows without a time column
     */
    public static Evaluation evaluate(TenantId tenant, HuntSchedule schedule, String title, String table,
            List<String> columns, List<List<Object>> rows, Instant runAt) {
        requireNonNull(tenant, "tenant is null");
        List<Integer> idColumns = new ArrayList<>();
        List<Integer> timeColumns = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String folded = columns.get(i).toLowerCase(Locale.ROOT);
            if (EVENT_ID_COLUMNS.contains(folded)) {
                idColumns.add(i);
            } else if (TIME_COLUMNS.contains(folded)) {
                timeColumns.add(i);
            }
        }
        List<Integer> groupColumns = new ArrayList<>();
        for (String column : schedule.groupBy()) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equalsIgnoreCase(column)) {
                    groupColumns.add(i);
                    break;
                }
            }
        }
        int withoutId = 0;
        Map<String, List<List<Object>>> groups = new LinkedHashMap<>();
        Map<List<Object>, Set<EventId>> ids = new HashMap<>();
        for (List<Object> row : rows) {
            Set<EventId> rowIds = eventIds(row, idColumns);
            if (rowIds.isEmpty()) {
                withoutId++;
                continue;
            }
            ids.put(row, rowIds);
            String key = schedule.groupBy().isEmpty() ? "" : groupKey(row, groupColumns);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        List<Candidate> candidates = new ArrayList<>();
        int belowThreshold = 0;
        if (schedule.groupBy().isEmpty()) {
            List<List<Object>> all = groups.getOrDefault("", List.of());
            if (all.size() < schedule.threshold()) {
                return new Evaluation(List.of(), withoutId, all.isEmpty() ? 0 : 1);
            }
            for (List<Object> row : all) {
                candidates.add(new Candidate("", alert(tenant, schedule, title, table, columns, List.of(row),
                        ids.get(row), timeColumns, Map.of(), runAt), 1));
            }
            return new Evaluation(candidates, withoutId, 0);
        }
        for (Map.Entry<String, List<List<Object>>> group : groups.entrySet()) {
            List<List<Object>> members = group.getValue();
            if (members.size() < schedule.threshold()) {
                belowThreshold++;
                continue;
            }
            Set<EventId> groupIds = new TreeSet<>();
            members.forEach(row -> groupIds.addAll(ids.get(row)));
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < groupColumns.size(); i++) {
                values.put(columns.get(groupColumns.get(i)), text(members.get(0).get(groupColumns.get(i))));
            }
            candidates.add(new Candidate(group.getKey(), alert(tenant, schedule, title, table, columns, members,
                    groupIds, timeColumns, values, runAt), members.size()));
        }
        return new Evaluation(candidates, withoutId, belowThreshold);
    }

    /**
     * Applies suppression to a run's candidates.
     *
     * @param stored whether an alert id is stored already
     * @param lastAlerted per group, when a run last raised an alert for it
     */
    public static Outcome suppress(List<Candidate> candidates, Predicate<UUID> stored, Map<String, Instant> lastAlerted,
            Duration window, Instant now) {
        List<Alert> raised = new ArrayList<>();
        Map<String, Instant> alerted = new LinkedHashMap<>();
        int suppressed = 0;
        int alreadyStored = 0;
        Set<UUID> seen = new LinkedHashSet<>();
        for (Candidate candidate : candidates) {
            if (!seen.add(candidate.alert().id()) || stored.test(candidate.alert().id())) {
                alreadyStored++;
                continue;
            }
            Instant last = lastAlerted.get(candidate.group());
            if (!window.isZero() && last != null && last.plus(window).isAfter(now)) {
                suppressed++;
                continue;
            }
            raised.add(candidate.alert());
            alerted.put(candidate.group(), now);
        }
        return new Outcome(raised, suppressed, alreadyStored, alerted);
    }

    private static Alert alert(TenantId tenant, HuntSchedule schedule, String title, String table, List<String> columns,
            List<List<Object>> rows, Set<EventId> eventIds, List<Integer> timeColumns, Map<String, String> groupValues,
            Instant runAt) {
        List<EventId> cited = new ArrayList<>(new TreeSet<>(eventIds));
        if (cited.size() > MAX_EVENTS_PER_ALERT) {
            cited = cited.subList(0, MAX_EVENTS_PER_ALERT);
        }
        Instant time = null;
        Set<Alert.Entity> entities = new LinkedHashSet<>();
        for (List<Object> row : rows) {
            for (int column : timeColumns) {
                Instant at = instant(row.get(column));
                if (at != null && (time == null || at.isAfter(time))) {
                    time = at;
                }
            }
            if (entities.size() < MAX_ENTITIES) {
                EntityColumns.add(entities, columns, row);
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (groupValues.isEmpty()) {
            List<Object> row = rows.get(0);
            for (int i = 0; i < columns.size() && fields.size() < MAX_FIELDS; i++) {
                if (row.get(i) != null && !EVENT_ID_COLUMNS.contains(columns.get(i).toLowerCase(Locale.ROOT))) {
                    fields.put(columns.get(i), text(row.get(i)));
                }
            }
        } else {
            fields.putAll(groupValues);
            fields.put("rows", Integer.toString(rows.size()));
        }
        String alertTitle = groupValues.isEmpty() ? title
                : title + " (" + String.join(", ", groupValues.values()) + ")";
        Instant at = time == null ? runAt : time;
        return new Alert(Alert.idFor(tenant, schedule.ruleId(), cited), tenant, "kql", schedule.ruleId(), alertTitle,
                schedule.severity(), "", ChronoUnit.MICROS.between(Instant.EPOCH, at), schedule.techniques(), fields,
                new ArrayList<>(entities).subList(0, Math.min(entities.size(), MAX_ENTITIES)), cited, table);
    }

    private static Set<EventId> eventIds(List<Object> row, List<Integer> idColumns) {
        Set<EventId> ids = new TreeSet<>();
        for (int column : idColumns) {
            Object value = row.get(column);
            if (value == null) {
                continue;
            }
            Matcher matcher = UUID_TEXT.matcher(value.toString());
            while (matcher.find()) {
                ids.add(EventId.parse(matcher.group()));
            }
        }
        return ids;
    }

    private static String groupKey(List<Object> row, List<Integer> groupColumns) {
        List<String> values = new ArrayList<>();
        for (int column : groupColumns) {
            values.add(text(row.get(column)));
        }
        return String.join("\u001f", values);
    }

    /** A group key as people read it: its values separated by commas. */
    public static String readable(String groupKey) {
        return groupKey.replace('\u001f', ',');
    }

    private static String text(Object value) {
        String text = value == null ? "" : value.toString();
        return text.length() > MAX_FIELD_LENGTH ? text.substring(0, MAX_FIELD_LENGTH) + "…" : text;
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.toString()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.toString());
            } catch (DateTimeParseException notInstant) {
                return null;
            }
        }
    }
}
