package dev.vigil.incident;

import dev.vigil.incident.IncidentView.ActorHypothesis;
import dev.vigil.incident.IncidentView.EntityEdge;
import dev.vigil.incident.IncidentView.EntityNode;
import dev.vigil.incident.IncidentView.Factor;
import dev.vigil.incident.IncidentView.Impact;
import dev.vigil.incident.IncidentView.Role;
import dev.vigil.incident.IncidentView.Sentence;
import dev.vigil.incident.IncidentView.Source;
import dev.vigil.incident.IncidentView.TacticReached;
import dev.vigil.incident.IncidentView.TimelineEntry;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.attack.Group;
import dev.vigil.intel.attack.MitigationCoverage;
import dev.vigil.intel.attack.Tactic;
import dev.vigil.intel.attack.Technique;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.model.Alert;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an incident's {@link IncidentFacts} into its {@link IncidentView}: timeline, entity graph, tactics, impact,
 * likely source, a summary and guided-response cards. Pure and deterministic: the same facts give the same view, word
 * for word, and every sentence names its evidence.
 */
public final class IncidentAnalyzer {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern CVE = Pattern.compile("CVE-\\d{4}-\\d{4,7}", Pattern.CASE_INSENSITIVE);
    /** Programs that deliver content: a process they start is how a document, mail or web page got to run code. */
    private static final Set<String> DELIVERY_PARENTS = Set.of("winword.exe", "excel.exe", "powerpnt.exe",
            "outlook.exe", "msaccess.exe", "mspub.exe", "onenote.exe", "acrord32.exe", "acrobat.exe", "chrome.exe",
            "msedge.exe", "firefox.exe", "iexplore.exe", "brave.exe", "opera.exe", "thunderbird.exe", "w3wp.exe",
            "httpd", "nginx", "tomcat9.exe", "java.exe");
    /** Of those, servers: what they start ran because of a request (an exploit), not a document. */
    private static final Set<String> SERVER_PARENTS = Set.of("w3wp.exe", "httpd", "nginx", "tomcat9.exe", "java.exe");
    /** Tactics whose reach makes an incident matter more: the attacker is taking, moving, talking out or destroying. */
    private static final List<String> GRAVE_TACTICS = List.of("credential-access", "lateral-movement",
            "command-and-control", "exfiltration", "impact");
    private static final int MAX_TIMELINE_EVENTS = 200;
    /**
     * Tables whose host is the security appliance that saw the traffic (a firewall or proxy speaking CEF), not a
     * machine the attack acted on: such a host is involved, and guided response does not isolate it.
     */
    private static final Set<String> REPORTER_TABLES = Set.of("CommonSecurityLog");

    private IncidentAnalyzer() {}

    public static IncidentView analyze(IncidentFacts facts) {
        return new Analysis(facts).run();
    }

    /** An alert as sentences name it: {@code alert 1f2e3d4c}. */
    public static String name(Alert alert) {
        return "alert " + alert.id().toString().substring(0, 8);
    }

    static String time(long micros) {
        return TIME.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
    }

    static String alertRef(Alert alert) {
        return "alert:" + alert.id();
    }

    /** One analysis run; holds what the parts share. */
    private static final class Analysis {
        private final IncidentFacts facts;
        private final List<Alert> alerts;
        private final Map<EntityKey, List<Alert>> alertsByEntity = new TreeMap<>();
        private final Set<EntityKey> sources = new TreeSet<>(); // keys seen as src_ip
        private final Map<EntityKey, String> mailboxes = new TreeMap<>();
        private final Map<EntityKey, Indicator> intel = new TreeMap<>();
        private final Map<String, Integer> tacticOrder = new HashMap<>();
        private List<TacticReached> tactics = List.of();

        Analysis(IncidentFacts facts) {
            this.facts = facts;
            this.alerts = facts.alerts().stream().map(PlacedAlert::alert)
                    .sorted(Comparator.comparingLong(Alert::timeMicros).thenComparing(Alert::id)).toList();
            for (Alert alert : alerts) {
                for (Alert.Entity entity : alert.entities()) {
                    EntityKey.of(entity).ifPresent(key -> {
                        List<Alert> list = alertsByEntity.computeIfAbsent(key, k -> new ArrayList<>());
                        if (list.isEmpty() || list.getLast() != alert) {
                            list.add(alert);
                        }
                        if (entity.kind().equals("src_ip")) {
                            sources.add(key);
                        }
                        if (key.kind() == EntityKey.Kind.USER && entity.value().contains("@")) {
                            mailboxes.putIfAbsent(key, entity.value().toLowerCase(Locale.ROOT));
                        }
                    });
                }
            }
            for (Indicator indicator : facts.indicators()) {
                for (EntityKey key : alertsByEntity.keySet()) {
                    if (key.value().equalsIgnoreCase(indicator.value())) {
                        intel.putIfAbsent(key, indicator);
                    }
                }
            }
            facts.attack().ifPresent(attack -> {
                List<Tactic> ordered = attack.tactics();
                for (int i = 0; i < ordered.size(); i++) {
                    tacticOrder.put(ordered.get(i).shortname(), i);
                }
            });
        }

