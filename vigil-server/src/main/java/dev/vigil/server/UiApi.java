package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.runtime.TenantFacts;
import dev.vigil.copilot.runtime.TenantPromptbooks;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.incident.EventSummary;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.EventId;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.store.AlertJson;
import dev.vigil.store.IncidentCase;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The routes the web UI needs beyond the rest of the API: opening the record behind an evidence reference, and
 * suggestions for the prompt bar as the analyst types. Both read only, for any reader of the tenant, and go through
 * the same gate and audit as every route.
 */
final class UiApi {
    /** Most suggestions one request returns, and the default. */
    static final int MAX_SUGGESTIONS = 20;
    static final int DEFAULT_SUGGESTIONS = 8;
    private static final List<EntityType> VALUE_TYPES = List.of(EntityType.HOST, EntityType.USER, EntityType.PROCESS);

    private final VigilConfig config;
    private final TenantStores stores;
    private final List<Route> routes;

    UiApi(VigilConfig config, TenantStores stores) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.routes = List.of(
                new Route("GET", Api.TENANT + "/evidence", Role.READER, "The stored record behind an evidence"
                        + " reference (?ref=event:ID, event:TABLE:ID, alert:ID or incident:N): the event's columns,"
                        + " the alert or the incident summary", null, this::evidence),
                new Route("GET", CopilotApi.COPILOT + "/suggest", Role.READER, "Suggestions for a prompt being"
                        + " typed (?q, ?limit): '/' completes skill names and then their inputs; otherwise the"
                        + " tenant's host, user and process names complete the last word, and skill examples and"
                        + " promptbooks that match the words follow", null, this::suggest));
    }

    List<Route> routes() {
        return routes;
    }

    // --- evidence ---------------------------------------------------------------------------------------------

    private Object evidence(Call call) {
        String ref = call.query("ref");
        if (ref == null || ref.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "the request needs ?ref=", "Pass an evidence reference such as"
                    + " ?ref=alert:90b74258-d661-3aae-b988-a0e4639cd917", null);
        }
        String reference = ref.strip();
        int colon = reference.indexOf(':');
        String kind = colon < 0 ? reference : reference.substring(0, colon).toLowerCase(Locale.ROOT);
        String value = colon < 0 ? "" : reference.substring(colon + 1);
        return stores.read(call.tenant(), store -> switch (kind) {
            case "event" -> stores.overLake() ? lakeEvent(store, reference, value) : event(call, store, reference,
                    value);
            case "alert" -> {
                var alert = store.alert(uuid(reference, value.strip()))
                        .orElseThrow(() -> notFound(reference, "no alert of this tenant has that id"));
                call.principal().require(Role.READER, "read alerts");
                yield record(reference, "alert", AlertJson.of(alert));
            }
            case "incident" -> {
                long number;
                try {
                    number = Long.parseLong(value.strip());
                } catch (NumberFormatException e) {
                    throw notFound(reference, "an incident reference is incident:N with the incident's number");
                }
                yield record(reference, "incident", IncidentCase.summary(store.incidents().get(call.principal(),
                        number)));
            }
            default -> throw notFound(reference, "only event:, alert: and incident: references name stored"
                    + " records; query:N is a query of the answer itself, and knowledge references (attack:, cve:,"
                    + " kev:) open their public pages");
        });
    }

    private static Map<String, Object> event(Call call, TenantStore store, String reference, String value) {
        // event:ID, or event:TABLE:ID as some skills write it; the id is always the last part
        String id = value.substring(value.lastIndexOf(':') + 1).strip();
        EventId eventId;
        try {
            eventId = EventId.parse(id);
        } catch (RuntimeException e) {
            throw notFound(reference, "'" + id + "' is not an event id");
        }
        List<EventSummary> found = store.incidents().events(call.principal(), List.of(eventId));
        if (found.isEmpty()) {
            throw notFound(reference, "no event of this tenant has that id");
        }
        EventSummary summary = found.getFirst();
        // the table's name comes from the store's own index of events, never from the request
        QueryResult row = store.query("SELECT * FROM \"" + summary.table().replace("\"", "\"\"")
                + "\" WHERE event_id = ?::UUID", List.of(eventId.toUuid().toString()), 1);
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!row.rows().isEmpty()) {
            List<Object> values = row.rows().getFirst();
            for (int i = 0; i < row.columns().size(); i++) {
                Object v = values.get(i);
                if (v != null && !(v instanceof String text && text.isEmpty())) {
                    fields.put(row.columns().get(i), v instanceof Instant || v instanceof UUID ? v.toString() : v);
                }
            }
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId.toString());
        event.put("table", summary.table());
        event.put("time", Instant.EPOCH.plusNanos(summary.timeMicros() * 1000).toString());
        event.put("fields", fields);
        return record(reference, "event", event);
    }

    /**
     * Scale mode: the event read from the lake, which has no index of event ids: each of the tenant's tables is
     * searched for it (the Parquet files' statistics let DuckDB skip most row groups).
     */
    private static Map<String, Object> lakeEvent(TenantStore store, String reference, String value) {
        String id = value.substring(value.lastIndexOf(':') + 1).strip();
        EventId eventId;
        try {
            eventId = EventId.parse(id);
        } catch (RuntimeException e) {
            throw notFound(reference, "'" + id + "' is not an event id");
        }
        for (dev.vigil.store.TableInfo table : store.tables()) {
            QueryResult row = store.query("SELECT * FROM \"" + table.name().replace("\"", "\"\"")
                    + "\" WHERE event_id = ?::UUID", List.of(eventId.toUuid().toString()), 1);
            if (row.rows().isEmpty()) {
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            List<Object> values = row.rows().getFirst();
            for (int i = 0; i < row.columns().size(); i++) {
                Object v = values.get(i);
                if (v != null && !(v instanceof String text && text.isEmpty())) {
                    fields.put(row.columns().get(i), v instanceof Instant || v instanceof UUID ? v.toString() : v);
                }
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", eventId.toString());
            event.put("table", table.name());
            event.put("time", String.valueOf(fields.get("time")));
            event.put("fields", fields);
            return record(reference, "event", event);
        }
        throw notFound(reference, "no event of this tenant has that id");
    }

    private static Map<String, Object> record(String reference, String kind, Object record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ref", reference);
        json.put("kind", kind);
        json.put(kind, record);
        return json;
    }

    private static UUID uuid(String reference, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw notFound(reference, "'" + text + "' is not an alert id");
        }
    }

    private static VigilException notFound(String reference, String why) {
        return new VigilException(ErrorCode.RECORD_NOT_FOUND, "no record for evidence '" + reference + "': " + why);
    }

    // --- suggestions ------------------------------------------------------------------------------------------

    /** One suggestion: the whole prompt text it would make, what kind it is, and a line saying what it does. */
    record Suggestion(String text, String kind, String detail) {}

    private Object suggest(Call call) {
        String typed = call.query("q") == null ? "" : call.query("q");
        int limit = call.queryNumber("limit", DEFAULT_SUGGESTIONS, 1, MAX_SUGGESTIONS);
        List<Suggestion> suggestions = stores.read(call.tenant(), store -> {
            Workspace workspace = new Workspace(config, store);
            // the tenant's skills (built in and from its plugins), without building a copilot on every keystroke
            List<SkillSpec> skills = Copilots.builtInSkills(workspace).stream().map(s -> s.spec()).toList();
            if (typed.stripLeading().startsWith("/")) {
                return skillCall(typed.stripLeading(), skills, limit);
            }
            return words(typed, workspace, skills, new TenantPromptbooks(config.dataDirectory(), call.tenant()).all(),
                    limit);
        });
        return Map.of("tenant", call.tenant().value(), "q", typed, "suggestions", suggestions);
    }

    /** "/na" completes skill names; "/name " then offers the skill's inputs not given yet. */
    static List<Suggestion> skillCall(String typed, List<SkillSpec> skills, int limit) {
        int space = typed.indexOf(' ');
        String name = (space < 0 ? typed.substring(1) : typed.substring(1, space)).toLowerCase(Locale.ROOT);
        List<Suggestion> out = new ArrayList<>();
        if (space < 0) {
            skills.stream().filter(s -> s.name().startsWith(name)).forEach(s -> out.add(new Suggestion("/" + s.name()
                    + " ", "skill", s.description())));
            skills.stream().filter(s -> !s.name().startsWith(name) && s.name().contains(name)).forEach(s -> out.add(
                    new Suggestion("/" + s.name() + " ", "skill", s.description())));
            return out.stream().limit(limit).toList();
        }
        String given = typed.substring(space).toLowerCase(Locale.ROOT);
        for (SkillSpec skill : skills) {
            if (!skill.name().equals(name)) {
                continue;
            }
            for (dev.vigil.copilot.SkillInput input : skill.inputs()) {
                if (!given.contains(" " + input.name().toLowerCase(Locale.ROOT) + "=")) {
                    out.add(new Suggestion(typed.stripTrailing() + " " + input.name() + "=", "input",
                            (input.required() ? "required: " : "optional: ") + input.description()));
                }
            }
        }
        return out.stream().limit(limit).toList();
    }

    private static List<Suggestion> words(String typed, Workspace workspace, List<SkillSpec> skills,
            List<Promptbook> books, int limit) {
        String text = typed.stripLeading();
        if (text.isBlank()) {
            return List.of();
        }
        List<Suggestion> out = new ArrayList<>();
        // the last word, completed from the tenant's own names
        int cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\t')) + 1;
        String last = text.substring(cut).toLowerCase(Locale.ROOT);
        if (last.length() >= 2) {
            Map<EntityType, List<String>> values = new TenantFacts(workspace).values();
            for (EntityType type : VALUE_TYPES) {
                values.getOrDefault(type, List.of()).stream()
                        .filter(v -> matchesName(v, last) && !v.equalsIgnoreCase(last))
                        .sorted().limit(3)
                        .forEach(v -> out.add(new Suggestion(text.substring(0, cut) + v, type.name()
                                .toLowerCase(Locale.ROOT), "a " + type.name().toLowerCase(Locale.ROOT)
                                + " in this tenant's data")));
            }
        }
        // examples and promptbooks whose words start with every word typed
        List<String> typedWords = words(text);
        Set<String> seen = new LinkedHashSet<>();
        for (SkillSpec skill : skills) {
            for (String example : skill.examples()) {
                if (matchesWords(example, typedWords) && seen.add(example.toLowerCase(Locale.ROOT))
                        && !example.equalsIgnoreCase(text)) {
                    out.add(new Suggestion(example, "example", "asks the " + skill.name() + " skill"));
                }
            }
        }
        for (Promptbook book : books) {
            if (matchesWords(book.name() + " " + book.description(), typedWords)) {
                out.add(new Suggestion(book.name(), "promptbook", book.description()));
            }
        }
        return out.stream().limit(limit).toList();
    }

    /** A stored name completes a word when it, or its part after a domain or path separator, starts with it. */
    private static boolean matchesName(String value, String word) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith(word)) {
            return true;
        }
        int separator = Math.max(lower.lastIndexOf('\\'), lower.lastIndexOf('/'));
        return separator >= 0 && lower.substring(separator + 1).startsWith(word);
    }

    private static boolean matchesWords(String candidate, List<String> typed) {
        List<String> words = words(candidate);
        return !typed.isEmpty() && typed.stream().allMatch(t -> words.stream().anyMatch(w -> w.startsWith(t)));
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}.\\-_]+")) {
            if (!word.isBlank()) {
                words.add(word);
            }
        }
        return words;
    }
}
