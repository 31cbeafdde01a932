package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Turns the STIX objects of one bundle, one at a time, into unlinked records, then hands them with the
 * relationships to {@link AttackKnowledge}, which links them. Confined to the thread reading the bundle.
 *
 * <p>When the bundle holds several versions of one STIX id, the one {@code modified} last wins, as STIX specifies.
 */
final class BundleAssembler {
    /** The {@code source_name}s of ATT&amp;CK's own external reference in its three domains. */
    private static final Set<String> ATTACK_SOURCES = Set.of("mitre-attack", "mitre-mobile-attack", "mitre-ics-attack");

    private final String source;
    private final Map<String, AttackObject> objects = new LinkedHashMap<>();
    private final Map<String, String> modified = new HashMap<>();
    private final Map<String, Relationship> relationships = new LinkedHashMap<>();
    private final Map<String, RawAnalytic> analytics = new HashMap<>();
    private final Map<String, List<String>> strategyAnalytics = new HashMap<>();
    private final Map<String, String> componentDataSource = new HashMap<>();
    private final Map<String, String> dataSourceNames = new HashMap<>();
    private final Map<String, String> shared = new HashMap<>();
    private final Set<String> specVersions = new TreeSet<>();
    private final List<String> warnings = new ArrayList<>();
    private List<String> tacticOrder = List.of();
    private String attackVersion = "";
    private int count;
    private int skipped;

