package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the indicators of STIX 2.1 content (2.0 is accepted too): a bundle, a single object, a TAXII envelope
 * ({@code {"objects": [...]}}) or a JSON list of objects.
 *
 * <p>Each {@code indicator} object with {@code pattern_type} {@code stix} (2.0 has none) becomes one indicator per
 * observable value its pattern names, as {@link StixPatternValues} reduces it; one that does not reduce is rejected
 * with the reason. Its provenance: the feed (the author identity's name unless the options name one), its
 * {@code confidence}, {@code created} and {@code modified} as first and last seen, {@code valid_from} and
 * {@code valid_until}, {@code indicator_types} and {@code labels} as tags, and what it {@code indicates}:
 * intrusion sets and threat actors become actors, campaigns become campaigns (and the actors a campaign is
 * {@code attributed-to}), attack patterns become their ATT&CK technique ids, malware and tools become tags.
 *
 * <p>Rejected: revoked indicators, patterns in another language ({@code sigma}, {@code snort}, {@code yara} ...),
 * malformed patterns (with the column), validity windows that end before they start, and objects without a
 * {@code type} or a well-formed {@code id}. Of several versions of one object the latest {@code modified} is used.
 * Other objects are counted, not rejected: they are knowledge, not indicators.
 */
public final class StixIndicators {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ID = Pattern.compile("([a-z0-9][a-z0-9-]*[a-z0-9])--[0-9a-fA-F-]{36}");
    private static final Pattern TECHNIQUE = Pattern.compile("T\\d{4}(\\.\\d{3})?");

    private StixIndicators() {}

    /** Reads STIX JSON text; a file that is not STIX JSON comes back with its {@link IndicatorImport#problem()}. */
    public static IndicatorImport read(String source, String json, ImportOptions options) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            return IndicatorImport.problem(source, IntelFormat.STIX, IndicatorFiles.jsonProblem(e));
        }
        return read(source, root, options);
    }

    /** Reads parsed STIX JSON. */
    public static IndicatorImport read(String source, JsonNode root, ImportOptions options) {
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        List<JsonNode> objects = new ArrayList<>();
        String problem = objects(root, objects);
        if (problem != null) {
            return IndicatorImport.problem(source, IntelFormat.STIX, problem);
        }
        ImportCollector collector = new ImportCollector(source, IntelFormat.STIX, options);
        Map<String, JsonNode> byId = latestVersions(objects, collector);
        Map<String, List<JsonNode>> relationshipsFrom = new HashMap<>();
        for (JsonNode object : byId.values()) {
            if (type(object).equals("relationship")) {
                String from = text(object, "source_ref");
                if (from != null) {
                    relationshipsFrom.computeIfAbsent(from, k -> new ArrayList<>()).add(object);
                }
            }
        }
        for (JsonNode object : byId.values()) {
            String type = type(object);
            if (type.equals("indicator")) {
                collector.entry();
                indicator(object, byId, relationshipsFrom, collector);
            } else {
                collector.other(type);
            }
        }
        return collector.build();
    }

    /** Fills {@code out} with the objects of the content; returns why it is not STIX content, or null. */
    private static String objects(JsonNode root, List<JsonNode> out) {
        if (root == null || root.isMissingNode()) {
            return "the file is empty";
        }
        if (root.isArray()) {
            root.forEach(out::add);
            return out.isEmpty() ? "an empty JSON list, no STIX objects" : null;
        }
        if (!root.isObject()) {
            return "a JSON " + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not STIX content";
        }
        if (root.has("$schema")) {
            String title = text(root, "title");
            return "a JSON Schema" + (title == null ? "" : " of '" + title + "'") + ", not STIX content: it describes"
                    + " STIX objects and holds none";
        }
        String type = text(root, "type");
        JsonNode objects = root.get("objects");
        if ("bundle".equals(type) || type == null && objects != null) {
            if (objects == null || objects.isNull()) {
                return null; // an empty bundle
            }
            if (!objects.isArray()) {
                return "the 'objects' of the " + (type == null ? "envelope" : "bundle") + " are not a JSON list";
            }
            objects.forEach(out::add);
            return null;
        }
        if (type != null && root.has("id")) {
            out.add(root);
            return null;
        }
        return "JSON that is not STIX: no 'type' bundle or STIX object (an object with 'type' and 'id')";
    }

    private static Map<String, JsonNode> latestVersions(List<JsonNode> objects, ImportCollector collector) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (int i = 0; i < objects.size(); i++) {
            JsonNode object = objects.get(i);
            String location = "objects[" + i + "]";
            if (!object.isObject()) {
                collector.reject(location, "not a JSON object");
                continue;
            }
            String type = text(object, "type");
            String id = text(object, "id");
            if (type == null || type.isBlank()) {
                collector.reject(location + (id == null ? "" : " " + id), "has no 'type'");
                continue;
            }
            if (id == null) {
                collector.reject(location + " (" + type + ")", "has no 'id'");
                continue;
            }
            var matcher = ID.matcher(id);
            if (!matcher.matches()) {
                collector.reject(id, "the id is not '<type>--<uuid>'");
                continue;
            }
            if (!matcher.group(1).equals(type)) {
                collector.reject(id, "the id names the type '" + matcher.group(1) + "' but the object is of type '"
                        + type + "'");
                continue;
            }
            JsonNode earlier = byId.get(id);
            if (earlier == null || newer(object, earlier)) {
                byId.put(id, object);
            }
        }
        return byId;
    }

    private static boolean newer(JsonNode object, JsonNode than) {
        Instant a = timestamp(text(object, "modified"));
        Instant b = timestamp(text(than, "modified"));
        return a != null && (b == null || a.isAfter(b));
    }

    private static void indicator(JsonNode object, Map<String, JsonNode> byId,
            Map<String, List<JsonNode>> relationshipsFrom, ImportCollector collector) {
        String id = text(object, "id");
        if (object.path("revoked").asBoolean(false)) {
            collector.reject(id, "revoked by its producer");
            return;
        }
        String patternType = text(object, "pattern_type");
        if (patternType != null && !patternType.equals("stix")) {
            collector.reject(id, "pattern_type '" + patternType + "' is not STIX patterning"
                    + (patternType.equals("sigma") ? "; import Sigma rules with 'vigil rules import'" : ""));
            return;
        }
        String pattern = text(object, "pattern");
        if (pattern == null || pattern.isBlank()) {
            collector.reject(id, "has no pattern");
            return;
        }
        StixPattern tree;
        try {
            tree = StixPatternParser.parse(pattern);
        } catch (StixPatternException e) {
            collector.reject(id, "pattern " + pattern + ": " + e.getMessage());
            return;
        }
        List<IndicatorValues.Value> values;
        switch (StixPatternValues.reduce(tree)) {
            case StixPatternValues.Reduction.Irreducible irreducible -> {
                collector.reject(id, "pattern " + pattern + " is not importable: " + irreducible.reason()
                        + (irreducible.reason().contains("not an observable Vigil matches") ? " (Vigil matches the"
                                + " values of IP addresses, networks, domains, URLs, e-mail addresses and file hashes)"
                                : ""));
                return;
            }
            case StixPatternValues.Reduction.Values reduced -> {
                values = reduced.values();
                reduced.notes().forEach(note -> collector.note(id, note));
            }
        }
        Instant created = timestamp(text(object, "created"));
        Instant modified = timestamp(text(object, "modified"));
        Instant validFrom;
        Instant validUntil;
        try {
            validFrom = requiredTimestamp(object, "valid_from");
            validUntil = requiredTimestamp(object, "valid_until");
        } catch (IllegalArgumentException e) {
            collector.reject(id, e.getMessage());
            return;
        }
        if (validFrom == null) {
            validFrom = created;
        }
        if (validFrom != null && validUntil != null && !validUntil.isAfter(validFrom)) {
            collector.reject(id, "valid_until " + validUntil + " is not after valid_from " + validFrom);
            return;
        }
        Integer stated = null;
        JsonNode confidence = object.get("confidence");
        if (confidence != null && confidence.isIntegralNumber() && confidence.asInt() >= 0 && confidence.asInt() <= 100) {
            stated = confidence.asInt();
        } else if (confidence != null) {
            collector.note(id, "confidence " + confidence + " is not an integer from 0 to 100; the default is used");
        }
        Set<String> tags = new LinkedHashSet<>();
        strings(object.get("indicator_types")).forEach(tags::add);
        strings(object.get("labels")).forEach(tags::add);
        Set<String> actors = new LinkedHashSet<>();
        Set<String> campaigns = new LinkedHashSet<>();
        Set<String> techniques = new LinkedHashSet<>();
        links(id, byId, relationshipsFrom, tags, actors, campaigns, techniques);
        String author = name(byId.get(text(object, "created_by_ref")));
        String feed = collector.options().feed(author, collector.source());
        Provenance provenance = new Provenance(List.of(feed), collector.options().confidence(stated), created,
                modified != null ? modified : created, validFrom, validUntil, List.copyOf(tags), List.copyOf(actors),
                List.copyOf(campaigns), List.copyOf(techniques), List.of(id));
        for (IndicatorValues.Value value : values) {
            collector.add(id, new Indicator(value.type(), value.value(), provenance));
        }
    }

    /** What the indicator {@code indicates}, followed one step further from campaigns to the actors behind them. */
    private static void links(String id, Map<String, JsonNode> byId, Map<String, List<JsonNode>> relationshipsFrom,
            Set<String> tags, Set<String> actors, Set<String> campaigns, Set<String> techniques) {
        for (JsonNode relationship : relationshipsFrom.getOrDefault(id, List.of())) {
            if (!"indicates".equals(text(relationship, "relationship_type"))) {
                continue;
            }
            JsonNode target = byId.get(text(relationship, "target_ref"));
            String name = name(target);
            if (target == null || name == null) {
                continue;
            }
            switch (type(target)) {
                case "intrusion-set", "threat-actor" -> actors.add(name);
                case "campaign" -> {
                    campaigns.add(name);
                    for (JsonNode attribution : relationshipsFrom.getOrDefault(text(target, "id"), List.of())) {
                        JsonNode actor = byId.get(text(attribution, "target_ref"));
                        if ("attributed-to".equals(text(attribution, "relationship_type")) && actor != null
                                && name(actor) != null && (type(actor).equals("intrusion-set")
                                        || type(actor).equals("threat-actor"))) {
                            actors.add(name(actor));
                        }
                    }
                }
                case "attack-pattern" -> {
                    String technique = attackId(target);
                    if (technique != null) {
                        techniques.add(technique);
                    } else {
                        tags.add("attack-pattern:" + name);
                    }
                }
                case "malware", "tool", "infrastructure" -> tags.add(type(target) + ":" + name);
                default -> {
                }
            }
        }
    }

    private static String attackId(JsonNode object) {
        for (JsonNode reference : object.path("external_references")) {
            String externalId = text(reference, "external_id");
            if (externalId != null && TECHNIQUE.matcher(externalId).matches()
                    && String.valueOf(text(reference, "source_name")).startsWith("mitre")) {
                return externalId;
            }
        }
        return null;
    }

    private static Instant requiredTimestamp(JsonNode object, String field) {
        String text = text(object, field);
        if (text == null) {
            return null;
        }
        Instant instant = timestamp(text);
        if (instant == null) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an RFC 3339 timestamp");
        }
        return instant;
    }

    static Instant timestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String name(JsonNode object) {
        return object == null ? null : text(object, "name");
    }

    private static String type(JsonNode object) {
        String type = text(object, "type");
        return type == null ? "" : type;
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        return value != null && (value.isString() || value.isNumber()) ? value.asString() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode element : array) {
                if (element.isString()) {
                    out.add(element.asString());
                }
            }
        }
        return out;
    }
}