        IncidentView run() {
            List<TimelineEntry> timeline = timeline();
            List<EntityNode> entities = entities();
            List<EntityEdge> edges = edges();
            tactics = tactics();
            Impact impact = impact(entities);
            Source source = source();
            List<ResponseCard> cards = cards(entities, impact);
            List<Sentence> summary = summary(entities, impact, source, cards);
            return new IncidentView(facts.incident(), timeline, entities, edges, tactics, impact, source, summary,
                    cards);
        }

        // --- timeline -------------------------------------------------------------------------------------

        private List<TimelineEntry> timeline() {
            List<TimelineEntry> entries = new ArrayList<>();
            for (Alert alert : alerts) {
                entries.add(new TimelineEntry(alert.timeMicros(), "alert", alert.title(), alert.level(),
                        first(alert, "host"), first(alert, "user"), matched(alert), alert.techniques(),
                        alertRef(alert)));
            }
            facts.events().stream().limit(MAX_TIMELINE_EVENTS).forEach(event -> {
                String what = event.get("command_line");
                if (what.isEmpty()) {
                    what = String.join(" ", java.util.stream.Stream.of(event.get("process"), event.get("action"),
                            event.get("dst_ip"), event.get("domain"), event.get("url")).filter(s -> !s.isEmpty())
                            .toList());
                }
                String code = event.get("event_code");
                entries.add(new TimelineEntry(event.timeMicros(), "event", event.table()
                        + (code.isEmpty() ? "" : " " + code), "", event.get("host"), event.get("user"),
                        clip(what, 200), List.of(), "event:" + event.id()));
            });
            entries.sort(Comparator.comparingLong(TimelineEntry::timeMicros)
                    .thenComparing(e -> e.kind().equals("alert") ? 1 : 0).thenComparing(TimelineEntry::evidence));
            return entries;
        }

        /** The value of an indicator alert's indicator: {@code ipv4:10.0.0.5} is {@code 10.0.0.5}. */
        private static String indicatorValue(Alert alert) {
            String key = alert.matchedFields().getOrDefault("indicator", "");
            int colon = key.indexOf(':');
            return colon < 0 ? key : key.substring(colon + 1);
        }

        private static String matched(Alert alert) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(alert.matchedFields()).forEach((field, value) -> {
                if (parts.size() < 3) {
                    parts.add(field + "=" + clip(value, 80));
                }
            });
            return String.join(" ", parts);
        }

        // --- entities -------------------------------------------------------------------------------------

        private List<EntityNode> entities() {
            List<EntityNode> nodes = new ArrayList<>();
            alertsByEntity.forEach((key, list) -> {
                Role role;
                String why;
                Indicator indicator = intel.get(key);
                Optional<Alert> iocAlert = list.stream().filter(a -> a.source().equals("ioc")).findFirst();
                if (indicator != null) {
                    role = Role.ATTACKER;
                    why = "matches a threat-intelligence indicator from " + String.join(", ",
                            indicator.provenance().feeds());
                } else if (iocAlert.isPresent() && key.kind() != EntityKey.Kind.HOST
                        && key.kind() != EntityKey.Kind.USER && indicatorValue(iocAlert.get()).equalsIgnoreCase(
                                key.value())) {
                    role = Role.ATTACKER;
                    why = "named by indicator alert " + name(iocAlert.get()).substring(6);
                } else if (key.isExternalAddress() && sources.contains(key)) {
                    role = Role.ATTACKER;
                    why = "external address acting as a source";
                } else if (key.kind() == EntityKey.Kind.HOST && list.stream().allMatch(a -> REPORTER_TABLES.contains(
                        a.table()))) {
                    role = Role.INVOLVED;
                    why = "the device that reported the traffic (" + list.getFirst().table() + ")";
                } else if (key.kind() == EntityKey.Kind.HOST || key.kind() == EntityKey.Kind.USER) {
                    role = Role.VICTIM;
                    why = key.kind().label() + " acted on in " + plural(list.size(), "alert");
                } else {
                    role = Role.INVOLVED;
                    why = key.isExternalAddress() ? "external address contacted" : "appears in "
                            + plural(list.size(), "alert");
                }
                nodes.add(new EntityNode(key, role, why, list.size(), list.getFirst().timeMicros(),
                        list.stream().mapToLong(Alert::timeMicros).max().orElseThrow(), facts.common().test(key),
                        key.kind() == EntityKey.Kind.USER && facts.privilegedUsers().containsKey(key.value())));
            });
            nodes.sort(Comparator.comparing(EntityNode::role).thenComparing(n -> -n.alerts())
                    .thenComparing(EntityNode::key));
            return nodes;
        }

        private List<EntityEdge> edges() {
            Map<List<EntityKey>, Integer> counts = new TreeMap<>(Comparator.<List<EntityKey>, EntityKey>comparing(
                    l -> l.get(0)).thenComparing(l -> l.get(1)));
            for (Alert alert : alerts) {
                List<EntityKey> keys = new ArrayList<>(new TreeSet<>(Correlator.keys(alert)));
                for (int i = 0; i < keys.size(); i++) {
                    for (int j = i + 1; j < keys.size(); j++) {
                        counts.merge(List.of(keys.get(i), keys.get(j)), 1, Integer::sum);
                    }
                }
            }
            List<EntityEdge> edges = new ArrayList<>();
            counts.forEach((pair, n) -> edges.add(new EntityEdge(pair.get(0), pair.get(1), n)));
            return edges;
        }