    BundleAssembler(String source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** A relationship as read: STIX ids at both ends, checked when linking. */
    record Relationship(String stixId, String type, String source, String target, String description,
            boolean withdrawn) {}

    /** An analytic before its log sources' data components are known by ATT&amp;CK id. */
    private record RawAnalytic(DetectionStrategy.Analytic analytic, List<String> componentRefs, boolean active) {}

    /**
     * Takes one object of the bundle's {@code objects}.
     *
     * @return what makes the object unusable, to be reported with its position, or null
     */
    String accept(JsonNode node) {
        count++;
        String type = text(node, "type");
        String stixId = text(node, "id");
        if (type.isEmpty()) {
            return stixId.isEmpty() ? "has no \"type\"; every STIX object needs one"
                    : "(" + stixId + ") has no \"type\"; every STIX object needs one";
        }
        if (stixId.isEmpty()) {
            String name = text(node, "name");
            return "(" + type + (name.isEmpty() ? "" : " " + quoted(name)) + ") has no \"id\"; every STIX object "
                    + "needs one";
        }
        String version = text(node, "spec_version");
        if (!version.isEmpty()) {
            specVersions.add(version);
        }
        if (!isNewest(stixId, text(node, "modified"))) {
            return null;
        }
        switch (type) {
            case "relationship" -> relationships.put(stixId, new Relationship(stixId, text(node, "relationship_type"),
                    text(node, "source_ref"), text(node, "target_ref"), text(node, "description"),
                    bool(node, "revoked") || bool(node, "x_mitre_deprecated")));
            case "attack-pattern", "x-mitre-tactic", "intrusion-set", "malware", "tool", "course-of-action",
                    "campaign", "x-mitre-data-component", "x-mitre-detection-strategy" -> object(type, stixId, node);
            case "x-mitre-analytic" -> analytic(stixId, node);
            case "x-mitre-data-source" -> dataSourceNames.put(stixId, text(node, "name"));
            case "x-mitre-matrix" -> {
                if (tacticOrder.isEmpty()) {
                    tacticOrder = strings(node, "tactic_refs");
                }
            }
            case "x-mitre-collection" -> attackVersion = text(node, "x_mitre_version");
            default -> {
                // identity, marking-definition, x-mitre-asset, note, ...: nothing the knowledge base answers with
            }
        }
        return null;
    }

    private boolean isNewest(String stixId, String modifiedAt) {
        String previous = modified.get(stixId);
        if (previous != null && previous.compareTo(modifiedAt) >= 0) {
            return false;
        }
        modified.put(stixId, modifiedAt);
        return true;
    }

    private void object(String type, String stixId, JsonNode node) {
        String name = text(node, "name");
        String id = "";
        String url = "";
        for (JsonNode reference : node.path("external_references").values()) {
            if (ATTACK_SOURCES.contains(text(reference, "source_name")) && !text(reference, "external_id").isEmpty()) {
                id = text(reference, "external_id");
                url = text(reference, "url");
                break;
            }
        }
        if (id.isEmpty()) {
            skip(type + " " + stixId + " " + quoted(name) + " has no ATT&CK id (an external reference with "
                    + "source_name mitre-attack and an external_id); left out");
            objects.remove(stixId);
            return;
        }
        String description = text(node, "description");
        boolean deprecated = bool(node, "x_mitre_deprecated");
        boolean revoked = bool(node, "revoked");
        Optional<String> none = Optional.empty();
        AttackObject object = switch (type) {
            case "attack-pattern" -> new Technique(id, stixId, name, description, tactics(node),
                    shared(strings(node, "x_mitre_platforms")), text(node, "x_mitre_detection"),
                    bool(node, "x_mitre_is_subtechnique"), none, url, deprecated, revoked, none);
            case "x-mitre-tactic" -> new Tactic(id, stixId, text(node, "x_mitre_shortname"), name, description, url,
                    deprecated, revoked, none);
            case "intrusion-set" -> new Group(id, stixId, name, aliases(node, "aliases", name), description,
                    List.of(), List.of(), url, deprecated, revoked, none);
            case "malware", "tool" -> new Software(id, stixId, name, aliases(node, "x_mitre_aliases", name),
                    type.equals("tool") ? Software.Type.TOOL : Software.Type.MALWARE,
                    shared(strings(node, "x_mitre_platforms")), description, List.of(), url, deprecated, revoked,
                    none);
            case "course-of-action" -> new Mitigation(id, stixId, name, description, List.of(), url, deprecated,
                    revoked, none);
            case "campaign" -> new Campaign(id, stixId, name, aliases(node, "aliases", name), description,
                    instant(node, "first_seen", id), instant(node, "last_seen", id), List.of(), List.of(), List.of(),
                    url, deprecated, revoked, none);
            case "x-mitre-data-component" -> {
                String dataSource = text(node, "x_mitre_data_source_ref");
                if (!dataSource.isEmpty()) {
                    componentDataSource.put(stixId, dataSource);
                }
                yield new DataComponent(id, stixId, name, description, "", logSources(node.path("x_mitre_log_sources")),
                        url, deprecated, revoked, none);
            }
            case "x-mitre-detection-strategy" -> {
                strategyAnalytics.put(stixId, strings(node, "x_mitre_analytic_refs"));
                yield new DetectionStrategy(id, stixId, name, description, List.of(), List.of(), url, deprecated,
                        revoked, none);
            }
            default -> throw new IllegalStateException("no record for STIX type " + type);
        };
        objects.put(stixId, object);
    }

    private List<Technique.TacticRef> tactics(JsonNode node) {
        List<Technique.TacticRef> tactics = new ArrayList<>();
        for (JsonNode phase : node.path("kill_chain_phases").values()) {
            String phaseName = text(phase, "phase_name");
            // ATT&CK's phases are in the mitre-attack, mitre-mobile-attack and mitre-ics-attack kill chains.
            if (!phaseName.isEmpty() && text(phase, "kill_chain_name").startsWith("mitre-")) {
                String shortname = share(phaseName);
                tactics.add(new Technique.TacticRef(shortname, shortname));
            }
        }
        return tactics;
    }

    private void analytic(String stixId, JsonNode node) {
        String id = "";
        for (JsonNode reference : node.path("external_references").values()) {
            if (ATTACK_SOURCES.contains(text(reference, "source_name"))) {
                id = text(reference, "external_id");
                break;
            }
        }
        List<DetectionStrategy.LogSourceReference> logSources = new ArrayList<>();
        List<String> componentRefs = new ArrayList<>();
        for (JsonNode reference : node.path("x_mitre_log_source_references").values()) {
            componentRefs.add(text(reference, "x_mitre_data_component_ref"));
            logSources.add(new DetectionStrategy.LogSourceReference("", new DataComponent.LogSource(
                    share(text(reference, "name")), text(reference, "channel"))));
        }
        DetectionStrategy.Analytic analytic = new DetectionStrategy.Analytic(id.isEmpty() ? stixId : id,
                text(node, "name"), text(node, "description"), shared(strings(node, "x_mitre_platforms")), logSources);
        analytics.put(stixId, new RawAnalytic(analytic, componentRefs,
                !bool(node, "revoked") && !bool(node, "x_mitre_deprecated")));
    }

    private List<DataComponent.LogSource> logSources(JsonNode array) {
        List<DataComponent.LogSource> logSources = new ArrayList<>();
        for (JsonNode logSource : array.values()) {
            logSources.add(new DataComponent.LogSource(share(text(logSource, "name")), text(logSource, "channel")));
        }
        return logSources;
    }

    /** Links what refers by STIX id to other objects, and hands everything to the knowledge base. */
    AttackKnowledge build(String bundleSpecVersion) {
        for (Map.Entry<String, String> entry : componentDataSource.entrySet()) {
            if (objects.get(entry.getKey()) instanceof DataComponent component) {
                objects.put(entry.getKey(), component.withLinks(
                        dataSourceNames.getOrDefault(entry.getValue(), ""), component.revokedBy()));
            }
        }
        for (Map.Entry<String, List<String>> entry : strategyAnalytics.entrySet()) {
            if (objects.get(entry.getKey()) instanceof DetectionStrategy strategy) {
                List<DetectionStrategy.Analytic> resolved = new ArrayList<>();
                for (String reference : entry.getValue()) {
                    RawAnalytic raw = analytics.get(reference);
                    if (raw == null) {
                        skip("detection strategy " + strategy.id() + " refers to analytic " + reference
                                + ", which the bundle lacks; left out of the strategy");
                    } else if (raw.active()) {
                        resolved.add(withComponentIds(raw));
                    }
                }
                objects.put(entry.getKey(), strategy.withLinks(List.of(), resolved, strategy.revokedBy()));
            }
        }
        List<Relationship> links = new ArrayList<>();
        for (Relationship relationship : relationships.values()) {
            if (relationship.withdrawn()) {
                continue; // ATT&CK revokes or deprecates relationships it no longer stands by
            }
            AttackObject from = objects.get(relationship.source());
            AttackObject to = objects.get(relationship.target());
            if (from == null || to == null) {
                String missing = from == null ? relationship.source() : relationship.target();
                skip(relationship.type() + " relationship " + relationship.stixId() + " refers to " + missing
                        + ", which the bundle " + (missing.isEmpty() ? "does not name" : "lacks or left out")
                        + "; left out");
            } else if (relationship.type().equals("revoked-by")) {
                if (from.revoked()) {
                    links.add(relationship);
                } else {
                    skip("revoked-by relationship " + relationship.stixId() + " from " + from.label()
                            + ", which is not revoked; left out");
                }
            } else if (from.revoked() || to.revoked()) {
                // Stale: ATT&CK gave the revoked object's relationships to its replacement.
            } else if (definedByAttack(relationship.type(), from, to)) {
                links.add(relationship);
            } else {
                skip(relationship.type() + " relationship " + relationship.stixId() + " from " + from.label() + " to "
                        + to.label() + " is not one ATT&CK defines; left out");
            }
        }
        String specVersion = bundleSpecVersion != null ? bundleSpecVersion
                : specVersions.isEmpty() ? "" : String.join(",", specVersions);
        BundleReport report = new BundleReport(source, specVersion, attackVersion, count, skipped, warnings);
        return new AttackKnowledge(report, List.copyOf(objects.values()), links, tacticOrder);
    }

    /** The relationships ATT&amp;CK defines, by type and the kinds at either end. */
    private static boolean definedByAttack(String type, AttackObject from, AttackObject to) {
        return switch (type) {
            case "uses" -> (from instanceof Group || from instanceof Software || from instanceof Campaign)
                    && (to instanceof Technique || to instanceof Software);
            case "mitigates" -> from instanceof Mitigation && to instanceof Technique;
            case "subtechnique-of" -> from instanceof Technique && to instanceof Technique;
            case "detects" -> (from instanceof DataComponent || from instanceof DetectionStrategy)
                    && to instanceof Technique;
            case "attributed-to" -> from instanceof Campaign && to instanceof Group;
            default -> false;
        };
    }

    private DetectionStrategy.Analytic withComponentIds(RawAnalytic raw) {
        DetectionStrategy.Analytic analytic = raw.analytic();
        List<DetectionStrategy.LogSourceReference> logSources = new ArrayList<>();
        for (int i = 0; i < analytic.logSources().size(); i++) {
            String componentId = objects.get(raw.componentRefs().get(i)) instanceof DataComponent component
                    ? component.id() : "";
            logSources.add(new DetectionStrategy.LogSourceReference(componentId,
                    analytic.logSources().get(i).logSource()));
        }
        return new DetectionStrategy.Analytic(analytic.id(), analytic.name(), analytic.description(),
                analytic.platforms(), logSources);
    }

    /** What the reading found besides the objects, for {@link Summary}. */
    record BundleReport(String source, String specVersion, String attackVersion, int objects, int skipped,
            List<String> warnings) {
        BundleReport {
            warnings = List.copyOf(warnings);
        }
    }

    private void skip(String reason) {
        skipped++;
        if (warnings.size() < AttackBundle.MAX_WARNINGS) {
            warnings.add(reason);
        }
    }

    private Optional<Instant> instant(JsonNode node, String field, String id) {
        String text = text(node, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            skip(id + " " + field + " " + quoted(text) + " is not a STIX timestamp; left out");
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : "";
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> strings = new ArrayList<>();
        for (JsonNode value : node.path(field).values()) {
            if (value.isString() && !value.stringValue().isBlank()) {
                strings.add(value.stringValue());
            }
        }
        return strings;
    }

    /** The aliases with the object's own name first, as ATT&amp;CK lists them, whether or not the bundle includes it. */
    private static List<String> aliases(JsonNode node, String field, String name) {
        List<String> aliases = new ArrayList<>();
        if (!name.isEmpty()) {
            aliases.add(name);
        }
        for (String alias : strings(node, field)) {
            if (!aliases.contains(alias)) {
                aliases.add(alias);
            }
        }
        return aliases;
    }

    /** One instance of each repeated short string (platforms, log-source names, tactic shortnames). */
    private String share(String text) {
        return shared.computeIfAbsent(text, key -> key);
    }

    private List<String> shared(List<String> texts) {
        return texts.stream().map(this::share).toList();
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }
}
