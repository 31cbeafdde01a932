package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the indicators of MISP events in JSON: {@code {"Event": {...}}}, a REST search's {@code {"response": [...]}},
 * a JSON list of events, or a bare event object.
 *
 * <p>Every attribute of {@code Event.Attribute} and of each {@code Event.Object[].Attribute} whose type Vigil matches
 * (see {@link MispAttributes}) and whose {@code to_ids} is set becomes an indicator. Its provenance: the feed (the
 * event's {@code Orgc} name unless the options name one); a confidence from the event's {@code threat_level_id}
 * (high 80, medium 60, low 40); first and last seen from the attribute's {@code first_seen}/{@code last_seen}, else
 * its {@code timestamp}; the tags of the event and the attribute, where galaxy tags and galaxy clusters become actors
 * ({@code threat-actor}, intrusion sets) and ATT&CK technique ids; the event's {@code info} as the campaign; the
 * attribute's uuid as the source id. MISP has no validity window; indicators stay valid until replaced.
 */
public final class MispEvents {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MispEvents() {}

    public static IndicatorImport read(String source, String json, ImportOptions options) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            return IndicatorImport.problem(source, IntelFormat.MISP_JSON, IndicatorFiles.jsonProblem(e));
        }
        return read(source, root, options);
    }

    public static IndicatorImport read(String source, JsonNode root, ImportOptions options) {
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        List<JsonNode> events = events(root);
        if (events.isEmpty()) {
            return IndicatorImport.problem(source, IntelFormat.MISP_JSON, "no MISP event: expected {\"Event\": ...},"
                    + " {\"response\": [...]} or a list of events");
        }
        ImportCollector collector = new ImportCollector(source, IntelFormat.MISP_JSON, options);
        for (int e = 0; e < events.size(); e++) {
            event(events.get(e), events.size() == 1 ? "" : "Event " + (e + 1) + " ", collector);
        }
        return collector.build();
    }

    static List<JsonNode> events(JsonNode root) {
        List<JsonNode> events = new ArrayList<>();
        if (root == null) {
            return events;
        }
        if (root.isArray()) {
            root.forEach(element -> events.addAll(events(element)));
        } else if (root.isObject()) {
            if (root.get("Event") != null && root.get("Event").isObject()) {
                events.add(root.get("Event"));
            } else if (root.get("response") != null) {
                events.addAll(events(root.get("response")));
            } else if (root.has("info") && (root.has("Attribute") || root.has("Object"))) {
                events.add(root);
            }
        }
        return events;
    }

    private static void event(JsonNode event, String prefix, ImportCollector collector) {
        List<String> eventTags = new ArrayList<>();
        for (JsonNode tag : event.path("Tag")) {
            String name = StixIndicators.text(tag, "name");
            if (name != null) {
                eventTags.add(name);
            }
        }
        List<String> plain = new ArrayList<>();
        List<String> actors = new ArrayList<>();
        List<String> techniques = new ArrayList<>();
        MispAttributes.classifyTags(eventTags, plain, actors, techniques);
        galaxies(event, actors, techniques, plain);
        Context context = new Context(collector.options().feed(StixIndicators.text(event.path("Orgc"), "name"),
                collector.source()), MispAttributes.confidenceOfThreatLevel(StixIndicators.text(event,
                "threat_level_id")), StixIndicators.text(event, "info"), plain, actors, techniques,
                MispAttributes.time(StixIndicators.text(event, "timestamp")));
        JsonNode attributes = event.path("Attribute");
        for (int i = 0; i < attributes.size(); i++) {
            attribute(attributes.get(i), prefix + "Attribute " + (i + 1), context, collector);
        }
        JsonNode objects = event.path("Object");
        for (int o = 0; o < objects.size(); o++) {
            JsonNode object = objects.get(o);
            String name = StixIndicators.text(object, "name");
            JsonNode inner = object.path("Attribute");
            for (int i = 0; i < inner.size(); i++) {
                attribute(inner.get(i), prefix + "Object " + (o + 1) + (name == null ? "" : " (" + name + ")")
                        + " Attribute " + (i + 1), context, collector);
            }
        }
    }

    private record Context(String feed, Integer confidence, String info, List<String> tags, List<String> actors,
            List<String> techniques, Instant eventTime) {}

    private static void galaxies(JsonNode holder, List<String> actors, List<String> techniques, List<String> tags) {
        for (JsonNode galaxy : holder.path("Galaxy")) {
            String type = StixIndicators.text(galaxy, "type");
            for (JsonNode cluster : galaxy.path("GalaxyCluster")) {
                String value = StixIndicators.text(cluster, "value");
                if (type != null && value != null) {
                    MispAttributes.cluster(type, value, actors, techniques, tags);
                }
            }
        }
    }

    private static void attribute(JsonNode attribute, String location, Context context, ImportCollector collector) {
        collector.entry();
        String type = StixIndicators.text(attribute, "type");
        String value = StixIndicators.text(attribute, "value");
        String uuid = StixIndicators.text(attribute, "uuid");
        if (uuid != null) {
            location = location + " (" + uuid + ")";
        }
        if (MispAttributes.flag(StixIndicators.text(attribute, "deleted"))
                || attribute.path("deleted").asBoolean(false)) {
            collector.other("deleted");
            return;
        }
        JsonNode toIds = attribute.get("to_ids");
        if (toIds != null && !(toIds.isBoolean() ? toIds.asBoolean() : MispAttributes.flag(toIds.asString()))) {
            collector.other("to_ids false (not for detection)");
            return;
        }
        List<MispAttributes.Typed> typed = MispAttributes.values(type, value);
        if (typed.isEmpty()) {
            collector.other(MispAttributes.skipReason(type));
            return;
        }
        if (value == null || value.isBlank()) {
            collector.reject(location, "a " + type + " attribute without a value");
            return;
        }
        List<String> tags = new ArrayList<>(context.tags());
        List<String> actors = new ArrayList<>(context.actors());
        List<String> techniques = new ArrayList<>(context.techniques());
        List<String> attributeTags = new ArrayList<>();
        for (JsonNode tag : attribute.path("Tag")) {
            String name = StixIndicators.text(tag, "name");
            if (name != null) {
                attributeTags.add(name);
            }
        }
        MispAttributes.classifyTags(attributeTags, tags, actors, techniques);
        galaxies(attribute, actors, techniques, tags);
        String category = StixIndicators.text(attribute, "category");
        if (category != null) {
            tags.add("category:" + category);
        }
        Instant timestamp = MispAttributes.time(StixIndicators.text(attribute, "timestamp"));
        if (timestamp == null) {
            timestamp = context.eventTime();
        }
        Instant firstSeen = MispAttributes.time(StixIndicators.text(attribute, "first_seen"));
        Instant lastSeen = MispAttributes.time(StixIndicators.text(attribute, "last_seen"));
        Provenance provenance = new Provenance(List.of(context.feed()),
                collector.options().confidence(context.confidence()), firstSeen != null ? firstSeen : timestamp,
                lastSeen != null ? lastSeen : timestamp, null, null, tags, actors,
                context.info() == null ? List.of() : List.of(context.info()), techniques,
                uuid == null ? List.of() : List.of(uuid));
        for (MispAttributes.Typed part : typed) {
            try {
                IndicatorValues.Value normal = IndicatorValues.canonical(part.type(), part.value());
                collector.add(location, new Indicator(normal.type(), normal.value(), provenance));
            } catch (IllegalArgumentException e) {
                collector.reject(location, type + " " + e.getMessage());
            }
        }
    }
}
