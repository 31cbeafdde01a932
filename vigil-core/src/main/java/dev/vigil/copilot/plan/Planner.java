package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Clarification;
import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.model.EditDistance;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded planner: turns a prompt into a plan of skill calls without a language model.
 *
 * <ol>
 *   <li>A prompt that starts with {@code /} names its skill and inputs: it is run as typed.
 *   <li>A compound prompt ("summarize incident 12 and tell me how to contain it") is split into clauses, planned in
 *       order; a later clause's "it" is an earlier clause's entity.
 *   <li>Each clause is read (entities, values linked to the store, time range), its references to the session
 *       resolved, and the skills ranked by meaning and entity compatibility. The clause is also read as a data
 *       question (a {@link Frame}).
 *   <li>Decide: a skill whose inputs are satisfied and that outranks free querying is called; an open data question
 *       becomes a hunting query run by the {@value #HUNT} skill; a follow-up edits the session's last frame; a
 *       missing required input or two close readings become a precise question back; nothing that fits is said.
 * </ol>
 */
public final class Planner {
    /** Words the planner reads as choices ("unresolved" is open), which spelling correction must keep. */
    public static java.util.Set<String> choiceWords() {
        java.util.Set<String> words = new java.util.LinkedHashSet<>();
        CHOICE_SYNONYMS.values().forEach(list -> list.forEach(w -> words.addAll(List.of(w.split(" ")))));
        return words;
    }

    /** The skill that runs a hunting query; the query route calls it with the compiled frame. */
    public static final String HUNT = "hunt";

    /** What the planner needs from the tenant: its stored tables, and options to offer when it asks back. */
    public interface Data {
        Collection<String> tables();

        /** Candidates for an input of this type ("#12 Password spray against jamal.novak (high, active)"). */
        List<Candidate> candidates(EntityType type, int limit);
    }

    /** A value the analyst may have meant, with its label. */
    public record Candidate(String value, String label) {}

    /** A plan with what led to it. */
    public record Planned(Plan plan, Reading reading, Optional<Frame> frame, List<SkillRanker.Ranked> ranking,
            List<EntityRef> inputs, long micros) {}

    private static final Pattern SPLIT = Pattern.compile("\\s*(?:;|\\band then\\b|,\\s*then\\b|,?\\s+and\\s+(?:also\\s+)?"
            + "(?=(?:tell|show|list|how|what|which|who|summari[sz]e|give|explain|is|are|was|were|check|find|map|suggest"
            + "|recommend|describe|get|does|can|did|has|have|whether)\\b))\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern KQL = Pattern.compile("^\\s*[A-Za-z_][A-Za-z0-9_]*\\s*(?:\\r?\\n)?\\s*\\|\\s*"
            + "(?:where|summarize|project|take|limit|count|extend|sort|order|top|distinct|join|union|parse|mv-expand)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ORDINAL = Pattern.compile("\\b(?:the\\s+)?(first|second|third|fourth|fifth|sixth|"
            + "1st|2nd|3rd|4th|5th|6th|last)(?:\\s+(?:one|incident|host|user|account|alert|ip|address|machine|cve|"
            + "process|domain|item|entry|result))?\\b|\\bnumber\\s+(\\d)\\b");
    private static final Pattern PLURAL = Pattern.compile("\\b(those|these|them|they|all of them|each of them|each one)\\b");
    private static final Pattern ANAPHOR = Pattern.compile("\\b(it|its|this|that|the same|there|him|her|he|she|"
            + "the incident|the host|the user|the account|the machine|the cve|the vulnerability|the ip|the address|"
            + "the actor|the group|the technique|the script|the domain|the process)\\b");
    private static final Pattern FOLLOW_UP = Pattern.compile("^(and|what about|how about|only|just|now|same|also|but|"
            + "what if|instead)\\b.*|.*\\b(instead|only the|just the|the same)\\b.*");
    private static final Map<String, Integer> ORDINALS = Map.ofEntries(Map.entry("first", 0), Map.entry("1st", 0),
            Map.entry("second", 1), Map.entry("2nd", 1), Map.entry("third", 2), Map.entry("3rd", 2),
            Map.entry("fourth", 3), Map.entry("4th", 3), Map.entry("fifth", 4), Map.entry("5th", 4),
            Map.entry("sixth", 5), Map.entry("6th", 5));
    private static final Map<String, List<String>> CHOICE_SYNONYMS = Map.ofEntries(
            Map.entry("open", List.of("open", "unresolved", "ongoing", "outstanding", "not resolved", "still open")),
            Map.entry("resolved", List.of("resolved", "closed", "done", "finished")),
            Map.entry("new", List.of("new", "untriaged", "unassigned")),
            Map.entry("active", List.of("active", "in progress", "being worked")),
            Map.entry("containment", List.of("contain", "containment", "isolate", "stop it", "stop the")),
            Map.entry("remediation", List.of("remediate", "remediation", "fix", "clean up", "recover", "eradicate")),
            Map.entry("investigation", List.of("investigate", "investigation", "dig", "look into")),
            Map.entry("triage", List.of("triage", "first steps", "first step")),
            Map.entry("seen", List.of("seen", "observed", "in our data", "in our environment", "in our alerts", "have we had")),
            Map.entry("mitigations", List.of("mitigation", "mitigations", "mitigate", "protect against", "defend against",
                    "defences", "defenses")),
            Map.entry("software", List.of("software", "malware", "tools", "tooling")),
            Map.entry("techniques", List.of("techniques", "ttps", "ttp")));

    /** Below this similarity no skill is taken to fit (word overlap scores lower than embeddings). */
    private final double minimumSimilarity;
    private final Map<String, SkillSpec> specs;
    private final SkillRanker ranker;
    private final FrameReader frames;
    private final Reading.Reader reader;

    public Planner(List<SkillSpec> skills, SkillRanker ranker, FrameReader frames, Reading.Reader reader,
            boolean embeddings) {
        Map<String, SkillSpec> byName = new LinkedHashMap<>();
        skills.forEach(s -> byName.put(s.name(), s));
        this.specs = java.util.Collections.unmodifiableMap(byName);
        this.ranker = requireNonNull(ranker, "ranker is null");
        this.frames = requireNonNull(frames, "frames is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.minimumSimilarity = embeddings ? 0.30 : 0.18;
    }

    /** Plans a prompt in a session. */
    public Planned plan(String prompt, SessionContext session, Instant now, ZoneId zone, Data data) {
        long started = System.nanoTime();
        String text = requireNonNull(prompt, "prompt is null").strip();
        Reading whole = pastedAfterColon(reader.read(text, now, zone));
        if (text.isEmpty()) {
            return done(Plan.unanswerable("the prompt is empty"), whole, Optional.empty(), List.of(), List.of(),
                    started);
        }
        if (text.startsWith("/")) {
            return direct(text, whole, started);
        }
        if (KQL.matcher(text).find()) {
            SkillCall call = new SkillCall(HUNT, Map.of("query", List.of(text)), Optional.empty());
            return done(new Plan(Plan.Route.QUERY, List.of(call), 1.0, "the prompt is a hunting query",
                    Optional.empty()), whole, Optional.empty(), List.of(), List.of(), started);
        }
        List<String> clauses = pasted(whole) ? List.of(text) : clauses(text);
        List<SkillCall> calls = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<EntityRef> inputs = new ArrayList<>();
        double confidence = 1;
        Optional<Frame> lastFrame = Optional.empty();
        List<SkillRanker.Ranked> firstRanking = List.of();
        Plan.Route route = Plan.Route.SKILL;
        SessionContext context = session;
        for (String clause : clauses) {
            if (clause.isBlank()) {
                continue;
            }
            Reading reading = clauses.size() == 1 ? whole : reader.read(clause, now, zone);
            ClausePlan planned = planClause(clause, reading, context, data);
            if (firstRanking.isEmpty()) {
                firstRanking = planned.ranking();
            }
            if (planned.plan().route() == Plan.Route.CLARIFY || planned.plan().route() == Plan.Route.UNANSWERABLE) {
                if (calls.isEmpty() || planned.plan().route() == Plan.Route.CLARIFY) {
                    return done(planned.plan(), whole, planned.frame(), firstRanking, inputs, started);
                }
                reasons.add(planned.plan().rationale());
                continue;
            }
            for (SkillCall step : planned.plan().steps()) {
                // "who is FIN7 and what techniques do they use" asks one skill twice: run it once, with the inputs
                // of both when they agree
                SkillCall previous = calls.isEmpty() ? null : calls.get(calls.size() - 1);
                if (previous != null && previous.skill().equals(step.skill()) && agree(previous, step)) {
                    calls.set(calls.size() - 1, union(previous, step));
                    continue;
                }
                calls.add(step);
            }
            reasons.add(planned.plan().rationale());
            confidence = Math.min(confidence, planned.plan().confidence());
            if (planned.plan().route() == Plan.Route.QUERY) {
                route = calls.size() == 1 ? Plan.Route.QUERY : route;
                lastFrame = planned.frame();
            }
            inputs.addAll(planned.inputs());
            // a later clause's "it" is this clause's entity
            context = context.after(planned.inputs(), List.of(), planned.frame(), planned.plan().skillNames());
        }
        if (calls.isEmpty()) {
            return done(Plan.unanswerable(String.join("; ", reasons)), whole, lastFrame, firstRanking, inputs,
                    started);
        }
        if (calls.size() > 1 && calls.stream().anyMatch(c -> !c.skill().equals(HUNT))) {
            route = Plan.Route.SKILL;
        }
        return done(new Plan(route, calls, confidence, String.join("; ", reasons), Optional.empty()), whole,
                lastFrame, firstRanking, inputs, started);
    }

    private static final Pattern CODE = Pattern.compile("(?i)(\\^|\\[char\\]|\\biex\\b|invoke-|-enc|\\bcmd(\\.exe)? /c|"
            + "powershell|\\breg(\\.exe)? (add|save|query)|\\$[a-z_]|'\\s*\\+\\s*'|frombase64|rundll32|mshta|certutil|"
            + "schtasks|wmic|bitsadmin|net (user|group|localgroup)|new-object)");

    /**
     * "analyze this: &lt;pasted text&gt;": what follows a colon is one pasted input when the extractor did not already
     * take it as one: a script when it reads as code, an article when it is long prose.
     */
    static Reading pastedAfterColon(Reading reading) {
        String text = reading.normalized();
        int colon = text.indexOf(':');
        if (colon < 0 || pasted(reading) || colon > 80) {
            return reading;
        }
        String tail = text.substring(colon + 1).strip();
        int start = text.indexOf(tail, colon);
        if (tail.length() < 12 || text.substring(0, colon).matches(".*\\d$")) {
            return reading;
        }
        EntityType type;
        if (CODE.matcher(tail).find()) {
            type = EntityType.SCRIPT;
        } else if (tail.length() >= 200 && tail.split("[.!?]\\s").length >= 2) {
            type = EntityType.TEXT;
        } else {
            return reading;
        }
        List<Mention> mentions = new ArrayList<>();
        mentions.add(new Mention(type, tail, tail, start, start + tail.length(), 0.9));
        for (Mention m : reading.mentions()) {
            if (m.end() <= start) {
                mentions.add(m);
            }
        }
        mentions.sort(java.util.Comparator.comparingInt(Mention::start));
        return new Reading(text, mentions, reading.time(), reading.corrections(), reading.ambiguous());
    }

    /** The clauses of a compound prompt; a split that would leave a clause of one or two words is not made. */
    private static List<String> clauses(String text) {
        List<String> parts = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        int at = 0;
        while (m.find()) {
            String left = text.substring(at, m.start());
            if (words(left) >= 3) {
                parts.add(left);
                at = m.end();
            }
        }
        parts.add(text.substring(at));
        return parts;
    }

    /** A value without the parts that only spell it differently: a user's domain, a host's DNS suffix, case. */
    private static String canonical(Mention m) {
        String v = m.value().toLowerCase(Locale.ROOT);
        return switch (m.type()) {
            case USER -> {
                String name = v.contains("\\") ? v.substring(v.lastIndexOf('\\') + 1) : v;
                yield name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            }
            case HOST -> v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
            default -> v;
        };
    }

    /** Whether two calls of a skill give no input different values. */
    private static boolean agree(SkillCall a, SkillCall b) {
        for (Map.Entry<String, List<String>> input : b.inputs().entrySet()) {
            List<String> other = a.all(input.getKey());
            if (!other.isEmpty() && !other.equals(input.getValue())) {
                return false;
            }
        }
        return a.time().isEmpty() || b.time().isEmpty() || a.time().equals(b.time());
    }

    /** One call with the inputs of both. */
    private static SkillCall union(SkillCall a, SkillCall b) {
        Map<String, List<String>> inputs = new LinkedHashMap<>(a.inputs());
        b.inputs().forEach(inputs::putIfAbsent);
        return new SkillCall(a.skill(), inputs, a.time().isPresent() ? a.time() : b.time());
    }

    private record ClausePlan(Plan plan, Optional<Frame> frame, List<SkillRanker.Ranked> ranking,
            List<EntityRef> inputs) {}

    private ClausePlan planClause(String clause, Reading reading, SessionContext context, Data data) {
        String lower = reading.normalized().toLowerCase(Locale.ROOT);
        // a word that links equally well to several stored values ("jsmoth": jsmith or jsmyth): ask, do not guess
        for (List<Mention> candidates : reading.ambiguous()) {
            // spellings of one entity (kate.smith, kate.smith@corp.example) are not a choice, and pasted text is
            // analysed as it is
            List<Mention> readings = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Mention m : candidates) {
                if (seen.add(m.type() + ":" + canonical(m))) {
                    readings.add(m);
                }
            }
            if (readings.size() < 2 || reading.mentions().stream().anyMatch(p -> (p.type() == EntityType.SCRIPT
                    || p.type() == EntityType.TEXT) && p.overlaps(candidates.get(0)))) {
                continue;
            }
            Mention kept = readings.get(0);
            String text = reading.normalized();
            List<Clarification.Option> options = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (Mention m : readings) {
                String label = m.value() + " (" + noun(m.type()) + ")";
                labels.add(label);
                String rewritten = kept.end() <= text.length()
                        ? text.substring(0, kept.start()) + m.value() + text.substring(kept.end()) : text;
                options.add(new Clarification.Option(label, rewritten));
            }
            String question = "Which did you mean by '" + kept.text() + "': " + String.join(" or ", labels) + "?";
            return new ClausePlan(Plan.clarify(new Clarification(question, options), kept.confidence(),
                    "'" + kept.text() + "' names several stored values"), Optional.empty(), List.of(), List.of());
        }
        Map<EntityType, List<String>> given = new LinkedHashMap<>();
        for (Mention m : reading.mentions()) {
            List<String> values = given.computeIfAbsent(m.type(), t -> new ArrayList<>());
            if (!values.contains(m.value())) {
                values.add(m.value());
            }
        }
        boolean refers = ANAPHOR.matcher(lower).find() || PLURAL.matcher(lower).find()
                || ORDINAL.matcher(lower).find();
        boolean shortFollowUp = words(lower) <= 8;
        Set<EntityType> available = EnumSet.noneOf(EntityType.class);
        available.addAll(given.keySet());
        if (refers || shortFollowUp) {
            context.recent().forEach(e -> available.add(e.type()));
        }
        String masked = typeWordsOf(reading);
        if (!context.recent().isEmpty()) {
            // "how do I contain it" reads as "how do I contain incident" when the session is about an incident
            masked = masked.replaceAll("(?i)\\b(it|its|this one|that one|they|them|their)\\b",
                    typeWord(context.recent().get(0).type()));
        }
        List<SkillRanker.Ranked> ranking = ranker.rank(masked, available).stream()
                .filter(r -> !r.spec().name().equals(HUNT)).toList();
        // pasted scripts and articles are analysed, not queried
        Optional<Frame> frame = pasted(reading) ? Optional.empty()
                : frames.read(reading.normalized(), reading.mentions(), reading.time());

        // a follow-up to a data question edits its frame: "and on WS6?", "only the failed ones", "who ran it?"
        boolean skillFits = !ranking.isEmpty() && ranking.get(0).similarity() >= 0.55
                && ranking.get(0).compatibility() >= 0;
        boolean cued = FOLLOW_UP.matcher(lower).matches();
        if (context.lastFrame().isPresent() && (cued || !skillFits) && isFollowUp(lower, frame, reading)) {
            Frame edited = edit(context.lastFrame().get(), frame, reading, lower);
            return query(edited, data, 0.8, "a follow-up: the last question's query, edited", ranking, List.of());
        }
        SkillRanker.Ranked top = ranking.isEmpty() ? null : ranking.get(0);
        double similarity = top == null ? 0 : top.similarity();
        double frameScore = frame.map(Frame::confidence).orElse(0.0);
        boolean dataQuestion = frame.isPresent() && frameScore >= 0.7 && similarity < 0.55 + (frameScore - 0.7);
        if (dataQuestion) {
            frame = Optional.of(withReferences(frame.get(), lower, context));
            return query(frame.get(), data, frameScore, "an open data question about "
                    + frame.get().concept().description(), ranking, List.of());
        }
        if (top != null && similarity >= minimumSimilarity) {
            // the closest skill by meaning lacks a required input: ask for it rather than answer something else
            SkillRanker.Ranked closest = ranking.stream()
                    .max(java.util.Comparator.comparingDouble(SkillRanker.Ranked::similarity)).orElse(top);
            if (closest != top && closest.compatibility() < 0 && closest.similarity() - top.similarity() > 0.1) {
                return skill(closest, ranking, clause, reading, given, context, data);
            }
            return skill(top, ranking, clause, reading, given, context, data);
        }
        if (frame.isPresent() && frameScore >= 0.6) {
            frame = Optional.of(withReferences(frame.get(), lower, context));
            return query(frame.get(), data, frameScore, "an open data question about "
                    + frame.get().concept().description(), ranking, List.of());
        }
        return new ClausePlan(Plan.unanswerable("no skill or data of Vigil fits '" + clause + "'"), frame, ranking,
                List.of());
    }

    private ClausePlan skill(SkillRanker.Ranked top, List<SkillRanker.Ranked> ranking, String clause, Reading reading,
            Map<EntityType, List<String>> given, SessionContext context, Data data) {
        SkillSpec spec = top.spec();
        String lower = reading.normalized().toLowerCase(Locale.ROOT);
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        List<EntityRef> used = new ArrayList<>();
        for (SkillInput input : spec.inputs()) {
            List<String> values = fill(input, lower, clause, reading, given, context);
            if (values.isEmpty() && input.required()) {
                List<Candidate> candidates = data.candidates(input.type(), 5);
                String question = "Which " + noun(input.type()) + "? " + (candidates.isEmpty()
                        ? "Name one, for example: /" + spec.name() + " " + input.name() + "=<" + input.name() + ">."
                        : "The " + (input.type() == EntityType.INCIDENT ? "open ones" : "most recent ones") + " are "
                                + String.join(", ", candidates.stream().map(Candidate::label).toList()) + ".");
                List<Clarification.Option> options = candidates.stream()
                        .map(c -> new Clarification.Option(c.label(), "/" + spec.name() + " " + input.name() + "="
                                + quote(c.value())))
                        .toList();
                return new ClausePlan(Plan.clarify(new Clarification(question, options), top.similarity(),
                        spec.name() + " needs " + input.description()), Optional.empty(), ranking, List.of());
            }
            if (!values.isEmpty()) {
                inputs.put(input.name(), input.many() ? values : List.of(values.get(0)));
                if (input.choices().isEmpty()) {
                    inputs.get(input.name()).forEach(v -> used.add(new EntityRef(input.type(), v)));
                }
            }
        }
        // two close readings, both answerable: ask which one was meant
        if (ranking.size() > 1 && top.similarity() < 0.5) {
            SkillRanker.Ranked second = ranking.get(1);
            if (top.score() - second.score() < 0.01 && second.compatibility() >= 0
                    && !second.spec().category().equals(spec.category())) {
                List<Clarification.Option> options = List.of(
                        new Clarification.Option(spec.description(), "/" + spec.name() + args(inputs)),
                        new Clarification.Option(second.spec().description(), "/" + second.spec().name()));
                return new ClausePlan(Plan.clarify(new Clarification("Did you mean: " + spec.description()
                        + ", or: " + second.spec().description() + "?", options), top.similarity(),
                        "two skills fit equally well"), Optional.empty(), ranking, List.of());
            }
        }
        SkillCall call = new SkillCall(spec.name(), inputs, reading.time());
        return new ClausePlan(new Plan(Plan.Route.SKILL, List.of(call), top.similarity(), spec.name() + " fits ("
                + String.format(Locale.ROOT, "%.2f", top.similarity()) + ")", Optional.empty()), Optional.empty(),
                ranking, used);
    }

    private List<String> fill(SkillInput input, String lower, String clause, Reading reading,
            Map<EntityType, List<String>> given, SessionContext context) {
        if (!input.choices().isEmpty()) {
            for (String choice : input.choices()) {
                for (String word : CHOICE_SYNONYMS.getOrDefault(choice, List.of(choice))) {
                    if (Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(lower).find()) {
                        return List.of(choice);
                    }
                }
            }
            return List.of();
        }
        List<String> values = new ArrayList<>(given.getOrDefault(input.type(), List.of()));
        if (values.isEmpty() && (input.type() == EntityType.TEXT || input.type() == EntityType.SCRIPT)) {
            EntityType other = input.type() == EntityType.TEXT ? EntityType.SCRIPT : EntityType.TEXT;
            values.addAll(given.getOrDefault(other, List.of()));
            if (values.isEmpty() && input.required()) {
                int colon = clause.indexOf(':');
                if (colon > 0 && colon < clause.length() - 1 && clause.length() - colon > 12) {
                    values.add(clause.substring(colon + 1).strip());
                }
            }
        }
        if (!values.isEmpty()) {
            return values;
        }
        // the session: "the second one", "those hosts", "it"
        Matcher ordinal = ORDINAL.matcher(lower);
        if (ordinal.find()) {
            List<EntityRef> subjects = context.subjects(input.type());
            int index = ordinal.group(1) == null ? Integer.parseInt(ordinal.group(2)) - 1
                    : ordinal.group(1).equals("last") ? subjects.size() - 1 : ORDINALS.get(ordinal.group(1));
            if (index >= 0 && index < subjects.size()) {
                return List.of(subjects.get(index).value());
            }
        }
        if (input.many() && PLURAL.matcher(lower).find()) {
            List<EntityRef> subjects = context.subjects(input.type());
            if (!subjects.isEmpty()) {
                return subjects.stream().map(EntityRef::value).toList();
            }
        }
        if (input.required() || ANAPHOR.matcher(lower).find()) {
            Optional<EntityRef> latest = context.latest(input.type());
            if (latest.isPresent() && (input.required() || words(lower) <= 10)) {
                return List.of(latest.get().value());
            }
        }
        return List.of();
    }

    private ClausePlan query(Frame asked, Data data, double confidence, String rationale,
            List<SkillRanker.Ranked> ranking, List<EntityRef> inputs) {
        // "failed sign-ins by source IP" lists counts per group rather than rows
        Frame frame = asked.intent() == Frame.Intent.LIST && !asked.groupBy().isEmpty()
                ? asked.withShape(Frame.Intent.TOP, asked.projection(), asked.groupBy(), asked.limit()) : asked;
        KqlWriter.Result written = KqlWriter.write(frame, data.tables());
        return switch (written) {
            case KqlWriter.Written w -> {
                SkillCall call = new SkillCall(HUNT, Map.of("query", List.of(w.kql())), frame.time());
                List<EntityRef> used = new ArrayList<>(inputs);
                for (Frame.Filter f : frame.filters()) {
                    switch (f.op()) {
                        case "host" -> used.add(new EntityRef(EntityType.HOST, f.value()));
                        case "user" -> used.add(new EntityRef(EntityType.USER, f.value()));
                        default -> { }
                    }
                }
                yield new ClausePlan(new Plan(Plan.Route.QUERY, List.of(call), confidence, rationale,
                        Optional.empty()), Optional.of(frame), ranking, used);
            }
            case KqlWriter.NoTable n -> new ClausePlan(Plan.unanswerable("Vigil stores no " + frame.concept().name()
                    + " data for this tenant: it would be in " + String.join(" or ", n.wanted())
                    + "; ingest those logs to answer"), Optional.of(frame), ranking, inputs);
        };
    }

    private boolean isFollowUp(String lower, Optional<Frame> frame, Reading reading) {
        if (FOLLOW_UP.matcher(lower).matches()) {
            return true;
        }
        boolean conceptNamed = frame.isPresent() && !frame.get().matched().stream()
                .filter(w -> frame.get().concept().words().contains(w)).toList().isEmpty();
        return !conceptNamed && words(lower) <= 6 && (frame.isPresent() || !reading.mentions().isEmpty()
                || reading.time().isPresent() || lower.matches("^(who|which|what|where|when)\\b.*"));
    }

    /** The last frame with the follow-up's entities, modifiers, time and shape applied. */
    private Frame edit(Frame last, Optional<Frame> said, Reading reading, String lower) {
        Lexicon.Concept concept = last.concept();
        // read the follow-up against the last concept, so "only the failed ones" means failed logons
        Optional<Frame> followUp = said.map(f -> new Frame(f.intent(), concept, f.filters(), f.projection(),
                f.groupBy(), f.limit(), f.time(), f.confidence(), f.matched(), f.unknown()));
        List<Frame.Filter> filters = new ArrayList<>(last.filters());
        List<Frame.Filter> added = new ArrayList<>();
        for (Mention m : reading.mentions()) {
            String role = switch (m.type()) {
                case HOST -> "host";
                case USER -> "user";
                case PROCESS -> concept.column("target").isPresent() ? "target" : "process";
                case IP -> concept.column("ip").isPresent() ? "ip" : "src_ip";
                case DOMAIN -> "domain";
                default -> null;
            };
            if (role != null && concept.column(role).isPresent()) {
                String op = switch (m.type()) {
                    case HOST -> "host";
                    case USER -> "user";
                    case PROCESS -> "name";
                    case DOMAIN -> "contains";
                    default -> "eq";
                };
                added.add(new Frame.Filter(role, op, m.value(), m.text()));
            }
        }
        followUp.ifPresent(f -> f.filters().stream()
                .filter(x -> added.stream().noneMatch(a -> a.role().equals(x.role())))
                .filter(x -> concept.column(x.role()).isPresent() || x.role().equals("action"))
                .forEach(added::add));
        for (Frame.Filter f : added) {
            filters.removeIf(x -> x.role().equals(f.role()));
            filters.add(f);
        }
        Frame edited = last.withFilters(filters);
        if (reading.time().isPresent()) {
            edited = edited.withTime(reading.time());
        }
        if (lower.matches("^(who|by whom)\\b.*")) {
            edited = edited.withShape(Frame.Intent.DISTINCT, Optional.of("user"), List.of(), 0);
        } else if (lower.matches("^(where|which hosts?|on which)\\b.*")) {
            edited = edited.withShape(Frame.Intent.DISTINCT, Optional.of("host"), List.of(), 0);
        } else if (followUp.isPresent() && followUp.get().intent() != Frame.Intent.LIST) {
            Frame f = followUp.get();
            edited = edited.withShape(f.intent(), f.projection(), f.groupBy(), f.limit());
        }
        return edited;
    }


    /** "that host", "there", "that user": the session's entity as a filter of the frame. */
    private static Frame withReferences(Frame frame, String lower, SessionContext context) {
        Frame out = frame;
        if (frame.concept().column("host").isPresent() && frame.filters().stream().noneMatch(f -> f.role().equals("host"))
                && lower.matches(".*\\b(that|this|the same) (host|machine|device|computer|server|workstation)\\b.*|.*\\bthere\\b.*|.*\\bon it\\b.*")) {
            Optional<EntityRef> host = context.latest(EntityType.HOST);
            if (host.isPresent()) {
                out = out.replacing("host", new Frame.Filter("host", "host", host.get().value(), "that host"));
            }
        }
        if (frame.concept().column("user").isPresent() && frame.filters().stream().noneMatch(f -> f.role().equals("user"))
                && lower.matches(".*\\b(that|this|the same) (user|account|person)\\b.*|.*\\b(he|she|him|her)\\b.*")) {
            Optional<EntityRef> user = context.latest(EntityType.USER);
            if (user.isPresent()) {
                out = out.replacing("user", new Frame.Filter("user", "user", user.get().value(), "that user"));
            }
        }
        return out;
    }

    private Planned direct(String text, Reading reading, long started) {
        int space = text.indexOf(' ');
        String name = (space < 0 ? text.substring(1) : text.substring(1, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : text.substring(space + 1).strip();
        SkillSpec spec = specs.get(name);
        if (spec == null) {
            List<String> near = specs.keySet().stream()
                    .sorted(java.util.Comparator.comparingInt(s -> EditDistance.ignoringCase(s, name))).limit(3).toList();
            Clarification question = new Clarification("There is no skill /" + name + ". Did you mean "
                    + String.join(", ", near.stream().map(s -> "/" + s).toList()) + "? ('/help' lists them all.)",
                    near.stream().map(s -> new Clarification.Option("/" + s, "/" + s + (rest.isEmpty() ? "" : " " + rest)))
                            .toList());
            return done(Plan.clarify(question, 0, "unknown skill /" + name), reading, Optional.empty(), List.of(),
                    List.of(), started);
        }
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        if (name.equals(HUNT)) {
            inputs.put("query", List.of(rest));
        } else {
            List<String> free = new ArrayList<>();
            Matcher arg = Pattern.compile("([a-z_][a-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)|(\"[^\"]*\"|\\S+)")
                    .matcher(rest);
            while (arg.find()) {
                if (arg.group(1) != null && spec.input(arg.group(1)).isPresent()) {
                    String value = arg.group(3) != null ? arg.group(3).replace("\\\"", "\"") : arg.group(2);
                    inputs.computeIfAbsent(arg.group(1), k -> new ArrayList<>()).add(value);
                } else {
                    free.add(arg.group().replaceAll("^\"|\"$", ""));
                }
            }
            if (!free.isEmpty()) {
                Optional<SkillInput> target = spec.inputs().stream()
                        .filter(i -> !inputs.containsKey(i.name()) && i.choices().isEmpty()).findFirst();
                if (target.isEmpty()) {
                    Clarification question = new Clarification("/" + name + " takes " + describe(spec)
                            + "; it does not know what '" + String.join(" ", free) + "' is.", List.of());
                    return done(Plan.clarify(question, 0, "unexpected input"), reading, Optional.empty(), List.of(),
                            List.of(), started);
                }
                SkillInput input = target.get();
                boolean whole = input.type() == EntityType.TEXT || input.type() == EntityType.SCRIPT;
                inputs.put(input.name(), whole ? List.of(String.join(" ", free))
                        : input.many() ? free : List.of(free.get(0).replaceFirst("^#", "")));
            }
            for (SkillInput input : spec.requiredInputs()) {
                if (!inputs.containsKey(input.name())) {
                    Clarification question = new Clarification("/" + name + " needs " + input.name() + " ("
                            + input.description() + "): /" + name + " " + input.name() + "=<value>", List.of());
                    return done(Plan.clarify(question, 0, "missing input " + input.name()), reading,
                            Optional.empty(), List.of(), List.of(), started);
                }
            }
        }
        SkillCall call = new SkillCall(name, inputs, reading.time());
        return done(new Plan(Plan.Route.DIRECT, List.of(call), 1.0, "called directly", Optional.empty()), reading,
                Optional.empty(), List.of(), List.of(), started);
    }

    private static String describe(SkillSpec spec) {
        if (spec.inputs().isEmpty()) {
            return "no input";
        }
        return String.join(", ", spec.inputs().stream().map(i -> i.name() + (i.required() ? "" : " (optional)"))
                .toList());
    }

    private static String args(Map<String, List<String>> inputs) {
        StringBuilder out = new StringBuilder();
        inputs.forEach((k, vs) -> vs.forEach(v -> out.append(' ').append(k).append('=').append(quote(v))));
        return out.toString();
    }

    private static String quote(String value) {
        return value.matches("[^\\s\"]+") ? value : '"' + value.replace("\"", "\\\"") + '"';
    }

    private static boolean pasted(Reading reading) {
        return reading.mentions().stream().anyMatch(m -> m.type() == EntityType.SCRIPT || m.type() == EntityType.TEXT);
    }

    /** A read text with each entity replaced by its type's name, for ranking by meaning. */
    public static String typeWordsOf(Reading reading) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        String text = reading.normalized();
        for (Mention m : reading.mentions()) {
            if (m.start() < at || m.end() > text.length()) {
                continue;
            }
            out.append(text, at, m.start()).append(typeWord(m.type()));
            at = m.end();
        }
        out.append(text.substring(Math.min(at, text.length())));
        return out.toString();
    }

    /** The words a type is masked with. */
    public static String typeWord(EntityType type) {
        return switch (type) {
            case IP -> "IP address";
            case CIDR -> "network range";
            case DOMAIN -> "domain";
            case URL -> "URL";
            case EMAIL -> "email address";
            case HASH -> "file hash";
            case CVE -> "CVE vulnerability";
            case TECHNIQUE -> "ATT&CK technique";
            case TACTIC -> "ATT&CK tactic";
            case ACTOR -> "threat actor";
            case INCIDENT -> "incident";
            case HOST -> "host";
            case USER -> "user";
            case PROCESS -> "process";
            case RULE -> "detection rule";
            case PRODUCT -> "software product";
            case NUMBER -> "number";
            case DURATION -> "duration";
            case SCRIPT -> "script";
            case TEXT -> "article";
        };
    }

    private static String noun(EntityType type) {
        return switch (type) {
            case INCIDENT -> "incident";
            case HOST -> "host";
            case USER -> "user";
            case CVE -> "CVE";
            case ACTOR -> "threat actor";
            case TECHNIQUE -> "technique";
            case SCRIPT -> "script (paste it after a colon)";
            case TEXT -> "text (paste it after a colon)";
            default -> typeWord(type);
        };
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    private static Planned done(Plan plan, Reading reading, Optional<Frame> frame, List<SkillRanker.Ranked> ranking,
            List<EntityRef> inputs, long started) {
        return new Planned(plan, reading, frame, ranking, inputs, (System.nanoTime() - started) / 1_000);
    }

}
