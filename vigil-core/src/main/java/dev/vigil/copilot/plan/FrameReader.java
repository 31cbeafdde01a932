package dev.vigil.copilot.plan;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Mention;
import dev.vigil.copilot.TimeRange;
import dev.vigil.copilot.plan.Frame.Filter;
import dev.vigil.copilot.plan.Frame.Intent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a data question into a {@link Frame}, in the manner of natural-language interfaces to databases: the
 * question's phrases are linked to the lexicon's concepts, roles, modifiers and intents, its entities (already linked
 * to stored values by extraction) become filters on the role their neighbouring words give them, and the frame's
 * confidence is the share of the question's content words it accounts for.
 *
 * <p>Several readings compete for a word that is both a concept and a role ("processes" in "which processes touched
 * lsass"): a role word right after "which", "what", "top N", "by", "per" or "how many" asks for that role, and only
 * counts as the concept when nothing else names one.
 */
public final class FrameReader {
    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._\\-]*");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]{2,200})\"|'([^']{2,200})'|`([^`]{2,200})`");
    private static final Set<String> ASKERS = Set.of("which", "what", "top", "by", "per", "many", "each", "distinct",
            "unique", "the");
    private static final Set<String> PARENT_CUES = Set.of("by", "from", "parent", "under", "of");
    /** "what did winword spawn": the process named is the parent. */
    private static final Set<String> PARENT_VERBS = Set.of("spawn", "start", "launch", "run", "execute", "create",
            "drop", "open");
    private static final Set<String> SOURCE_CUES = Set.of("from", "source", "src", "by");
    private static final Set<String> DESTINATION_CUES = Set.of("to", "contacted", "contact", "reached", "destination",
            "dst", "towards", "with");
    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("twenty", 20));

    /** A lexicon phrase found in the question. */
    record Hit(String kind, String key, String phrase, int start, int end) {}

    private final Lexicon lexicon;
    private final List<Entry> phrases;

    private record Entry(String kind, String key, String phrase, Pattern pattern) {}

    public FrameReader(Lexicon lexicon) {
        this.lexicon = requireNonNull(lexicon, "lexicon is null");
        List<Entry> entries = new ArrayList<>();
        lexicon.concepts().forEach((name, c) -> c.words().forEach(w -> entries.add(entry("concept", name, w))));
        lexicon.roles().forEach((role, words) -> words.forEach(w -> entries.add(entry("role", role, w))));
        lexicon.modifiers().forEach((name, m) -> m.words().forEach(w -> entries.add(entry("modifier", name, w))));
        lexicon.intents().forEach((intent, words) -> words.forEach(w -> entries.add(entry("intent", intent, w))));
        lexicon.countries().forEach((code, words) -> words.forEach(w -> entries.add(entry("country", code, w))));
        // longest phrases first, so "command line" wins over "command"
        entries.sort(Comparator.comparingInt((Entry e) -> -e.phrase().length()));
        this.phrases = List.copyOf(entries);
    }

    private static Entry entry(String kind, String key, String phrase) {
        return new Entry(kind, key, phrase,
                Pattern.compile("(?<![a-z0-9\\-])" + Pattern.quote(phrase) + "(?![a-z0-9])"));
    }

    public Lexicon lexicon() {
        return lexicon;
    }

    /**
     * Reads the question.
     *
     * @param text the normalized question
     * @param mentions its entities, with offsets into {@code text}
     * @param time its time range, if it named one
     * @return the frame, or empty when no concept of the lexicon fits the question
     */
    public Optional<Frame> read(String text, List<Mention> mentions, Optional<TimeRange> time) {
        String lower = text.toLowerCase(Locale.ROOT);
        char[] masked = lower.toCharArray();
        for (Mention m : mentions) {
            for (int i = m.start(); i < Math.min(m.end(), masked.length); i++) {
                masked[i] = ' ';
            }
        }
        time.ifPresent(t -> maskText(masked, lower, t.text().toLowerCase(Locale.ROOT)));
        List<String> quoted = new ArrayList<>();
        Matcher q = QUOTED.matcher(text);
        while (q.find()) {
            String value = q.group(1) != null ? q.group(1) : q.group(2) != null ? q.group(2) : q.group(3);
            if (mentions.stream().noneMatch(m -> m.start() >= q.start() && m.end() <= q.end())) {
                quoted.add(value);
            }
            for (int i = q.start(); i < q.end(); i++) {
                masked[i] = ' ';
            }
        }
        String visible = new String(masked);
        List<Hit> hits = hits(visible);
        List<String> words = words(visible);

        // the concept: concept words, except role words that ask for a role, unless nothing else names a concept
        // a word that is also a role ("procs", "domains") says less about the concept than a verb ("touching")
        Map<String, Double> votes = new LinkedHashMap<>();
        Map<String, Double> weakVotes = new LinkedHashMap<>();
        for (Hit hit : hits) {
            if (!hit.kind().equals("concept")) {
                continue;
            }
            boolean asking = asksForRole(visible, hit);
            double weight = isRoleWord(hit.phrase()) ? 0.5 : 1.0;
            (asking ? weakVotes : votes).merge(hit.key(), weight, Double::sum);
        }
        for (Hit hit : hits) {
            if (hit.kind().equals("modifier")) {
                impliedConcept(hit.key()).ifPresent(c -> weakVotes.merge(c, 0.5, Double::sum));
            }
        }
        Map<String, Double> chosenVotes = votes.isEmpty() ? weakVotes : votes;
        if (chosenVotes.isEmpty()) {
            return Optional.empty();
        }
        String conceptName = chosenVotes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Lexicon.Concept concept = lexicon.concepts().get(conceptName);

        // intent, projection, grouping and limit
        Intent intent = Intent.LIST;
        Optional<String> projection = Optional.empty();
        List<String> groupBy = new ArrayList<>();
        int limit = 0;
        for (Hit hit : hits) {
            if (hit.kind().equals("intent")) {
                Intent said = switch (hit.key()) {
                    case "count" -> Intent.COUNT;
                    case "top" -> Intent.TOP;
                    case "timeline" -> Intent.TIMELINE;
                    case "exists" -> Intent.EXISTS;
                    default -> Intent.LIST;
                };
                if (priority(said) > priority(intent)) {
                    intent = said;
                }
            }
        }
        for (Hit hit : hits) {
            if (!hit.kind().equals("role") || concept.column(roleColumn(concept, hit.key())).isEmpty()) {
                continue;
            }
            String before = wordBefore(visible, hit.start());
            String role = roleColumn(concept, hit.key());
            if (before.equals("by") || before.equals("per") || before.equals("each")) {
                if (!groupBy.contains(role)) {
                    groupBy.add(role);
                }
            } else if (asksForRole(visible, hit) && projection.isEmpty()) {
                projection = Optional.of(role);
            }
        }
        Matcher top = Pattern.compile("\\btop\\s+(\\d{1,3}|" + String.join("|", NUMBER_WORDS.keySet()) + ")\\b")
                .matcher(lower);
        if (top.find()) {
            limit = number(top.group(1));
            intent = Intent.TOP;
        } else {
            Matcher first = Pattern.compile("\\b(?:first|last|latest)\\s+(\\d{1,3})\\b").matcher(lower);
            if (first.find()) {
                limit = number(first.group(1));
            }
        }
        if (intent == Intent.LIST && projection.isPresent()) {
            intent = Intent.DISTINCT;
        }
        if ((intent == Intent.TOP || intent == Intent.DISTINCT) && projection.isEmpty() && groupBy.isEmpty()) {
            projection = Optional.of(defaultRole(concept));
        }

        // filters
        List<Filter> filters = new ArrayList<>();
        for (Mention m : mentions) {
            filterFor(concept, m, lower).ifPresent(filters::add);
        }
        for (String value : quoted) {
            String role = concept.column("command").isPresent() ? "command"
                    : concept.column("key").isPresent() ? "key" : concept.column("file").isPresent() ? "file" : null;
            if (role != null) {
                filters.add(new Filter(role, "contains", value, '"' + value + '"'));
            }
        }
        for (Hit hit : hits) {
            if (hit.kind().equals("modifier")) {
                Lexicon.Modifier modifier = lexicon.modifiers().get(hit.key());
                String role = roleColumn(concept, modifier.role());
                if (concept.column(role).isPresent() || role.equals("action")) {
                    Filter f = new Filter(role, modifier.op(), modifier.value(), hit.phrase());
                    if (!filters.contains(f) && !(modifier.op().equals("name") && filters.stream()
                            .anyMatch(x -> x.op().equals("name") && x.value().equalsIgnoreCase(modifier.value())))) {
                        filters.add(f);
                    }
                }
            } else if (hit.kind().equals("country") && concept.column("country").isPresent()) {
                String before = wordsBefore(visible, hit.start(), 3);
                boolean negated = before.matches(".*\\b(outside|not|except|excluding|other than|non)\\b.*");
                filters.add(new Filter("country", negated ? "ne" : "eq", hit.key(), hit.phrase()));
            }
        }

        // coverage: the share of content words the frame used
        Set<String> used = new LinkedHashSet<>();
        for (Hit hit : hits) {
            for (String w : hit.phrase().split("[\\s]+")) {
                used.add(w);
            }
        }
        List<String> matched = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String w : words) {
            if (lexicon.stopwords().contains(w) || w.matches("\\d+") || NUMBER_WORDS.containsKey(w)) {
                continue;
            }
            (used.contains(w) ? matched : unknown).add(w);
        }
        // an entity the frame cannot filter on ("incident 2" in a question about processes) is not accounted for
        long usable = mentions.stream().filter(m -> filters.stream().anyMatch(f -> f.value().equals(m.value())))
                .count();
        long unusable = mentions.size() - usable;
        double covered = matched.size() + usable + quoted.size() + (time.isPresent() ? 1 : 0);
        double total = covered + unknown.size() + unusable;
        double coverage = total == 0 ? 0 : covered / total;
        double confidence = Math.min(1.0, 0.35 + 0.65 * coverage);
        return Optional.of(new Frame(intent, concept, filters, projection, groupBy, limit, time, confidence, matched,
                unknown));
    }

    /** "How many" outranks "were there"; "per hour" outranks both. */
    private static int priority(Intent intent) {
        return switch (intent) {
            case LIST -> 0;
            case EXISTS -> 1;
            case COUNT -> 2;
            case DISTINCT -> 3;
            case TOP -> 4;
            case TIMELINE -> 5;
        };
    }

    private boolean isRoleWord(String phrase) {
        return lexicon.roles().values().stream().anyMatch(words -> words.contains(phrase));
    }

    /** The concept a modifier alone suggests ("failed" suggests logons), used only when no word names one. */
    private static Optional<String> impliedConcept(String modifier) {
        return switch (modifier) {
            case "failed", "succeeded" -> Optional.of("logon");
            case "blocked", "external" -> Optional.of("network");
            case "encoded", "powershell" -> Optional.of("process");
            case "run_key" -> Optional.of("registry");
            default -> Optional.empty();
        };
    }

    private Optional<Filter> filterFor(Lexicon.Concept concept, Mention m, String lower) {
        String before = wordsBefore(lower, m.start(), 2);
        String last = before.isEmpty() ? "" : before.substring(before.lastIndexOf(' ') + 1);
        return switch (m.type()) {
            case HOST -> concept.column("host").map(c -> new Filter("host", "host", m.value(), m.text()));
            case USER -> concept.column("user").map(c -> new Filter("user", "user", m.value(), m.text()));
            case PROCESS -> {
                if (concept.column("target").isPresent() && !PARENT_CUES.contains(last)) {
                    yield Optional.of(new Filter("target", "name", m.value(), m.text()));
                }
                String after = wordsAfter(lower, m.end(), 1);
                boolean didItStart = last.equals("did") && PARENT_VERBS.contains(after);
                if (concept.column("parent").isPresent() && (PARENT_CUES.contains(last) || didItStart
                        || before.endsWith("spawned by") || before.endsWith("child of"))) {
                    yield Optional.of(new Filter("parent", "name", m.value(), m.text()));
                }
                yield concept.column("process").map(c -> new Filter("process", "name", m.value(), m.text()));
            }
            case IP -> {
                boolean hasSrc = concept.column("src_ip").isPresent();
                boolean hasDst = concept.column("dst_ip").isPresent();
                if (hasSrc && SOURCE_CUES.contains(last)) {
                    yield Optional.of(new Filter("src_ip", "eq", m.value(), m.text()));
                }
                if (hasDst && DESTINATION_CUES.contains(last)) {
                    yield Optional.of(new Filter("dst_ip", "eq", m.value(), m.text()));
                }
                if (hasSrc && hasDst) {
                    yield Optional.of(new Filter("ip", "either", m.value(), m.text()));
                }
                yield concept.column("ip").map(c -> new Filter("ip", "eq", m.value(), m.text()));
            }
            case CIDR -> concept.column("ip").map(c -> new Filter("ip", "prefix", m.value(), m.text()));
            case DOMAIN -> concept.column("domain").map(c -> new Filter("domain", "contains", m.value(), m.text()));
            case HASH -> concept.column("hash").map(c -> new Filter("hash", "contains", m.value(), m.text()));
            default -> Optional.empty();
        };
    }

    /** A role as the concept names it: the generic {@code ip} role is the concept's source or destination. */
    private static String roleColumn(Lexicon.Concept concept, String role) {
        if (role.equals("ip") && concept.column("ip").isEmpty()) {
            return concept.column("dst_ip").isPresent() ? "dst_ip" : "src_ip";
        }
        return role;
    }

    private static String defaultRole(Lexicon.Concept concept) {
        for (String role : List.of("process", "user", "host", "src_ip", "domain")) {
            if (concept.column(role).isPresent()) {
                return role;
            }
        }
        return concept.roles().keySet().iterator().next();
    }

    private boolean asksForRole(String text, Hit hit) {
        if (!lexicon.roles().values().stream().anyMatch(words -> words.contains(hit.phrase()))) {
            return false;
        }
        String before = wordsBefore(text, hit.start(), 3);
        for (String w : before.split(" ")) {
            if (ASKERS.contains(w) && !w.equals("the")) {
                return true;
            }
        }
        return before.matches(".*\\b(top \\d+|how many)$");
    }

    private List<Hit> hits(String text) {
        boolean[] taken = new boolean[text.length()];
        List<Hit> hits = new ArrayList<>();
        for (Entry e : phrases) {
            Matcher m = e.pattern().matcher(text);
            while (m.find()) {
                boolean free = true;
                for (int i = m.start(); i < m.end(); i++) {
                    if (taken[i]) {
                        free = false;
                        break;
                    }
                }
                if (!free) {
                    // the same words may still be both a concept and a role ("processes")
                    if (e.kind().equals("concept") || e.kind().equals("role")) {
                        int start = m.start();
                        int end = m.end();
                        if (hits.stream().anyMatch(h -> h.start() == start && h.end() == end
                                && (h.kind().equals("concept") || h.kind().equals("role"))
                                && !h.kind().equals(e.kind()))) {
                            hits.add(new Hit(e.kind(), e.key(), e.phrase(), start, end));
                        }
                    }
                    continue;
                }
                for (int i = m.start(); i < m.end(); i++) {
                    taken[i] = true;
                }
                hits.add(new Hit(e.kind(), e.key(), e.phrase(), m.start(), m.end()));
            }
        }
        hits.sort(Comparator.comparingInt(Hit::start));
        return hits;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }

    private static String wordBefore(String text, int offset) {
        String before = wordsBefore(text, offset, 1);
        return before;
    }

    /** Up to {@code count} words before {@code offset}, lower case, separated by single spaces. */
    static String wordsBefore(String text, int offset, int count) {
        String head = text.substring(0, Math.min(offset, text.length())).toLowerCase(Locale.ROOT);
        List<String> words = words(head);
        return String.join(" ", words.subList(Math.max(0, words.size() - count), words.size()));
    }

    /** Up to {@code count} words after {@code offset}, lower case. */
    static String wordsAfter(String text, int offset, int count) {
        List<String> words = words(text.substring(Math.min(offset, text.length())).toLowerCase(Locale.ROOT));
        return String.join(" ", words.subList(0, Math.min(count, words.size())));
    }

    private static void maskText(char[] masked, String lower, String phrase) {
        if (phrase.isBlank()) {
            return;
        }
        int at = lower.indexOf(phrase);
        if (at >= 0) {
            for (int i = at; i < at + phrase.length(); i++) {
                masked[i] = ' ';
            }
        }
    }

    private static int number(String text) {
        Integer word = NUMBER_WORDS.get(text);
        return word != null ? word : Integer.parseInt(text);
    }

}