        // --- tactics --------------------------------------------------------------------------------------

        private List<TacticReached> tactics() {
            if (facts.attack().isEmpty()) {
                return List.of();
            }
            AttackKnowledge attack = facts.attack().get();
            Map<String, TreeSet<String>> techniques = new HashMap<>();
            Map<String, Long> first = new HashMap<>();
            Map<String, List<String>> evidence = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            for (Alert alert : alerts) {
                for (String id : alert.techniques()) {
                    Optional<Technique> technique = attack.technique(id);
                    if (technique.isEmpty()) {
                        continue;
                    }
                    for (Technique.TacticRef tactic : technique.get().tactics()) {
                        names.put(tactic.shortname(), tactic.name());
                        techniques.computeIfAbsent(tactic.shortname(), t -> new TreeSet<>()).add(technique.get().id());
                        first.merge(tactic.shortname(), alert.timeMicros(), Math::min);
                        List<String> refs = evidence.computeIfAbsent(tactic.shortname(), t -> new ArrayList<>());
                        if (refs.size() < 5 && !refs.contains(alertRef(alert))) {
                            refs.add(alertRef(alert));
                        }
                    }
                }
            }
            List<TacticReached> reached = new ArrayList<>();
            techniques.forEach((tactic, ids) -> reached.add(new TacticReached(tactic, names.get(tactic),
                    List.copyOf(ids), first.get(tactic), evidence.get(tactic))));
            reached.sort(Comparator.comparingInt((TacticReached t) -> tacticOrder.getOrDefault(t.tactic(),
                    Integer.MAX_VALUE)).thenComparing(TacticReached::tactic));
            return reached;
        }

        // --- impact ---------------------------------------------------------------------------------------

        private Impact impact(List<EntityNode> entities) {
            List<String> hosts = values(entities, EntityKey.Kind.HOST);
            List<String> users = values(entities, EntityKey.Kind.USER);
            List<String> privileged = users.stream().filter(facts.privilegedUsers()::containsKey).toList();
            long span = alerts.isEmpty() ? 0 : alerts.getLast().timeMicros() - alerts.getFirst().timeMicros();
            List<Factor> factors = new ArrayList<>();
            Alert worst = alerts.stream().max(Comparator.comparingInt((Alert a) -> IncidentNaming.rank(a.level()))
                    .thenComparing(Comparator.comparingLong(Alert::timeMicros).reversed())).orElse(null);
            if (worst != null) {
                int points = switch (Math.max(0, IncidentNaming.rank(worst.level()))) {
                    case 0 -> 5;
                    case 1 -> 10;
                    case 2 -> 20;
                    case 3 -> 35;
                    default -> 50;
                };
                factors.add(new Factor("severity", points, "the most severe alert is " + worst.level() + ": "
                        + worst.title(), List.of(alertRef(worst))));
            }
            if (hosts.size() > 1) {
                factors.add(new Factor("spread", Math.min(20, 5 * (hosts.size() - 1)), "it spans "
                        + plural(hosts.size(), "host"), evidenceOf(EntityKey.Kind.HOST, hosts)));
            }
            if (users.size() > 1) {
                factors.add(new Factor("accounts", Math.min(10, 3 * (users.size() - 1)), "it involves "
                        + plural(users.size(), "account"), evidenceOf(EntityKey.Kind.USER, users)));
            }
            if (!privileged.isEmpty()) {
                factors.add(new Factor("privileged accounts", Math.min(20, 10 * privileged.size()),
                        "privileged: " + String.join(", ", privileged), privileged.stream()
                                .map(u -> "event:" + facts.privilegedUsers().get(u)).toList()));
            }
            List<TacticReached> grave = tactics.stream().filter(t -> GRAVE_TACTICS.contains(t.tactic())).toList();
            if (!grave.isEmpty()) {
                factors.add(new Factor("tactics", Math.min(20, 5 * grave.size()), "it reached "
                        + String.join(", ", grave.stream().map(TacticReached::name).toList()),
                        grave.stream().flatMap(t -> t.evidence().stream().limit(1)).toList()));
            }
            if (!intel.isEmpty() || alerts.stream().anyMatch(a -> a.source().equals("ioc"))) {
                List<String> refs = new ArrayList<>();
                intel.values().forEach(i -> refs.add("indicator:" + i.key()));
                alerts.stream().filter(a -> a.source().equals("ioc")).limit(3).forEach(a -> refs.add(alertRef(a)));
                factors.add(new Factor("threat intelligence", 10, "known-bad indicators took part", refs));
            }
            String criticality = "unknown: no asset inventory has been imported";
            if (!facts.criticality().isEmpty() && !hosts.isEmpty()) {
                List<String> parts = new ArrayList<>();
                String worstHost = null;
                int worstRank = -1;
                for (String host : hosts) {
                    String level = facts.criticality().get(host);
                    parts.add(host + " " + (level == null ? "not in the inventory" : level));
                    int rank = level == null ? -1 : List.of("low", "medium", "high", "critical").indexOf(level);
                    if (rank > worstRank) {
                        worstRank = rank;
                        worstHost = host;
                    }
                }
                criticality = String.join(", ", parts);
                if (worstRank >= 2) {
                    factors.add(new Factor("asset criticality", worstRank == 3 ? 20 : 15, worstHost + " is "
                            + facts.criticality().get(worstHost) + " to the business", List.of("asset:" + worstHost)));
                }
            }
            int score = Math.min(100, factors.stream().mapToInt(Factor::points).sum());
            return new Impact(hosts, users, List.copyOf(mailboxes.values()), privileged, criticality, span, score,
                    factors);
        }

