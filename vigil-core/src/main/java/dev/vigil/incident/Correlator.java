package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Groups alerts into incidents, one alert at a time.
 *
 * <p>Each entity (host, user, address, file hash, process, domain, URL) an alert shares with an open incident is a
 * piece of evidence that it belongs there, weighed by what kind of tie it is and how far apart the two alerts are (the
 * figures are the defaults of the policy's {@link CorrelationPolicy.Weights}):
 * <ul>
 *   <li>an account or a process instance, within the {@linkplain CorrelationPolicy#joinWindow join window}: worth 1,
 *       halving every join window; up to the {@linkplain CorrelationPolicy#progressionWindow progression window}
 *       when the alert reaches a later ATT&amp;CK tactic than the incident did on it (an attacker's next step),
 *       halving every progression window;
 *   <li>a host named by an address it owns (the machine an attack came from), like an account within the join
 *       window, and beyond it for the progression window at {@code sourceLaterWeight} (0.5), whatever the tactic;
 *   <li>a host named directly: worth 1, but halving every {@code hostHalfLife} (30 minutes): a busy machine does
 *       unrelated things by the hour, so a host alone ties alerts minutes apart, not hours;
 *   <li>an artefact (file hash, domain, URL, external address) rare in the organization: worth
 *       {@code artefactWeight} (0.6), for the progression window; public tools, system libraries and CDN addresses
 *       are shared by unrelated intrusions.
 *   <li>the machine a remote entry came from, found in the events (see {@link RemoteEntries}) for an alert of a
 *       remote-entry technique (remote services T1021, WMI T1047, service execution T1569.002, alternate
 *       authentication material T1550.002/.003, remote session hijacking T1563, lateral tool transfer T1570) that
 *       names no source address: the network logons on its host and the connections other machines opened to its
 *       remote administration ports within {@code entryWindow} (2 minutes) of it. The machine found weighs as a source
 *       the alert named, times {@code entryWeight} (0.8), shared equally among the distinct sources the events show
 *       entering the host then (those of the alert's account, when some are); a source that is common, or whose
 *       address is (a jump host, a deployment server, a scanner), or an address no host owns, still takes its share
 *       but ties nothing. Being inferred, it joins and never merges, and it is not remembered as an entity of the
 *       alert. The reason names the event ("the source of the remote entry on srv-0042 at 10:14:03 was ws-00007
 *       (network logon (4624 type 3) from 10.1.0.8, event 0193...)").
 * </ul>
 * A tie through a host (named or by address) to an incident that is not the one most recently active on that host
 * counts {@code ambiguousFactor} (half): of a machine's incidents, the latest is the likeliest home. The pieces of
 * evidence for an incident combine as independent clues ({@code 1 - Π(1 - w)}). The alert joins the incident with the
 * most evidence, when it reaches {@code joinAt} (0.25). It merges the incidents it is firmly tied to, its evidence for
 * each counting identities (host, user, process, address) only and reaching {@code mergeAt} (0.5), into the oldest of
 * them: a merge is for good, so a faded host tie or a shared artefact never makes one. Two incidents already apart
 * need more than a join would:
 * <ul>
 *   <li>a machine alone (one host, named or by an address it owns) merges an incident only when the alert is within
 *       {@code machineMergeWindow} (3 minutes) of that incident's alert on it; otherwise it takes a second entity, an
 *       account or a process: a busy machine hosts unrelated activity within the hour;
 *   <li>a progression (an account's later tactic, or the machine an attack came from, beyond the join window) does not
 *       count toward a merge when the same entity ties the alert directly, within the join window, to another
 *       incident: the account's next step is that incident's.
 * </ul>
 * An alert of a way into a machine (initial access from outside, such as phishing, or a remote entry; see
 * {@link #wayIn}) does not weigh the host it names: what else that machine hosts says nothing of where the entry came
 * from; the host is remembered for the alerts that follow. Every reason lists the evidence weighed ("evidence 0.81,
 * 0.25 needed to join: user alice 0.56, process {aaaa-1} 0.56"), and what was set aside ("host ws1 not weighed: the
 * machine it enters", "incident 12 not merged: host ws2 alone, 14 minutes apart (a machine alone merges two incidents
 * only within 3 minutes)").
 *
 * <p>Common entities (see {@link Prevalence}) tie nothing together, nor do artefacts the organization's events show on
 * several hosts; closed incidents take no new alert and are never merged. Alerts that a product grouped already
 * ({@link Alert#incidentRef()}) keep that grouping: they go to the incident of their reference, and two products'
 * incidents are never merged; Vigil's own alerts may still join them.
 *
 * <p>Each entity remembers its few most recent incidents, so placing an alert costs time in proportion to its
 * entities, whatever the number of stored alerts. Entities quiet for longer than the progression window are forgotten
 * as time moves on, which bounds memory by the activity within that window.
 *
 * <p>The correlator is deterministic: the same alerts in the same order give the same incidents and reasons. It is
 * not thread-safe.
 */
public final class Correlator {
    private static final int SWEEP_EVERY = 4096;

    private final CorrelationPolicy policy;
    private final CorrelationPolicy.Weights weights;
    private final TacticStages stages;
    private final Prevalence baseline;
    private final RemoteEntries remoteEntries;
    private final long entryWindowMicros;
    private final long joinMicros;
    private final long progressionMicros;
    private final long hostHalfLifeMicros;
    private final Map<EntityKey, EntityState> entities = new HashMap<>();
    private final Map<Long, IncidentState> incidents = new HashMap<>();
    private final Map<String, Long> byReference = new HashMap<>();
    /** For the alert being placed: the incidents it ties to through more than a shared host. */
    private final Set<Long> strong = new HashSet<>();
    /** For the alert being placed: hosts it names only through an address they own, with that address. */
    private final Map<EntityKey, EntityKey> aliases = new HashMap<>();
    /** For the alert being placed: the machines the events show its remote entry came from. */
    private final Map<EntityKey, FoundSource> found = new HashMap<>();
    private long nextNumber;
    private long watermark = Long.MIN_VALUE;
    private int sinceSweep;
    private int postingsWeighed;

    /**
     * @param firstNumber the number the next new incident gets (after those stored)
     */
    public Correlator(CorrelationPolicy policy, TacticStages stages, Prevalence baseline, long firstNumber) {
        this(policy, stages, baseline, RemoteEntries.none(), firstNumber);
    }

    /**
     * @param remoteEntries where the events show remote entries came from, for alerts of a remote-entry technique
     *     that name no source
     * @param firstNumber the number the next new incident gets (after those stored)
     */
    public Correlator(CorrelationPolicy policy, TacticStages stages, Prevalence baseline, RemoteEntries remoteEntries,
            long firstNumber) {
        this.policy = requireNonNull(policy, "policy is null");
        this.remoteEntries = requireNonNull(remoteEntries, "remoteEntries is null");
        this.stages = requireNonNull(stages, "stages is null");
        this.baseline = requireNonNull(baseline, "baseline is null");
        this.joinMicros = policy.joinWindow().toNanos() / 1000;
        this.progressionMicros = policy.progressionWindow().toNanos() / 1000;
        this.weights = policy.weights();
        this.hostHalfLifeMicros = weights.hostHalfLife().toNanos() / 1000;
        this.entryWindowMicros = weights.entryWindow().toNanos() / 1000;
        if (firstNumber < 1) {
            throw new IllegalArgumentException("incident numbers start at 1, not " + firstNumber);
        }
        this.nextNumber = firstNumber;
    }

    /** Places an alert in an incident, opening or merging incidents as needed. */
    public Assignment add(Alert alert) {
        aliases.clear();
        found.clear();
        postingsWeighed = 0;
        Set<EntityKey> keys = withOwners(keys(alert));
        int stage = stages.stage(alert.techniques());
        long time = alert.timeMicros();
        if (alert.incidentRef().isEmpty() && weights.entryWeight() > 0 && remoteEntry(alert.techniques())
                && alert.entities().stream().noneMatch(entity -> entity.kind().equals("src_ip"))) {
            findSources(keys, time);
        }
        Assignment assignment;
        if (!alert.incidentRef().isEmpty()) {
            long number = byReference.computeIfAbsent(alert.incidentRef(), ref -> open(time, ref));
            long root = find(number);
            assignment = new Assignment(alert.id(), root, incidents.get(root).alerts == 0, JoinReason.imported(
                    alert.incidentRef()), List.of());
        } else {
            assignment = place(alert.id(), keys, stage, time, alert.techniques());
        }
        IncidentState incident = incidents.get(assignment.incident());
        incident.alerts++;
        incident.first = Math.min(incident.first, time);
        incident.last = Math.max(incident.last, time);
        // An alert that joined through nothing but its host does not stretch the incident's hold on that host: a busy
        // server's unrelated alerts would otherwise chain one incident into the next.
        boolean hostOnly = !assignment.opened() && assignment.reason().kind() == JoinReason.Kind.SHARED_ENTITY
                && assignment.reason().entity().kind() == EntityKey.Kind.HOST && !strong.contains(
                        assignment.incident()) && alert.incidentRef().isEmpty();
        post(hostOnly ? withoutHosts(keys) : keys, assignment.incident(), alert.id(), stage, time);
        learn(keys);
        advance(time);
        return assignment;
    }

    /**
     * Remembers an alert already placed in an incident (when the correlator starts over stored incidents), so that
     * new alerts can join it.
     */
    public void remember(Alert alert, long incident, boolean closed) {
        remember(alert, incident, closed, false);
    }

    /**
     * Remembers an alert already placed in an incident, as {@link #remember(Alert, long, boolean)}; one that joined
     * through a shared host alone is remembered as {@link #add} posted it, without its hosts, so that restored
     * incidents hold machines as they did before the restore.
     */
    public void remember(Alert alert, long incident, boolean closed, boolean throughHostAlone) {
        IncidentState state = incidents.computeIfAbsent(incident, n -> new IncidentState(n, alert.timeMicros(),
                alert.incidentRef()));
        state.closed |= closed;
        state.alerts++;
        state.first = Math.min(state.first, alert.timeMicros());
        state.last = Math.max(state.last, alert.timeMicros());
        if (!alert.incidentRef().isEmpty()) {
            byReference.putIfAbsent(alert.incidentRef(), incident);
        }
        nextNumber = Math.max(nextNumber, incident + 1);
        aliases.clear();
        found.clear();
        Set<EntityKey> keys = withOwners(keys(alert));
        post(throughHostAlone && alert.incidentRef().isEmpty() ? withoutHosts(keys) : keys, incident, alert.id(),
                stages.stage(alert.techniques()), alert.timeMicros());
        learn(keys);
        advance(alert.timeMicros());
    }

    /** Closes an incident: it takes no new alert and is never merged. */
    public void close(long incident) {
        IncidentState state = incidents.get(find(incident));
        if (state != null) {
            state.closed = true;
        }
    }

    /** Whether the correlator knows an incident of this number (remembered, or opened by it). */
    public boolean knows(long incident) {
        return incidents.containsKey(incident);
    }

    /** The incident an incident was merged into, or itself. */
    public long find(long incident) {
        long current = incident;
        IncidentState state = incidents.get(current);
        while (state != null && state.mergedInto != 0) {
            current = state.mergedInto;
            state = incidents.get(current);
        }
        // point every incident on the way straight at the survivor, so a chain of merges is walked once
        long root = current;
        state = incidents.get(incident);
        while (state != null && state.mergedInto != 0 && state.mergedInto != root) {
            IncidentState next = incidents.get(state.mergedInto);
            state.mergedInto = root;
            state = next;
        }
        return root;
    }

    /**
     * How many incident postings the last {@link #add} weighed: at most its entities (with the hosts its addresses
     * name, and the machines the events show its remote entry came from) times
     * {@link CorrelationPolicy#postingsPerEntity}, however many alerts came before. For tests and benchmarks of the
     * incremental property.
     */
    public int postingsWeighed() {
        return postingsWeighed;
    }

    /** Whether an entity is common enough that it ties nothing together. */
    public boolean isCommon(EntityKey key) {
        EntityState state = entities.get(key);
        int learned = state == null || state.partners == null ? 0 : state.partners.size();
        return policy.common(Math.max(baseline.partners(key), learned), baseline.population(key));
    }

    /** The number of entities remembered now. */
    public int rememberedEntities() {
        return entities.size();
    }

    /**
     * Techniques whose alert marks a way into a machine: from outside (phishing T1566, drive-by compromise T1189, an
     * exploited public-facing application T1190, external remote services T1133, supply chain T1195, removable media
     * T1091, hardware additions T1200) or from another machine (see {@link #remoteEntry}).
     */
    static boolean wayIn(List<String> techniques) {
        if (remoteEntry(techniques)) {
            return true;
        }
        for (String technique : techniques) {
            String id = technique.toUpperCase(Locale.ROOT);
            int dot = id.indexOf('.');
            switch (dot < 0 ? id : id.substring(0, dot)) {
                case "T1566", "T1189", "T1190", "T1133", "T1195", "T1091", "T1200" -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    private Assignment place(UUID alert, Set<EntityKey> named, int stage, long time, List<String> techniques) {
        // An alert of a way in says where it came from (an account, a process, a source machine, an artefact); the
        // machine it enters may be doing anything else at the time, so that machine is no evidence of which incident
        // the entry belongs to. It is remembered all the same, for the alerts that follow on it.
        boolean wayIn = wayIn(techniques);
        List<String> notes = new ArrayList<>(1);
        // the evidence per candidate incident, incidents in number order
        TreeMap<Long, Evidence> candidates = new TreeMap<>();
        strong.clear();
        Set<EntityKey> keys = named;
        if (!found.isEmpty()) {
            keys = new LinkedHashSet<>(named);
            keys.addAll(found.keySet());
        }
        for (EntityKey key : keys) {
            EntityState state = entities.get(key);
            if (state == null || isCommon(key) || (key.isArtefact() && familiar(key))) {
                continue;
            }
            EntityKey through = aliases.get(key);
            FoundSource entry = named.contains(key) ? null : found.get(key);
            boolean address = key.kind() == EntityKey.Kind.IP && !key.isArtefact();
            if (address && baseline.ownerOf(key).isPresent()) {
                continue; // the host that owns it speaks for it: counting both would count one fact twice
            }
            boolean host = key.kind() == EntityKey.Kind.HOST && through == null && entry == null;
            if (host && wayIn) {
                notes.add(key + " not weighed: the machine it enters");
                continue;
            }
            boolean source = through != null || address || entry != null;
            // A machine hosts many things: of its open incidents, the one active there last is the likeliest; an
            // account or a process belongs to whoever holds it, so their older incidents are not discounted.
            long newest = Long.MIN_VALUE;
            if (host || source) {
                for (int i = 0; i < state.size; i++) {
                    IncidentState incident = incidents.get(find(state.incident[i]));
                    if (incident != null && !incident.closed) {
                        newest = Math.max(newest, state.time[i]);
                    }
                }
            }
            postingsWeighed += state.size;
            for (int i = 0; i < state.size; i++) {
                long root = find(state.incident[i]);
                IncidentState incident = incidents.get(root);
                if (incident == null || incident.closed) {
                    continue;
                }
                long gap = time - state.time[i];
                JoinReason reason = null;
                double weight = 0;
                if (Math.abs(gap) <= joinMicros) {
                    reason = new JoinReason(JoinReason.Kind.SHARED_ENTITY, key, state.alert[i], gap,
                            entry != null ? entry.explanation()
                                    : through == null ? "" : "through its address " + through.value());
                    weight = (key.isArtefact() ? weights.artefactWeight() : 1)
                            * decay(Math.abs(gap), host ? hostHalfLifeMicros : joinMicros);
                } else if (gap > 0 && gap <= progressionMicros && (key.isArtefact() || source)) {
                    // a rare artefact seen again, or the machine an earlier step of the incident held: the tie
                    // holds for the progression window whatever the tactic, fading
                    reason = new JoinReason(JoinReason.Kind.PROGRESSION, key, state.alert[i], gap,
                            key.isArtefact() ? "an artefact rare in the organization"
                                    : "the machine it came from" + (entry != null ? ": " + entry.explanation()
                                            : through == null ? "" : ", through its address " + through.value()));
                    weight = (key.isArtefact() ? weights.artefactWeight() : weights.sourceLaterWeight())
                            * decay(gap, progressionMicros);
                } else if (state.stage[i] >= 0 && stage > state.stage[i] && !host && !key.isArtefact()) {
                    // an account or a process reaching a later tactic: an attacker's next step
                    long sinceStage = time - state.stageTime[i];
                    if (sinceStage > 0 && sinceStage <= progressionMicros) {
                        reason = new JoinReason(JoinReason.Kind.PROGRESSION, key, state.stageAlert[i], sinceStage,
                                stages.tacticName(state.stage[i]) + " → " + stages.tacticName(stage));
                        weight = decay(sinceStage, progressionMicros);
                    }
                }
                if (reason == null) {
                    continue;
                }
                if (state.time[i] < newest) {
                    weight *= weights.ambiguousFactor();
                }
                if (entry != null) {
                    weight *= weights.entryWeight() * entry.share();
                }
                candidates.computeIfAbsent(root, r -> new Evidence()).add(key, reason, weight, entry == null,
                        host || source);
                if (!key.isArtefact() && !host) {
                    strong.add(root);
                }
            }
        }
        candidates.values().removeIf(evidence -> evidence.total < weights.joinAt());
        if (candidates.isEmpty()) {
            long number = open(time, "");
            return new Assignment(alert, number, true, notes.isEmpty() ? JoinReason.first()
                    : JoinReason.first(String.join("; ", notes)), List.of());
        }
        // The best-supported incident takes the alert (the oldest of equals); a product's incident is never absorbed
        // into another's, so among those only the oldest takes part.
        long best = candidates.firstKey();
        for (Map.Entry<Long, Evidence> candidate : candidates.entrySet()) {
            if (candidate.getValue().total > candidates.get(best).total) {
                best = candidate.getKey();
            }
        }
        for (long number : candidates.keySet()) {
            if (!incidents.get(number).reference.isEmpty()) {
                best = number;
                break;
            }
        }
        // Merging is for good: the alert must be firmly tied to both incidents through identities (host, account,
        // process, address), not through a busy host alone; artefacts never merge, as unrelated intrusions share
        // public tools. Two incidents already apart need more than a machine both touched, unless the alert sits
        // minutes from the other's alert on it; and a progression (an account's later tactic, the machine an attack
        // came from) is explained away when the same entity ties the alert directly to another incident. The incidents
        // it ties firmly merge into the oldest of them (a product's, if it is one), so the number an analyst may be
        // working on already stays.
        Set<EntityKey> direct = new HashSet<>();
        for (Evidence evidence : candidates.values()) {
            evidence.directKeys(direct);
        }
        long machineWindow = weights.machineMergeWindow().toNanos() / 1000;
        Evidence chosen = candidates.get(best);
        String bestVeto = chosen.identity < weights.mergeAt() ? null
                : chosen.mergeVeto(direct, weights.mergeAt(), machineWindow);
        boolean firm = chosen.identity >= weights.mergeAt() && bestVeto == null;
        List<Long> group = new ArrayList<>();
        for (Map.Entry<Long, Evidence> candidate : candidates.entrySet()) {
            long number = candidate.getKey();
            Evidence evidence = candidate.getValue();
            if (number == best) {
                group.add(number);
                continue;
            }
            if (!incidents.get(number).reference.isEmpty() || evidence.identity < weights.mergeAt()) {
                continue;
            }
            String veto = evidence.mergeVeto(direct, weights.mergeAt(), machineWindow);
            if (firm && veto == null) {
                group.add(number);
            } else {
                notes.add("incident " + number + " not merged: " + (veto != null ? veto
                        : "the tie to incident " + best + " is " + bestVeto));
            }
        }
        long target = incidents.get(best).reference.isEmpty() ? group.getFirst() : best;
        List<Assignment.Merge> merged = new ArrayList<>();
        IncidentState into = incidents.get(target);
        for (long number : group) {
            if (number == target) {
                continue;
            }
            IncidentState other = incidents.get(number);
            other.mergedInto = target;
            into.alerts += other.alerts;
            into.first = Math.min(into.first, other.first);
            into.last = Math.max(into.last, other.last);
            merged.add(new Assignment.Merge(number, candidates.get(number).reason(weights.mergeAt(), "merge",
                    List.of())));
        }
        return new Assignment(alert, target, false, candidates.get(target).reason(weights.joinAt(), "join", notes),
                merged);
    }

    /** Techniques whose alert marks a way into a machine from another one. */
    static boolean remoteEntry(List<String> techniques) {
        for (String technique : techniques) {
            String id = technique.toUpperCase(Locale.ROOT);
            if (id.equals("T1021") || id.startsWith("T1021.") || id.equals("T1047") || id.equals("T1569.002")
                    || id.equals("T1550.002") || id.equals("T1550.003") || id.equals("T1563")
                    || id.startsWith("T1563.") || id.equals("T1570")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The machines the events show entering the alert's host within the entry window, into {@link #found}: each
     * distinct source takes an equal share (those of the alert's account only, when some are); a source that is the
     * host itself is no source; one that is common, or whose address is, or an address no host owns, takes its share
     * and ties nothing.
     */
    private void findSources(Set<EntityKey> keys, long time) {
        List<EntityKey> hosts = new ArrayList<>(1);
        Set<EntityKey> accounts = new HashSet<>(1);
        for (EntityKey key : keys) {
            if (key.kind() == EntityKey.Kind.HOST && !aliases.containsKey(key)) {
                hosts.add(key);
            } else if (key.kind() == EntityKey.Kind.USER) {
                accounts.add(key);
            }
        }
        if (hosts.isEmpty() || hosts.size() > 2) {
            return; // an alert about many machines is no single entry
        }
        for (EntityKey host : hosts) {
            Set<EntityKey> targets = new LinkedHashSet<>();
            targets.add(host);
            targets.addAll(baseline.addressesOf(host));
            List<RemoteEntry> entries = remoteEntries.into(targets, time - entryWindowMicros, time + entryWindowMicros);
            if (entries.isEmpty()) {
                continue;
            }
            List<RemoteEntry> ofAccount = entries.stream().filter(e -> e.account().map(accounts::contains)
                    .orElse(false)).toList();
            if (!ofAccount.isEmpty()) {
                entries = ofAccount;
            }
            // per distinct source (its owner, for an address), the entry closest in time to the alert
            Map<EntityKey, RemoteEntry> sources = new LinkedHashMap<>();
            for (RemoteEntry e : entries) {
                EntityKey source = e.source().kind() == EntityKey.Kind.IP
                        ? baseline.ownerOf(e.source()).orElse(e.source()) : e.source();
                sources.merge(source, e, (a, b) -> Math.abs(b.timeMicros() - time) < Math.abs(a.timeMicros() - time)
                        ? b : a);
            }
            sources.keySet().removeAll(hosts);
            double share = 1.0 / Math.max(1, sources.size());
            for (Map.Entry<EntityKey, RemoteEntry> source : sources.entrySet()) {
                EntityKey machine = source.getKey();
                RemoteEntry e = source.getValue();
                // infrastructure (a jump host, a deployment server) reaches every machine: its address is common,
                // whether the event names the address or the machine
                boolean ties = machine.kind() == EntityKey.Kind.HOST && !isCommon(machine)
                        && (e.source().kind() != EntityKey.Kind.IP || !isCommon(e.source()))
                        && baseline.addressesOf(machine).stream().noneMatch(this::isCommon);
                if (ties && !keys.contains(machine)) {
                    found.merge(machine, new FoundSource(host, machine, e, share),
                            (a, b) -> a.share() >= b.share() ? a : b);
                }
            }
        }
    }

    /** A machine the events show a remote entry came from, with the event and its share of the evidence. */
    private record FoundSource(EntityKey target, EntityKey machine, RemoteEntry entry, double share) {
        /** "the source of the remote entry on srv-0042 at 10:14:03 was ws-00007 (network logon (4624 type 3) ...)". */
        String explanation() {
            long secondOfDay = Math.floorMod(entry.timeMicros(), 86_400_000_000L) / 1_000_000;
            return "the source of the remote entry on " + target.value() + " at "
                    + java.time.LocalTime.ofSecondOfDay(secondOfDay) + " was " + machine.value() + " ("
                    + entry.evidence() + (entry.source().equals(machine) ? "" : " from " + entry.source().value())
                    + ", event " + entry.eventId() + (share < 1 ? String.format(Locale.ROOT, "; one of %d sources"
                            + " then", Math.round(1 / share)) : "") + ")";
        }
    }

    /** Evidence halves with every {@code halfLife} between the two alerts. */
    private static double decay(long gap, long halfLife) {
        return Math.pow(2, -gap / (double) halfLife);
    }

    /**
     * The evidence that an alert belongs to one incident: each entity it shares with the incident adds a link
     * weighted by its kind and how far apart the alerts are, combined as independent clues ({@code 1 - Π(1 - w)}).
     */
    private static final class Evidence {
        private final List<String> links = new ArrayList<>(2);
        /** The links that count toward a merge: identities, not artefacts nor sources found in the events. */
        private final List<IdentityLink> identities = new ArrayList<>(2);
        double total;
        /** The evidence without the artefacts': what a merge needs. */
        double identity;
        JoinReason best;
        double bestWeight = -1;

        /**
         * A link through an identity: whether it is a progression (beyond the join window: an account's later
         * tactic, the machine an attack came from), whether the entity is a machine (a host named, or by an address
         * it owns), and how far apart the two alerts are.
         */
        private record IdentityLink(EntityKey key, double weight, boolean progression, boolean machine, long gap) {}

        void add(EntityKey key, JoinReason reason, double weight, boolean merges, boolean machine) {
            total = 1 - (1 - total) * (1 - weight);
            if (!key.isArtefact() && merges) {
                identity = 1 - (1 - identity) * (1 - weight);
                identities.add(new IdentityLink(key, weight, reason.kind() == JoinReason.Kind.PROGRESSION, machine,
                        Math.abs(reason.gapMicros())));
            }
            links.add(key + " " + String.format(Locale.ROOT, "%.2f", weight));
            if (weight > bestWeight) {
                bestWeight = weight;
                best = reason;
            }
        }

        /** Adds the entities that tie the alert to this incident directly (within the join window). */
        void directKeys(Set<EntityKey> into) {
            for (IdentityLink link : identities) {
                if (!link.progression()) {
                    into.add(link.key());
                }
            }
        }

        /**
         * Why this incident's evidence, firm enough to merge, does not merge it after all, or null when it does: the
         * links left once progressions explained by a direct tie elsewhere are set aside must still reach
         * {@code mergeAt}, and must be more than one machine, unless that machine's alerts are within
         * {@code machineWindow} of each other.
         */
        String mergeVeto(Set<EntityKey> direct, double mergeAt, long machineWindow) {
            double firm = 0;
            Set<EntityKey> keys = new LinkedHashSet<>(2);
            boolean beyondMachine = false;
            long closest = Long.MAX_VALUE;
            EntityKey explained = null;
            for (IdentityLink link : identities) {
                if (link.progression() && direct.contains(link.key())) {
                    explained = link.key();
                    continue;
                }
                firm = 1 - (1 - firm) * (1 - link.weight());
                keys.add(link.key());
                beyondMachine |= !link.machine();
                closest = Math.min(closest, link.gap());
            }
            if (firm < mergeAt) {
                return explained + " ties this alert to another incident directly, which explains it better than a"
                        + " progression here";
            }
            if (!beyondMachine && keys.size() == 1 && closest > machineWindow) {
                return keys.iterator().next() + " alone, " + JoinReason.gap(closest) + " apart (a machine alone "
                        + (machineWindow == 0 ? "never merges two incidents)" : "merges two incidents only within "
                                + JoinReason.gap(machineWindow) + ")");
            }
            return null;
        }

        /** The strongest link, with the evidence for all of them and what was set aside. */
        JoinReason reason(double threshold, String decision, List<String> notes) {
            return best.withEvidence(String.format(Locale.ROOT, "evidence %.2f, %.2f needed to %s: %s", total,
                    threshold, decision, String.join(", ", links)) + (notes.isEmpty() ? ""
                            : "; " + String.join("; ", notes)));
        }
    }

    /**
     * Whether an artefact is familiar: the organization's events show it on several hosts, so it belongs to their
     * normal activity (a deployed installer, a common library, a popular site) and is no evidence that two alerts
     * come from one intrusion, however far from common it is.
     */
    private boolean familiar(EntityKey artefact) {
        return baseline.partners(artefact) >= weights.familiarHosts();
    }

    private long open(long time, String reference) {
        long number = nextNumber++;
        incidents.put(number, new IncidentState(number, time, reference));
        return number;
    }

    private static Set<EntityKey> withoutHosts(Set<EntityKey> keys) {
        Set<EntityKey> rest = new LinkedHashSet<>(keys);
        rest.removeIf(key -> key.kind() == EntityKey.Kind.HOST);
        return rest;
    }

    private void post(Set<EntityKey> keys, long incident, UUID alert, int stage, long time) {
        for (EntityKey key : keys) {
            entities.computeIfAbsent(key, k -> new EntityState(policy.postingsPerEntity()))
                    .post(incident, alert, stage, time, this);
        }
    }

    /** Partners learned from alerts: each non-host entity's hosts, each host's users. */
    private void learn(Set<EntityKey> keys) {
        List<String> hosts = new ArrayList<>(2);
        List<String> users = new ArrayList<>(2);
        for (EntityKey key : keys) {
            if (key.kind() == EntityKey.Kind.HOST) {
                hosts.add(key.value());
            } else if (key.kind() == EntityKey.Kind.USER) {
                users.add(key.value());
            }
        }
        for (EntityKey key : keys) {
            List<String> partners = key.kind() == EntityKey.Kind.HOST ? users : hosts;
            if (partners.isEmpty()) {
                continue;
            }
            EntityState state = entities.computeIfAbsent(key, k -> new EntityState(policy.postingsPerEntity()));
            if (state.partners == null) {
                state.partners = new HashSet<>(4);
            }
            for (String partner : partners) {
                if (state.partners.size() > policy.commonPartners()) {
                    break; // common already: no need to count further
                }
                if (!partner.equals(key.value())) {
                    state.partners.add(partner);
                }
            }
        }
    }

    /** Moves the watermark and now and then forgets entities quiet for longer than the progression window. */
    private void advance(long time) {
        watermark = Math.max(watermark, time);
        if (++sinceSweep < SWEEP_EVERY) {
            return;
        }
        sinceSweep = 0;
        long horizon = watermark - progressionMicros;
        for (Iterator<EntityState> it = entities.values().iterator(); it.hasNext(); ) {
            if (it.next().latest < horizon) {
                it.remove();
            }
        }
    }

    /**
     * The keys, plus the owning host of each address that is not common (an alert naming the address of the host an
     * attack came from names that host); {@link #aliases} remembers which address brought each host in.
     */
    private Set<EntityKey> withOwners(Set<EntityKey> keys) {
        List<EntityKey> owned = new ArrayList<>(2);
        for (EntityKey key : keys) {
            if (key.kind() == EntityKey.Kind.IP && !isCommon(key)) {
                baseline.ownerOf(key).filter(host -> !keys.contains(host)).ifPresent(host -> {
                    owned.add(host);
                    aliases.putIfAbsent(host, key);
                });
            }
        }
        if (owned.isEmpty()) {
            return keys;
        }
        Set<EntityKey> all = new LinkedHashSet<>(keys);
        all.addAll(owned);
        return all;
    }

    static Set<EntityKey> keys(Alert alert) {
        Set<EntityKey> keys = new LinkedHashSet<>();
        for (Alert.Entity entity : alert.entities()) {
            EntityKey.of(entity).ifPresent(keys::add);
        }
        return keys;
    }

    private static final class IncidentState {
        final String reference;
        long first;
        long last;
        int alerts;
        boolean closed;
        long mergedInto;

        IncidentState(long number, long time, String reference) {
            this.first = time;
            this.last = time;
            this.reference = reference;
        }
    }

    /**
     * An entity's most recent incidents, one posting each: the incident's latest alert on the entity (for joins), and
     * its alert of the earliest tactic there (for progressions); and the entity's learned partners.
     */
    private static final class EntityState {
        final long[] incident;
        final long[] time;
        final UUID[] alert;
        final int[] stage;
        final long[] stageTime;
        final UUID[] stageAlert;
        int size;
        long latest = Long.MIN_VALUE;
        Set<String> partners;

        EntityState(int capacity) {
            incident = new long[capacity];
            time = new long[capacity];
            alert = new UUID[capacity];
            stage = new int[capacity];
            stageTime = new long[capacity];
            stageAlert = new UUID[capacity];
        }

        void post(long number, UUID id, int alertStage, long at, Correlator correlator) {
            latest = Math.max(latest, at);
            int slot = -1;
            for (int i = 0; i < size; i++) {
                if (correlator.find(incident[i]) == number) {
                    slot = i;
                    break;
                }
            }
            if (slot >= 0) {
                if (alertStage >= 0 && (stage[slot] < 0 || alertStage < stage[slot])) {
                    stage[slot] = alertStage;
                    stageTime[slot] = at;
                    stageAlert[slot] = id;
                }
                incident[slot] = number;
                if (at >= time[slot]) { // keep the latest alert of the incident
                    time[slot] = at;
                    alert[slot] = id;
                }
                return;
            }
            if (size < incident.length) {
                slot = size++;
            } else {
                slot = 0; // the incident seen least recently makes room
                for (int i = 1; i < size; i++) {
                    if (time[i] < time[slot]) {
                        slot = i;
                    }
                }
            }
            incident[slot] = number;
            time[slot] = at;
            alert[slot] = id;
            stage[slot] = alertStage;
            stageTime[slot] = at;
            stageAlert[slot] = id;
        }
    }
}
