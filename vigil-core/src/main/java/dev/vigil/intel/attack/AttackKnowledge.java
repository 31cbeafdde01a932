package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The MITRE ATT&amp;CK knowledge base of one bundle: its objects, their relationships, look-ups and search. Read one with
 * {@link AttackBundle#read(java.nio.file.Path)}. Immutable, and so safe to share between threads.
 *
 * <h2>Look-ups</h2>
 * A query is an ATT&amp;CK id, a name or an alias, compared without regard to case, Unicode compatibility forms or runs
 * of whitespace. An id is tried first, then names, then aliases; within the first that matches, active objects win
 * over deprecated ones, which win over revoked ones. A name that still names several objects (three active
 * sub-techniques are called "Cloud Accounts") finds none: {@link #candidates(Class, String)} lists them, so the caller
 * can ask which was meant rather than guess. A sub-technique is also found by its full name, "OS Credential Dumping:
 * LSASS Memory".
 *
 * <p>The kind-specific look-ups ({@link #technique(String)}, {@link #group(String)}, ...) return the object to use
 * now: for a revoked object, the object that replaced it. {@link #resolve(Class, String)} says what happened, with a
 * note to show the user.
 *
 * <h2>Relationships</h2>
 * Relationships are linked when neither end is revoked: ATT&amp;CK moves a revoked object's relationships to its
 * replacement, so the old ones are stale. Lists of related objects, in records ({@link Group#techniques()}) and from
 * the methods below ({@link #groupsUsing(String)}), name only active objects; a deprecated object keeps its own lists.
 * Methods taking a technique, group or software accept anything its look-up accepts, and return an empty list when it
 * finds nothing.
 */
public final class AttackKnowledge {
    private static final Set<Class<? extends AttackObject>> DEFAULT_SEARCH_KINDS =
            Set.of(Technique.class, Group.class, Software.class);

    private final Map<String, AttackObject> byStixId;
    private final Map<String, String> replacements;
    private final Map<Class<? extends AttackObject>, ObjectIndex<?>> indexes = new HashMap<>();
    private final ObjectIndex<Technique> techniques;
    private final ObjectIndex<Tactic> tactics;
    private final ObjectIndex<Group> groups;
    private final ObjectIndex<Software> software;
    private final ObjectIndex<Mitigation> mitigations;
    private final ObjectIndex<Campaign> campaigns;
    private final ObjectIndex<DataComponent> dataComponents;
    private final ObjectIndex<DetectionStrategy> detectionStrategies;
    private final List<Tactic> tacticsInMatrixOrder;

    // Reverse relationships, from the STIX id of the object used, mitigated, detected or attributed to.
    private final Map<String, List<AttackObject>> users;
    private final Map<String, List<Mitigation>> mitigationsByTechnique;
    private final Map<String, List<Technique>> subtechniques;
    private final Map<String, List<AttackObject>> detectors;
    private final Map<String, List<Campaign>> campaignsByGroup;
    private final Map<String, List<Technique>> techniquesByTactic;
    private final Map<Link, String> descriptions;
    private final Map<String, String> techniqueNames;
    private final SearchIndex searchIndex;
    private final Summary summary;

    /** The two ends of a relationship, by STIX id. */
    private record Link(String source, String target) {}

    /**
     * @param unlinked the objects as read, without the lists relationships make
     * @param relationships the relationships to link: all of a type ATT&amp;CK defines between the kinds it relates, none
     *     with a revoked end but revoked-by
     * @param tacticOrder the STIX ids of the tactics in the matrix's order
     */
    AttackKnowledge(BundleAssembler.BundleReport report, List<AttackObject> unlinked,
            List<BundleAssembler.Relationship> relationships, List<String> tacticOrder) {
        Map<String, AttackObject> read = new HashMap<>();
        for (AttackObject object : unlinked) {
            read.put(object.stixId(), object);
        }

        // The relationships are those ATT&CK defines, between objects it still stands behind (BundleAssembler).
        Map<String, String> replacedBy = new HashMap<>();
        Map<String, List<String>> forward = new HashMap<>();
        Map<String, List<String>> reverse = new HashMap<>();
        Map<String, String> parents = new HashMap<>();
        Map<Link, String> linkDescriptions = new HashMap<>();
        for (BundleAssembler.Relationship relationship : relationships) {
            String from = relationship.source();
            String to = relationship.target();
            if (relationship.type().equals("revoked-by")) {
                replacedBy.put(from, to);
                continue;
            }
            if (relationship.type().equals("subtechnique-of")) {
                parents.put(from, to);
            }
            forward.computeIfAbsent(from, key -> new ArrayList<>()).add(to);
            reverse.computeIfAbsent(to, key -> new ArrayList<>()).add(from);
            if (!relationship.description().isBlank()) {
                linkDescriptions.merge(new Link(from, to), relationship.description(),
                        (first, second) -> first.equals(second) ? first : first + "\n\n" + second);
            }
        }

        // Rebuild each record with its links.
        Map<String, Tactic> tacticsByShortname = preferringActive(unlinked, Tactic.class, Tactic::shortname);
        Map<String, Technique> techniquesById = preferringActive(unlinked, Technique.class, Technique::id);
        Map<String, AttackObject> linkedObjects = new LinkedHashMap<>();
        for (AttackObject object : unlinked) {
            Optional<String> revokedBy = Optional.ofNullable(replacedBy.get(object.stixId()))
                    .map(stixId -> read.get(stixId).id());
            List<String> targets = forward.getOrDefault(object.stixId(), List.of());
            AttackObject withLinks = switch (object) {
                case Technique technique -> technique.withLinks(
                        technique.tactics().stream().map(tactic -> new Technique.TacticRef(tactic.shortname(),
                                Optional.ofNullable(tacticsByShortname.get(tactic.shortname())).map(Tactic::name)
                                        .orElse(tactic.shortname()))).toList(),
                        parentOf(technique, parents, read, techniquesById), revokedBy);
                case Tactic tactic -> tactic.withRevokedBy(revokedBy);
                case Group group -> group.withLinks(activeIds(targets, read, Technique.class),
                        activeIds(targets, read, Software.class), revokedBy);
                case Software tool -> tool.withLinks(activeIds(targets, read, Technique.class), revokedBy);
                case Mitigation mitigation -> mitigation.withLinks(activeIds(targets, read, Technique.class),
                        revokedBy);
                case Campaign campaign -> campaign.withLinks(activeIds(targets, read, Group.class),
                        activeIds(targets, read, Technique.class), activeIds(targets, read, Software.class),
                        revokedBy);
                case DataComponent component -> component.withLinks(component.dataSource(), revokedBy);
                case DetectionStrategy strategy -> strategy.withLinks(activeIds(targets, read, Technique.class),
                        strategy.analytics(), revokedBy);
            };
            linkedObjects.put(object.stixId(), withLinks);
        }
        this.byStixId = Map.copyOf(linkedObjects);
        this.replacements = Map.copyOf(replacedBy);
        this.descriptions = Map.copyOf(linkDescriptions);

        List<AttackObject> objects = List.copyOf(linkedObjects.values());
        // "OS Credential Dumping" for T1003.001: how ATT&CK writes a sub-technique's full name, "Parent: Name".
        Map<String, String> parentNames = new HashMap<>();
        for (AttackObject object : objects) {
            if (object instanceof Technique technique && technique.isSubtechnique()) {
                technique.parentId().map(techniquesById::get)
                        .ifPresent(parent -> parentNames.put(technique.stixId(), parent.name()));
            }
        }
        this.techniques = register(Technique.class, objects, technique -> fullName(technique, parentNames).stream()
                .toList(), technique -> List.of());
        this.tactics = register(Tactic.class, objects, tactic -> List.of(tactic.shortname()), tactic -> List.of());
        this.groups = register(Group.class, objects, group -> List.of(), Group::aliases);
        this.software = register(Software.class, objects, tool -> List.of(), Software::aliases);
        this.mitigations = register(Mitigation.class, objects, mitigation -> List.of(), mitigation -> List.of());
        this.campaigns = register(Campaign.class, objects, campaign -> List.of(), Campaign::aliases);
        this.dataComponents = register(DataComponent.class, objects, component -> List.of(), component -> List.of());
        this.detectionStrategies = register(DetectionStrategy.class, objects, strategy -> List.of(),
                strategy -> List.of());

        Map<String, Integer> matrixPosition = new HashMap<>();
        for (String stixId : tacticOrder) {
            matrixPosition.putIfAbsent(stixId, matrixPosition.size());
        }
        this.tacticsInMatrixOrder = tactics.active().stream()
                .sorted(Comparator.comparingInt((Tactic tactic) ->
                        matrixPosition.getOrDefault(tactic.stixId(), Integer.MAX_VALUE)).thenComparing(Tactic::id))
                .toList();

        this.users = reverse(reverse, byStixId, AttackObject.class,
                object -> object instanceof Group || object instanceof Software || object instanceof Campaign);
        this.mitigationsByTechnique = reverse(reverse, byStixId, Mitigation.class, object -> true);
        this.detectors = reverse(reverse, byStixId, AttackObject.class,
                object -> object instanceof DataComponent || object instanceof DetectionStrategy);
        this.campaignsByGroup = reverse(reverse, byStixId, Campaign.class, object -> true);
        Map<String, List<String>> children = new HashMap<>();
        parents.forEach((child, parent) -> children.computeIfAbsent(parent, key -> new ArrayList<>()).add(child));
        this.subtechniques = reverse(children, byStixId, Technique.class, object -> true);
        Map<String, List<Technique>> byTactic = new HashMap<>();
        for (Technique technique : techniques.active()) {
            for (Technique.TacticRef tactic : technique.tactics()) {
                byTactic.computeIfAbsent(tactic.shortname(), key -> new ArrayList<>()).add(technique);
            }
        }
        byTactic.replaceAll((shortname, list) -> List.copyOf(list));
        this.techniquesByTactic = Map.copyOf(byTactic);
        this.techniqueNames = techniqueNames(techniques.active(), parentNames);

        List<AttackObject> searchable = new ArrayList<>();
        searchable.addAll(techniques.active());
        searchable.addAll(groups.active());
        searchable.addAll(software.active());
        searchable.addAll(mitigations.active());
        searchable.addAll(campaigns.active());
        this.searchIndex = new SearchIndex(searchable, object -> searchFields(object, parentNames));

        int revoked = (int) objects.stream().filter(AttackObject::revoked).count();
        int deprecated = (int) objects.stream().filter(AttackObject::deprecated).count();
        int subtechniqueCount = (int) techniques.active().stream().filter(Technique::isSubtechnique).count();
        this.summary = new Summary(report.source(), report.specVersion(), report.attackVersion(), report.objects(),
                techniques.active().size() - subtechniqueCount, subtechniqueCount, tactics.active().size(),
                groups.active().size(), software.active().size(), mitigations.active().size(),
                campaigns.active().size(), dataComponents.active().size(), detectionStrategies.active().size(),
                relationships.size(), revoked, deprecated, report.skipped(), report.warnings());
    }

    private static Optional<String> parentOf(Technique technique, Map<String, String> parents,
            Map<String, AttackObject> read, Map<String, Technique> techniquesById) {
        String parent = parents.get(technique.stixId());
        if (parent != null) {
            return Optional.of(read.get(parent).id());
        }
        int dot = technique.id().indexOf('.');
        if (technique.isSubtechnique() && dot > 0 && techniquesById.containsKey(technique.id().substring(0, dot))) {
            return Optional.of(technique.id().substring(0, dot));
        }
        return Optional.empty();
    }

    private static List<String> activeIds(List<String> stixIds, Map<String, AttackObject> read,
            Class<? extends AttackObject> kind) {
        TreeSet<String> ids = new TreeSet<>();
        for (String stixId : stixIds) {
            AttackObject object = read.get(stixId);
            if (kind.isInstance(object) && object.active()) {
                ids.add(object.id());
            }
        }
        return List.copyOf(ids);
    }

    private <T extends AttackObject> ObjectIndex<T> register(Class<T> kind, List<AttackObject> objects,
            Function<T, List<String>> names, Function<T, List<String>> aliases) {
        ObjectIndex<T> index = new ObjectIndex<>(objects.stream().filter(kind::isInstance).map(kind::cast).toList(),
                names, aliases);
        indexes.put(kind, index);
        return index;
    }

    private static <T extends AttackObject> Map<String, List<T>> reverse(Map<String, List<String>> reverse,
            Map<String, AttackObject> byStixId, Class<T> kind, java.util.function.Predicate<AttackObject> accept) {
        Map<String, List<T>> result = new HashMap<>();
        reverse.forEach((target, sources) -> {
            List<T> list = sources.stream().distinct().map(byStixId::get)
                    .filter(object -> kind.isInstance(object) && accept.test(object) && object.active())
                    .map(kind::cast).sorted(Comparator.comparing(AttackObject::id)).toList();
            if (!list.isEmpty()) {
                result.put(target, list);
            }
        });
        return Map.copyOf(result);
    }

    private static Map<String, String> techniqueNames(List<Technique> active, Map<String, String> parentNames) {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Technique technique : active) {
            byName.computeIfAbsent(AttackText.key(technique.name()), key -> new ArrayList<>()).add(technique.id());
            fullName(technique, parentNames).ifPresent(fullName ->
                    byName.computeIfAbsent(AttackText.key(fullName), key -> new ArrayList<>()).add(technique.id()));
        }
        Map<String, String> names = new LinkedHashMap<>();
        byName.forEach((name, ids) -> {
            if (ids.size() == 1) {
                names.put(name, ids.getFirst());
            }
        });
        return java.util.Collections.unmodifiableMap(names);
    }

    private static Optional<String> fullName(Technique technique, Map<String, String> parentNames) {
        return Optional.ofNullable(parentNames.get(technique.stixId())).map(parent -> parent + ": " + technique.name());
    }

    /** The objects of a kind by a key, the active one where several share it, else the deprecated one. */
    private static <T extends AttackObject> Map<String, T> preferringActive(List<AttackObject> objects, Class<T> kind,
            Function<T, String> key) {
        Map<String, T> map = new HashMap<>();
        for (AttackObject object : objects) {
            if (kind.isInstance(object)) {
                map.merge(key.apply(kind.cast(object)), kind.cast(object),
                        (kept, other) -> ObjectIndex.rank(other) < ObjectIndex.rank(kept) ? other : kept);
            }
        }
        return map;
    }

    private static SearchIndex.Fields searchFields(AttackObject object, Map<String, String> parentNames) {
        List<String> names = new ArrayList<>();
        names.add(object.id());
        names.add(object.name());
        switch (object) {
            case Technique technique -> {
                String parent = parentNames.get(technique.stixId());
                if (parent != null) {
                    names.add(parent);
                }
            }
            case Group group -> names.addAll(group.aliases().subList(Math.min(1, group.aliases().size()),
                    group.aliases().size()));
            case Software tool -> names.addAll(tool.aliases().subList(Math.min(1, tool.aliases().size()),
                    tool.aliases().size()));
            case Campaign campaign -> names.addAll(campaign.aliases().subList(
                    Math.min(1, campaign.aliases().size()), campaign.aliases().size()));
            case Tactic tactic -> {}
            case Mitigation mitigation -> {}
            case DataComponent component -> {}
            case DetectionStrategy strategy -> {}
        }
        return new SearchIndex.Fields(names, List.of(AttackText.plain(object.description())));
    }

    // ---------------------------------------------------------------------------------------------- look-ups

    /** The technique or sub-technique with this id or name, or the one that replaced it. */
    public Optional<Technique> technique(String idOrName) {
        return current(Technique.class, idOrName);
    }

    /** The tactic with this id ({@code TA0006}), shortname ({@code credential-access}) or name. */
    public Optional<Tactic> tactic(String idShortnameOrName) {
        return current(Tactic.class, idShortnameOrName);
    }

    /** The group with this id, name or alias ({@code Cozy Bear} finds APT29), or the one that replaced it. */
    public Optional<Group> group(String idNameOrAlias) {
        return current(Group.class, idNameOrAlias);
    }

    /** The malware or tool with this id, name or alias, or the one that replaced it. */
    public Optional<Software> software(String idNameOrAlias) {
        return current(Software.class, idNameOrAlias);
    }

    /** The mitigation with this id or name. */
    public Optional<Mitigation> mitigation(String idOrName) {
        return current(Mitigation.class, idOrName);
    }

    /** The campaign with this id, name or alias. */
    public Optional<Campaign> campaign(String idNameOrAlias) {
        return current(Campaign.class, idNameOrAlias);
    }

    /** The data component with this id ({@code DC0035}) or name. */
    public Optional<DataComponent> dataComponent(String idOrName) {
        return current(DataComponent.class, idOrName);
    }

    /** The detection strategy with this id ({@code DET0103}) or name. */
    public Optional<DetectionStrategy> detectionStrategy(String idOrName) {
        return current(DetectionStrategy.class, idOrName);
    }

    private <T extends AttackObject> Optional<T> current(Class<T> kind, String query) {
        return resolve(kind, query).map(Resolution::current);
    }

    /**
     * The object of this kind the query names, and the object to use instead when ATT&amp;CK revoked it; empty when the
     * query names nothing or several objects.
     */
    public <T extends AttackObject> Optional<Resolution<T>> resolve(Class<T> kind, String query) {
        requireNonNull(query, "query is null");
        return index(kind).find(query).map(found -> new Resolution<>(query, found, replacement(kind, found)));
    }

    private <T extends AttackObject> T replacement(Class<T> kind, T object) {
        T current = object;
        // A bound instead of a visited set: ATT&CK's longest chain has two steps; a cycle means a damaged bundle.
        for (int step = 0; step < 16 && current.revoked(); step++) {
            String next = replacements.get(current.stixId());
            if (next == null || !kind.isInstance(byStixId.get(next))) {
                break;
            }
            current = kind.cast(byStixId.get(next));
        }
        return current;
    }

    /**
     * Every object of this kind the query could mean, best status first: one for an unambiguous query, several for a
     * shared name (to offer as choices), none when nothing matches. Revoked objects are not replaced here.
     */
    public <T extends AttackObject> List<T> candidates(Class<T> kind, String query) {
        requireNonNull(query, "query is null");
        return index(kind).candidates(query);
    }

    /** Every object of this kind, revoked and deprecated ones too, by id. */
    public <T extends AttackObject> List<T> all(Class<T> kind) {
        return index(kind).all();
    }

    /** The active objects of this kind (neither revoked nor deprecated), by id. */
    public <T extends AttackObject> List<T> active(Class<T> kind) {
        return index(kind).active();
    }

    @SuppressWarnings("unchecked") // indexes maps each kind to the index of that kind
    private <T extends AttackObject> ObjectIndex<T> index(Class<T> kind) {
        return (ObjectIndex<T>) requireNonNull(indexes.get(requireNonNull(kind, "kind is null")),
                () -> "no index of " + kind.getName());
    }

    /** The active techniques and sub-techniques, by id. */
    public List<Technique> activeTechniques() {
        return techniques.active();
    }

    /** The active groups, by id. */
    public List<Group> groups() {
        return groups.active();
    }

    /** The active tactics in the matrix's order (reconnaissance to impact), else by id. */
    public List<Tactic> tactics() {
        return tacticsInMatrixOrder;
    }

    // ----------------------------------------------------------------------------------------- relationships

    /** The active sub-techniques of a technique, by id. */
    public List<Technique> subtechniquesOf(String technique) {
        return technique(technique).map(found -> subtechniques.getOrDefault(found.stixId(), List.of()))
                .orElse(List.of());
    }

    /** The active techniques and sub-techniques of a tactic (by id, shortname or name), by id. */
    public List<Technique> techniquesOf(String tactic) {
        return tactic(tactic).map(found -> techniquesByTactic.getOrDefault(found.shortname(), List.of()))
                .orElse(List.of());
    }

    /** The active mitigations of a technique, by id. A sub-technique's are its own, not its parent's. */
    public List<Mitigation> mitigationsOf(String technique) {
        return technique(technique).map(found -> mitigationsByTechnique.getOrDefault(found.stixId(), List.of()))
                .orElse(List.of());
    }

    /** The active groups known to use a technique, by id; not those whose software uses it. */
    public List<Group> groupsUsing(String technique) {
        return technique(technique).map(found -> usersOf(found, Group.class)).orElse(List.of());
    }

    /** The active malware and tools known to use a technique, by id. */
    public List<Software> softwareUsing(String technique) {
        return technique(technique).map(found -> usersOf(found, Software.class)).orElse(List.of());
    }

    /** The active campaigns in which a technique was used, by id. */
    public List<Campaign> campaignsUsing(String technique) {
        return technique(technique).map(found -> usersOf(found, Campaign.class)).orElse(List.of());
    }

    /** The active groups known to use a piece of software (by id, name or alias), by id. */
    public List<Group> groupsUsingSoftware(String softwareIdNameOrAlias) {
        return software(softwareIdNameOrAlias).map(found -> usersOf(found, Group.class)).orElse(List.of());
    }

    /** The active campaigns attributed to a group, by id. */
    public List<Campaign> campaignsOf(String group) {
        return group(group).map(found -> campaignsByGroup.getOrDefault(found.stixId(), List.of())).orElse(List.of());
    }

    private <T extends AttackObject> List<T> usersOf(AttackObject used, Class<T> kind) {
        return users.getOrDefault(used.stixId(), List.of()).stream().filter(kind::isInstance).map(kind::cast)
                .toList();
    }

    /** How ATT&amp;CK says a technique is detected; empty when there is no such technique. */
    public Optional<Detection> detectionOf(String technique) {
        return technique(technique).map(found -> {
            List<AttackObject> detecting = detectors.getOrDefault(found.stixId(), List.of());
            List<DetectionStrategy> strategies = detecting.stream().filter(DetectionStrategy.class::isInstance)
                    .map(DetectionStrategy.class::cast).toList();
            Map<String, DataComponent> components = new TreeMap<>();
            detecting.stream().filter(DataComponent.class::isInstance).map(DataComponent.class::cast)
                    .forEach(component -> components.put(component.id(), component));
            for (DetectionStrategy strategy : strategies) {
                for (DetectionStrategy.Analytic analytic : strategy.analytics()) {
                    for (DetectionStrategy.LogSourceReference logSource : analytic.logSources()) {
                        dataComponents.find(logSource.dataComponentId()).filter(AttackObject::active)
                                .ifPresent(component -> components.put(component.id(), component));
                    }
                }
            }
            return new Detection(found, found.detection(), strategies, List.copyOf(components.values()));
        });
    }

    /**
     * The active mitigations of any of these techniques, those mitigating the most of them first, then by id. Pass a
     * group's {@link Group#techniques()} to see which mitigations would most reduce exposure to it. Techniques not
     * found are passed over.
     */
    public List<MitigationCoverage> mitigationsCovering(Collection<String> techniques) {
        Map<String, TreeSet<String>> covered = new HashMap<>();
        Map<String, Mitigation> byStix = new HashMap<>();
        for (String query : techniques) {
            technique(query).ifPresent(technique -> {
                for (Mitigation mitigation : mitigationsByTechnique.getOrDefault(technique.stixId(), List.of())) {
                    byStix.put(mitigation.stixId(), mitigation);
                    covered.computeIfAbsent(mitigation.stixId(), key -> new TreeSet<>()).add(technique.id());
                }
            });
        }
        return covered.entrySet().stream()
                .map(entry -> new MitigationCoverage(byStix.get(entry.getKey()), List.copyOf(entry.getValue())))
                .sorted(Comparator.comparingInt((MitigationCoverage coverage) -> coverage.techniques().size())
                        .reversed().thenComparing(coverage -> coverage.mitigation().id()))
                .toList();
    }

    /**
     * What the relationship from {@code source} to {@code target} says: for "uses", how the group, software or
     * campaign used the technique (ATT&amp;CK's procedure example); for "mitigates", how the mitigation applies. Empty
     * when the two are not related or the relationship has no description.
     */
    public Optional<String> relationshipDescription(AttackObject source, AttackObject target) {
        return Optional.ofNullable(descriptions.get(new Link(source.stixId(), target.stixId())));
    }

    // ------------------------------------------------------------------------------------- search and names

    /**
     * The active techniques, groups and software that best match the text, best first: BM25 over ids, names and
     * aliases (weighing three times) and descriptions. Words are compared without regard to case, accents,
     * punctuation or a plural {@code s}. Empty for a text without searchable words.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public List<SearchHit> search(String text, int limit) {
        return search(text, limit, DEFAULT_SEARCH_KINDS);
    }

    /** As {@link #search(String, int)}, over the active objects of these kinds (mitigations and campaigns too). */
    public List<SearchHit> search(String text, int limit, Set<Class<? extends AttackObject>> kinds) {
        requireNonNull(text, "text is null");
        requireNonNull(kinds, "kinds is null");
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        return searchIndex.search(text, limit, object -> kinds.contains(object.getClass()));
    }

    /**
     * The names of the active techniques, lower-cased, to their ids: to find techniques named in prose. Both a
     * sub-technique's own name ({@code lsass memory}) and its full one ({@code os credential dumping: lsass memory})
     * are keys. A name that several techniques share ({@code cloud accounts}) is left out, as it names none of them;
     * its full forms remain.
     */
    public Map<String, String> techniqueNames() {
        return techniqueNames;
    }

    /** What the bundle held. */
    public Summary summary() {
        return summary;
    }

    /**
     * ATT&amp;CK's Markdown as plain text: {@code (Citation: ...)} markers removed, {@code [APT29](https://...)} links
     * reduced to their text, and formatting tags such as {@code <code>} dropped; paragraphs stay apart.
     */
    public static String plainText(String attackMarkdown) {
        return AttackText.plain(requireNonNull(attackMarkdown, "attackMarkdown is null"));
    }

    @Override
    public String toString() {
        return "AttackKnowledge[" + summary.source() + ": " + summary.techniques() + " techniques, "
                + summary.subtechniques() + " sub-techniques, " + summary.groups() + " groups, " + summary.software()
                + " software]";
    }
}