        private List<String> evidenceOf(EntityKey.Kind kind, List<String> values) {
            List<String> refs = new ArrayList<>();
            for (String value : values) {
                List<Alert> list = alertsByEntity.get(new EntityKey(kind, value));
                if (list != null && refs.size() < 5) {
                    refs.add(alertRef(list.getFirst()));
                }
            }
            return refs.stream().distinct().toList();
        }

        /** The victims of a kind (hosts, users), common ones left out. */
        private static List<String> values(List<EntityNode> entities, EntityKey.Kind kind) {
            return entities.stream().filter(n -> n.key().kind() == kind && !n.common() && n.role() == Role.VICTIM)
                    .map(n -> n.key().value()).sorted().toList();
        }

        // --- source ---------------------------------------------------------------------------------------

        private Source source() {
            List<Sentence> initial = new ArrayList<>();
            if (!alerts.isEmpty()) {
                Alert earliest = alerts.getFirst();
                initial.add(new Sentence("The earliest activity is " + name(earliest) + ", " + earliest.title()
                        + on(earliest) + ", at " + time(earliest.timeMicros()) + ".", List.of(alertRef(earliest))));
            }
            for (TacticReached tactic : tactics) {
                if (tactic.tactic().equals("initial-access")) {
                    initial.add(new Sentence("Initial access was detected: " + String.join(", ", tactic.techniques())
                            + ", first at " + time(tactic.firstMicros()) + ".", tactic.evidence()));
                }
            }
            for (Alert alert : alerts) {
                String parent = first(alert, "parent_process");
                String leaf = leaf(parent);
                if (DELIVERY_PARENTS.contains(leaf)) {
                    initial.add(new Sentence(leaf + " started " + leaf(first(alert, "process")) + on(alert) + " at "
                            + time(alert.timeMicros()) + (SERVER_PARENTS.contains(leaf)
                                    ? ": a request to the server likely made it run code."
                                    : ": a document, mail or web page likely delivered it."),
                            List.of(alertRef(alert))));
                    break;
                }
            }
            List<String> external = new ArrayList<>();
            for (Map.Entry<EntityKey, List<Alert>> entry : alertsByEntity.entrySet()) {
                if (entry.getKey().isExternalAddress() && !facts.common().test(entry.getKey())) {
                    external.add(entry.getKey().value());
                }
            }
            external.sort(Comparator.comparingLong((String ip) -> alertsByEntity.get(new EntityKey(EntityKey.Kind.IP,
                    ip)).getFirst().timeMicros()).thenComparing(ip -> ip));
            if (!external.isEmpty()) {
                Alert firstExternal = alertsByEntity.get(new EntityKey(EntityKey.Kind.IP, external.getFirst()))
                        .getFirst();
                initial.add(new Sentence("The first external address is " + external.getFirst()
                        + (sources.contains(new EntityKey(EntityKey.Kind.IP, external.getFirst())) ? ", as a source,"
                                : "") + " in " + name(firstExternal) + " at " + time(firstExternal.timeMicros()) + ".",
                        List.of(alertRef(firstExternal))));
            }
            List<Sentence> matches = new ArrayList<>();
            for (Alert alert : alerts) {
                if (alert.source().equals("ioc")) {
                    Map<String, String> m = alert.matchedFields();
                    matches.add(new Sentence(name(alert) + " matched indicator " + m.getOrDefault("indicator", "?")
                            + " from " + m.getOrDefault("feeds", "a feed") + " (confidence "
                            + m.getOrDefault("confidence", "?") + ")" + on(alert) + ".", List.of(alertRef(alert))));
                }
            }
            intel.forEach((key, indicator) -> matches.add(new Sentence(key + " matches indicator " + indicator.key()
                    + " from " + String.join(", ", indicator.provenance().feeds()) + " (confidence "
                    + indicator.provenance().confidence() + ").", List.of("indicator:" + indicator.key(),
                            alertRef(alertsByEntity.get(key).getFirst())))));
            return new Source(initial, external, matches, actors());
        }

        private List<ActorHypothesis> actors() {
            if (facts.attack().isEmpty()) {
                return List.of();
            }
            AttackKnowledge attack = facts.attack().get();
            Set<String> seen = new TreeSet<>();
            for (Alert alert : alerts) {
                for (String id : alert.techniques()) {
                    attack.technique(id).ifPresent(t -> seen.add(t.id()));
                }
            }
            if (seen.isEmpty()) {
                return List.of();
            }
            int needed = Math.min(2, seen.size());
            List<ActorHypothesis> hypotheses = new ArrayList<>();
            for (Group group : attack.groups()) {
                if (group.revoked() || group.deprecated()) {
                    continue;
                }
                Set<String> known = new TreeSet<>();
                for (String stixOrId : group.techniques()) {
                    attack.technique(stixOrId).ifPresent(t -> known.add(t.id()));
                }
                List<String> overlap = new ArrayList<>();
                for (String id : seen) {
                    String parent = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
                    if (known.contains(id) || (!id.equals(parent) && known.contains(parent))) {
                        overlap.add(id);
                    }
                }
                if (overlap.size() >= needed) {
                    double score = overlap.size() / (double) seen.size()
                            * (overlap.size() / (double) Math.max(overlap.size(), Math.sqrt(known.size() * 4.0)));
                    hypotheses.add(new ActorHypothesis(group.id(), group.name(), List.copyOf(overlap), known.size(),
                            Math.round(score * 1000) / 1000.0));
                }
            }
            hypotheses.sort(Comparator.comparingDouble(ActorHypothesis::score).reversed()
                    .thenComparing(h -> -h.overlap().size()).thenComparing(ActorHypothesis::groupId));
            return List.copyOf(hypotheses.subList(0, Math.min(5, hypotheses.size())));
        }

        // --- guided response ------------------------------------------------------------------------------

        private List<ResponseCard> cards(List<EntityNode> entities, Impact impact) {
            List<ResponseCard> cards = new ArrayList<>();
            cards.add(triage(impact));
            // containment
            for (EntityNode node : entities) {
                if (node.common()) {
                    continue;
                }
                List<Alert> list = alertsByEntity.get(node.key());
                List<Alert> grave = list.stream().filter(a -> IncidentNaming.rank(a.level()) >= 3
                        || a.source().equals("ioc")).toList();
                switch (node.key().kind()) {
                    case HOST -> {
                        if (!grave.isEmpty() && node.role() == Role.VICTIM) {
                            cards.add(new ResponseCard(ResponseCard.Category.CONTAINMENT,
                                    ResponseCard.Action.ISOLATE_HOST, "Isolate host " + node.key().value(),
                                    node.key().value(), plural(grave.size(), "high-severity alert") + " on it, first "
                                            + grave.getFirst().title(), "", refs(grave)));
                        }
                    }
                    case USER -> {
                        if (!grave.isEmpty()) {
                            boolean cloud = list.stream().anyMatch(a -> a.table().equalsIgnoreCase("SigninLogs")
                                    || a.table().equalsIgnoreCase("AADSignInEventsBeta"));
                            cards.add(new ResponseCard(ResponseCard.Category.CONTAINMENT, cloud
                                    ? ResponseCard.Action.REVOKE_SESSIONS : ResponseCard.Action.DISABLE_USER,
                                    (cloud ? "Revoke the sessions of " : "Disable account ") + node.key().value(),
                                    node.key().value(), plural(grave.size(), "high-severity alert") + (grave.size() == 1 ? " involves" : " involve") + " it"
                                            + (node.privileged() ? "; it holds privileges" : ""), "", refs(grave)));
                        }
                    }
                    case IP -> {
                        if (node.role() == Role.ATTACKER) {
                            cards.add(new ResponseCard(ResponseCard.Category.CONTAINMENT,
                                    ResponseCard.Action.BLOCK_IP, "Block address " + node.key().value(),
                                    node.key().value(), node.why(), "", refs(list)));
                        }
                    }
                    case DOMAIN, URL -> {
                        if (node.role() == Role.ATTACKER) {
                            String domain = node.key().kind() == EntityKey.Kind.DOMAIN ? node.key().value()
                                    : hostOf(node.key().value());
                            cards.add(new ResponseCard(ResponseCard.Category.CONTAINMENT,
                                    ResponseCard.Action.BLOCK_DOMAIN, "Block domain " + domain, domain, node.why(), "",
                                    refs(list)));
                        }
                    }
                    case FILE_HASH -> {
                        if (node.role() == Role.ATTACKER || !grave.isEmpty()) {
                            cards.add(new ResponseCard(ResponseCard.Category.CONTAINMENT,
                                    ResponseCard.Action.BLOCK_HASH, "Block file " + node.key().value(),
                                    node.key().value(), node.role() == Role.ATTACKER ? node.why()
                                            : "the file ran in " + plural(grave.size(), "high-severity alert"), "",
                                    refs(grave.isEmpty() ? list : grave)));
                        }
                    }
                    default -> { }
                }
            }
            // investigation
            long from = alerts.isEmpty() ? 0 : alerts.getFirst().timeMicros() - 3_600_000_000L;
            long to = alerts.isEmpty() ? 0 : alerts.getLast().timeMicros() + 3_600_000_000L;
            String window = "Timestamp between (datetime(" + iso(from) + ") .. datetime(" + iso(to) + "))";
            for (EntityNode node : entities) {
                if (node.common() || cards.size() > 40) {
                    continue;
                }
                String query = switch (node.key().kind()) {
                    case HOST -> node.role() != Role.VICTIM ? null : "DeviceProcessEvents\n| where DeviceName has \"" + node.key().value() + "\" and "
                            + window + "\n| project Timestamp, AccountName, FileName, ProcessCommandLine,"
                            + " InitiatingProcessFileName\n| order by Timestamp asc";
                    case USER -> "DeviceLogonEvents\n| where AccountName =~ \"" + node.key().value() + "\" and "
                            + window + "\n| summarize logons = count(), hosts = make_set(DeviceName) by ActionType,"
                            + " LogonType";
                    case IP -> node.role() == Role.ATTACKER || node.key().isExternalAddress()
                            ? "DeviceNetworkEvents\n| where RemoteIP == \"" + node.key().value() + "\"\n| summarize"
                                    + " connections = count(), first = min(Timestamp), last = max(Timestamp) by"
                                    + " DeviceName, InitiatingProcessFileName" : null;
                    case FILE_HASH -> "DeviceProcessEvents\n| where SHA256 == \"" + node.key().value()
                            + "\" or SHA1 == \"" + node.key().value() + "\" or MD5 == \"" + node.key().value()
                            + "\"\n| summarize count() by DeviceName, FolderPath";
                    default -> null;
                };
                if (query != null) {
                    cards.add(new ResponseCard(ResponseCard.Category.INVESTIGATION, null, "Hunt for "
                            + node.key() + " activity", node.key().value(), "it is " + node.role() + " in "
                            + plural(node.alerts(), "alert") + "; look for what the alerts did not catch", query,
                            refs(alertsByEntity.get(node.key()))));
                }
            }
            // the facts' map has no order (Map.copyOf): the most related first, then by number, for a stable view
            facts.related().entrySet().stream().sorted(Map.Entry.<Long, Integer>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey())).forEach(e -> relatedCard(cards, e.getKey(),
                            e.getValue()));
            cards.addAll(remediation(entities));
            return cards;
        }

        private static void relatedCard(List<ResponseCard> cards, long number, int count) {
            cards.add(new ResponseCard(
                    ResponseCard.Category.INVESTIGATION, null, "Review related incident " + number,
                    "incident " + number, plural(count, "alert") + " of it " + (count == 1 ? "names" : "name") + " this incident's entities", "",
                    List.of("incident:" + number)));
        }

        private ResponseCard triage(Impact impact) {
            Incident incident = facts.incident();
            List<String> grounds = new ArrayList<>();
            List<String> evidence = new ArrayList<>();
            boolean intelHit = !intel.isEmpty() || alerts.stream().anyMatch(a -> a.source().equals("ioc"));
            int worst = alerts.stream().mapToInt(a -> IncidentNaming.rank(a.level())).max().orElse(0);
            long rules = alerts.stream().map(Alert::ruleId).distinct().count();
            String suggestion;
            if (intelHit) {
                grounds.add("known-bad indicators took part");
                alerts.stream().filter(a -> a.source().equals("ioc")).limit(2).forEach(a -> evidence.add(alertRef(a)));
                intel.values().stream().limit(2).forEach(i -> evidence.add("indicator:" + i.key()));
            }
            long tacticAlerts = tactics.stream().flatMap(t -> t.evidence().stream()).distinct().count();
            if (tactics.size() >= 3 && tacticAlerts >= 2) { // one technique in three tactics is not three steps
                grounds.add("it reached " + tactics.size() + " ATT&CK tactics ("
                        + String.join(", ", tactics.stream().map(TacticReached::name).toList()) + ")");
                tactics.forEach(t -> evidence.add(t.evidence().getFirst()));
            }
            if (worst >= 3 && rules >= 2) {
                grounds.add(rules + " different detections, the worst " + Lifecycle.SEVERITIES.get(worst));
                alerts.stream().filter(a -> IncidentNaming.rank(a.level()) == worst).limit(2)
                        .forEach(a -> evidence.add(alertRef(a)));
            }
            if (!grounds.isEmpty()) {
                suggestion = "true-positive";
            } else if (worst <= 1 && rules == 1) {
                suggestion = "informational";
                grounds.add("only " + plural(alerts.size(), "low-severity alert") + " of one detection"
                        + (impact.hosts().size() <= 1 ? " on one host" : ""));
                alerts.stream().limit(2).forEach(a -> evidence.add(alertRef(a)));
            } else {
                suggestion = "undetermined";
                grounds.add("no indicator match and fewer than three tactics: review the timeline before deciding");
                alerts.stream().limit(2).forEach(a -> evidence.add(alertRef(a)));
            }
            return new ResponseCard(ResponseCard.Category.TRIAGE, null, "Classify as " + suggestion,
                    "incident " + incident.number(), String.join("; ", grounds), suggestion,
                    evidence.stream().distinct().toList());
        }

        private List<ResponseCard> remediation(List<EntityNode> entities) {
            List<ResponseCard> cards = new ArrayList<>();
            Set<String> credentialTactics = Set.of("credential-access");
            Set<EntityKey> exposed = new TreeSet<>();
            List<String> exposedEvidence = new ArrayList<>();
            for (TacticReached tactic : tactics) {
                if (credentialTactics.contains(tactic.tactic())) {
                    for (String ref : tactic.evidence()) {
                        for (Alert alert : alerts) {
                            if (alertRef(alert).equals(ref)) {
                                for (Alert.Entity entity : alert.entities()) {
                                    EntityKey.of(entity).filter(k -> k.kind() == EntityKey.Kind.USER
                                            || k.kind() == EntityKey.Kind.HOST).ifPresent(exposed::add);
                                }
                                exposedEvidence.add(ref);
                            }
                        }
                    }
                }
            }
            for (EntityNode node : entities) {
                if (node.key().kind() != EntityKey.Kind.USER || node.common()) {
                    continue;
                }
                boolean onExposedHost = exposed.contains(node.key());
                if (onExposedHost || node.privileged()) {
                    cards.add(new ResponseCard(ResponseCard.Category.REMEDIATION,
                            ResponseCard.Action.RESET_CREDENTIALS, "Reset the credentials of " + node.key().value(),
                            node.key().value(), onExposedHost ? "credential access was detected on its activity"
                                    : "it holds privileges and took part in the incident",
                            "", onExposedHost ? exposedEvidence : List.of("event:"
                                    + facts.privilegedUsers().get(node.key().value()))));
                }
            }
            for (TacticReached tactic : tactics) {
                if (!tactic.tactic().equals("persistence")) {
                    continue;
                }
                for (String ref : tactic.evidence()) {
                    alerts.stream().filter(a -> alertRef(a).equals(ref)).findFirst().ifPresent(alert -> cards.add(
                            new ResponseCard(ResponseCard.Category.REMEDIATION, null, "Remove the persistence "
                                    + name(alert) + " found" + on(alert), EntityKey.host(first(alert, "host"))
                                            .map(EntityKey::value).orElse(""), alert.title() + " ("
                                    + String.join(", ", alert.techniques()) + ")", matched(alert), List.of(ref))));
                }
            }
            Map<String, List<Alert>> cves = new TreeMap<>();
            for (Alert alert : alerts) {
                Matcher m = CVE.matcher(alert.title() + " " + alert.matchedFields().values() + " " + alert.ruleId());
                while (m.find()) {
                    cves.computeIfAbsent(m.group().toUpperCase(Locale.ROOT), c -> new ArrayList<>()).add(alert);
                }
            }
            cves.forEach((cve, list) -> cards.add(new ResponseCard(ResponseCard.Category.REMEDIATION, null,
                    "Patch " + cve, String.join(", ", list.stream().map(a -> first(a, "host")).filter(h -> !h.isEmpty())
                            .distinct().toList()), "exploitation of " + cve + " was detected", cve, refs(list))));
            facts.attack().ifPresent(attack -> {
                Set<String> techniques = new TreeSet<>();
                alerts.forEach(a -> techniques.addAll(a.techniques()));
                List<MitigationCoverage> coverage = attack.mitigationsCovering(techniques);
                coverage.stream().limit(5).forEach(c -> cards.add(new ResponseCard(
                        ResponseCard.Category.REMEDIATION, null, c.mitigation().id() + " " + c.mitigation().name(),
                        String.join(", ", c.techniques()), "ATT&CK mitigation for " + plural(c.techniques().size(),
                                "technique") + " seen: " + String.join(", ", c.techniques()), c.mitigation().id(),
                        List.of("attack:" + c.mitigation().id()))));
            });
            return cards;
        }

        // --- summary --------------------------------------------------------------------------------------

        private List<Sentence> summary(List<EntityNode> entities, Impact impact, Source source,
                List<ResponseCard> cards) {
            Incident incident = facts.incident();
            List<Sentence> sentences = new ArrayList<>();
            if (alerts.isEmpty()) {
                sentences.add(new Sentence("Incident " + incident.number() + " holds no alert.", List.of(
                        "incident:" + incident.number())));
                return sentences;
            }
            Alert firstAlert = alerts.getFirst();
            Alert lastAlert = alerts.getLast();
            long rules = alerts.stream().map(Alert::ruleId).distinct().count();
            sentences.add(alerts.size() == 1
                    ? new Sentence("Incident " + incident.number() + " holds 1 alert, at " + time(firstAlert
                            .timeMicros()) + ".", List.of(alertRef(firstAlert)))
                    : new Sentence("Incident " + incident.number() + " groups " + plural(alerts.size(), "alert")
                            + " from " + plural((int) rules, "detection") + ", between " + time(firstAlert.timeMicros())
                            + " and " + time(lastAlert.timeMicros()) + " (" + JoinReason.gap(impact.spanMicros())
                            + ").", List.of(alertRef(firstAlert), alertRef(lastAlert))));
            List<String> affected = new ArrayList<>();
            if (!impact.hosts().isEmpty()) {
                affected.add(listed(impact.hosts(), "host"));
            }
            if (!impact.users().isEmpty()) {
                affected.add(listed(impact.users(), "account"));
            }
            if (!affected.isEmpty()) {
                List<String> refs = new ArrayList<>(evidenceOf(EntityKey.Kind.HOST, impact.hosts()));
                refs.addAll(evidenceOf(EntityKey.Kind.USER, impact.users()));
                impact.privileged().forEach(u -> refs.add("event:" + facts.privilegedUsers().get(u)));
                sentences.add(new Sentence("It affects " + String.join(" and ", affected)
                        + (impact.privileged().isEmpty() ? "" : "; privileged: " + String.join(", ",
                                impact.privileged())) + ". Impact score " + impact.score() + " of 100 ("
                        + String.join(", ", impact.factors().stream().map(f -> f.name() + " +" + f.points()).toList())
                        + ").", refs.stream().distinct().toList()));
            }
            if (!tactics.isEmpty()) {
                // "then" claims an order in time: steps go by when each tactic was first reached, and tactics first
                // reached at the same moment (one technique in several tactics) are one step
                Map<Long, List<String>> steps = new TreeMap<>();
                List<String> refs = new ArrayList<>();
                for (TacticReached tactic : tactics) {
                    steps.computeIfAbsent(tactic.firstMicros(), t -> new ArrayList<>()).add(tactic.name() + " ("
                            + String.join(", ", tactic.techniques()) + ")");
                    refs.add(tactic.evidence().getFirst());
                }
                List<String> joined = steps.values().stream().map(IncidentAnalyzer::together).toList();
                sentences.add(new Sentence((joined.size() == 1 ? "It reached " + joined.getFirst()
                        : "It progressed through " + String.join("; then ", joined)) + ".",
                        refs.stream().distinct().toList()));
            } else if (facts.attack().isEmpty()) {
                sentences.add(new Sentence("Its ATT&CK tactics are not known here: the tenant has no ATT&CK knowledge"
                        + " (import it with `vigil intel import enterprise-attack.json`).", List.of()));
            }
            if (!source.initialAccess().isEmpty()) {
                Sentence origin = source.initialAccess().getFirst();
                sentences.add(new Sentence("It likely began with " + firstAlert.title() + on(firstAlert)
                        + (source.externalAddresses().isEmpty() ? "" : "; external address "
                                + source.externalAddresses().getFirst() + " took part") + ".", origin.evidence()));
            }
            if (!source.intelMatches().isEmpty()) {
                // an IOC alert and the indicator behind it are one match, not two
                Set<String> matched = new TreeSet<>();
                alerts.stream().filter(a -> a.source().equals("ioc")).forEach(a -> matched.add(a.matchedFields()
                        .getOrDefault("indicator", a.ruleId())));
                intel.values().forEach(i -> matched.add(i.key()));
                sentences.add(new Sentence((matched.size() == 1 ? "Threat-intelligence match: "
                        : plural(matched.size(), "threat-intelligence indicator") + " matched; first: ")
                        + source.intelMatches().getFirst().text(), source.intelMatches().getFirst().evidence()));
            }
            if (!source.actors().isEmpty()) {
                ActorHypothesis best = source.actors().getFirst();
                sentences.add(new Sentence("Hypothesis, not attribution: its techniques overlap those known for "
                        + best.name() + " (" + best.groupId() + "): " + String.join(", ", best.overlap()) + ".",
                        List.of("attack:" + best.groupId())));
            }
            sentences.add(new Sentence("It is " + incident.status() + ", severity " + incident.severity() + ", "
                    + (incident.owner().isEmpty() ? "unassigned" : "owned by " + incident.owner())
                    + (incident.classification() == Incident.Classification.UNDETERMINED ? ", not classified yet"
                            : ", classified " + incident.classification()) + ".", List.of("incident:"
                                    + incident.number())));
            List<ResponseCard> next = new ArrayList<>();
            next.add(cards.getFirst());
            cards.stream().filter(c -> c.category() == ResponseCard.Category.CONTAINMENT).findFirst()
                    .ifPresent(next::add);
            sentences.add(new Sentence("Next: " + String.join("; ", next.stream().map(c -> c.title() + " ("
                    + c.reason() + ")").toList()) + ".", next.stream().flatMap(c -> c.evidence().stream())
                            .distinct().toList()));
            return sentences;
        }

        // --- helpers --------------------------------------------------------------------------------------

        private static String on(Alert alert) {
            String host = first(alert, "host");
            String user = first(alert, "user");
            return (host.isEmpty() ? "" : " on " + host) + (user.isEmpty() ? "" : " by " + user);
        }

        private static String first(Alert alert, String kind) {
            for (Alert.Entity entity : alert.entities()) {
                if (entity.kind().equals(kind)) {
                    return entity.value();
                }
            }
            return "";
        }

        private static List<String> refs(List<Alert> list) {
            return list.stream().limit(5).map(IncidentAnalyzer::alertRef).toList();
        }

        private static String leaf(String path) {
            int slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
            return path.substring(slash + 1).toLowerCase(Locale.ROOT);
        }

        private static String hostOf(String url) {
            String rest = url.contains("://") ? url.substring(url.indexOf("://") + 3) : url;
            int end = rest.indexOf('/');
            return end < 0 ? rest : rest.substring(0, end);
        }

        private static String iso(long micros) {
            return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS).toString();
        }

        private static String listed(List<String> values, String noun) {
            List<String> shown = values.subList(0, Math.min(5, values.size()));
            return plural(values.size(), noun) + " (" + String.join(", ", shown)
                    + (values.size() > shown.size() ? ", ..." : "") + ")";
        }
    }

    /** Tactics reached at one moment: "A (T1), B (T2) and C (T3) at once". */
    static String together(List<String> step) {
        if (step.size() == 1) {
            return step.getFirst();
        }
        return String.join(", ", step.subList(0, step.size() - 1)) + " and " + step.getLast() + " at once";
    }

    static String plural(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("y") && !noun.endsWith("ey") ? noun.substring(0,
                noun.length() - 1) + "ies" : noun.endsWith("ch") ? noun + "es" : noun + "s");
    }

    static String clip(String text, int max) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

}
