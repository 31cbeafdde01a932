package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import dev.vigil.model.EditDistance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The look-ups value linking needs over a {@link ValueDictionary}, built once per dictionary.
 *
 * <h2>Exact and alias links</h2>
 * A typed word links to a stored value, case-insensitively, when it is the value or one of its aliases:
 * <ul>
 *   <li>a host by its first DNS label, either way round: {@code ws5} finds {@code WS5.corp.local}, and
 *       {@code WORKSTATION5.corp.local} finds {@code WORKSTATION5};
 *   <li>a user without its domain, either way round: {@code jdoe} finds {@code CORP\jdoe} and
 *       {@code jdoe@corp.com}, and {@code CORP\jdoe} finds {@code jdoe};
 *   <li>a process with or without {@code .exe}, and by its file name when stored with a path.
 * </ul>
 * The value itself links with confidence {@value #EXACT}; an alias of the stored value with {@value #STORED_ALIAS};
 * an alias of the typed word with {@value #TYPED_ALIAS}; aliases of both with {@value #BOTH_ALIASES}.
 *
 * <h2>Fuzzy links</h2>
 * A word that links to nothing exactly links to the stored values within an edit distance that grows with its
 * length: none up to 3 characters, 1 up to 7, 2 from 8 (compared on the alias keys: a host's first label, a user's
 * name, a process without {@code .exe}). The closest values win; several at the same distance are all returned, so
 * the planner can ask. Confidence is {@value #FUZZY_ONE} at distance 1 and {@value #FUZZY_TWO} at distance 2,
 * {@value #ALIAS_PENALTY} less when the key compared is an alias: {@code workstaion5} is closer to {@code WORKSTATION5}
 * than to {@code WORKSTATION5.corp.com}.
 *
 * <p>Fuzzy look-ups use a deletion neighbourhood instead of a scan of all values: every key is indexed under itself
 * and each string one deletion away, as a 32-bit hash in one sorted {@code long[]} (about 14 MB for 100,000 host
 * names), and a word looks up itself and its strings one deletion away (two from 8 characters). That finds every
 * value within distance 1, including transpositions, and at distance 2 every value the word has one or two extra
 * characters against, or one extra and one wrong; a word missing two characters or with two wrong ones is not
 * found. Candidates are checked with {@link EditDistance}, so a hash collision costs a comparison, never a wrong
 * link.
 */
final class ValueIndex {
    static final double EXACT = 1.0;
    static final double STORED_ALIAS = 0.95;
    static final double TYPED_ALIAS = 0.9;
    static final double BOTH_ALIASES = 0.85;
    static final double FUZZY_ONE = 0.8;
    static final double FUZZY_TWO = 0.6;
    /** Taken off a fuzzy link through an alias: {@code WORKSTATION5} wins over {@code WORKSTATION5.corp.com}. */
    static final double ALIAS_PENALTY = 0.05;
    private static final int SHORTEST_FUZZY_KEY = 4;

    /** A stored value a typed word stands for. */
    record Link(EntityType type, String value, int distance, double confidence) {}

    private final Map<String, List<Link>> exact;
    private final String[] fuzzyKeys;
    private final EntityType[] fuzzyTypes;
    private final String[] fuzzyValues;
    /** (hash of a key or a key with one character deleted) << 32 | index into the fuzzy arrays, sorted. */
    private final long[] deletions;
    private final Phrases phrases;

    private ValueIndex(Map<String, List<Link>> exact, String[] fuzzyKeys, EntityType[] fuzzyTypes,
            String[] fuzzyValues, long[] deletions, Phrases phrases) {
        this.exact = exact;
        this.fuzzyKeys = fuzzyKeys;
        this.fuzzyTypes = fuzzyTypes;
        this.fuzzyValues = fuzzyValues;
        this.deletions = deletions;
        this.phrases = phrases;
    }

    static ValueIndex of(ValueDictionary dictionary) {
        Map<String, List<Link>> exact = new HashMap<>(dictionary.size() * 4);
        List<String> keys = new ArrayList<>();
        List<EntityType> types = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Phrases.Builder phrases = Phrases.builder();
        for (EntityType type : ValueDictionary.TYPES) {
            for (String value : dictionary.values(type)) {
                String lower = value.toLowerCase(Locale.ROOT);
                addExact(exact, lower, new Link(type, value, 0, EXACT));
                List<String> aliases = storedAliases(type, lower);
                for (String alias : aliases) {
                    addExact(exact, alias, new Link(type, value, 0, STORED_ALIAS));
                }
                String alias = aliases.isEmpty() ? lower : aliases.getLast();
                if (Phrases.words(lower).length > 1 && lower.indexOf(' ') > 0) {
                    phrases.add(lower, type, value, EXACT, Candidate.Source.STORE);
                    if (type == EntityType.PRODUCT) {
                        // "Exchange Server" for "Microsoft Exchange Server": products go without their vendor.
                        String[] words = Phrases.words(lower);
                        if (words.length >= 3) {
                            phrases.add(String.join(" ", Arrays.copyOfRange(words, 1, words.length)), type, value,
                                    BOTH_ALIASES, Candidate.Source.STORE);
                        }
                    }
                }
                String key = fuzzyKey(alias);
                if (key.length() >= SHORTEST_FUZZY_KEY && key.indexOf(' ') < 0) {
                    keys.add(key);
                    types.add(type);
                    values.add(value);
                }
            }
        }
        long[] deletions = new long[keys.stream().mapToInt(key -> key.length() + 1).sum()];
        int count = 0;
        for (int id = 0; id < keys.size(); id++) {
            String key = keys.get(id);
            deletions[count++] = entry(hash(key, -1, -1), id);
            for (int skip = 0; skip < key.length(); skip++) {
                if (skip > 0 && key.charAt(skip) == key.charAt(skip - 1)) {
                    continue; // deleting either letter of a double gives the same string
                }
                deletions[count++] = entry(hash(key, skip, -1), id);
            }
        }
        deletions = Arrays.copyOf(deletions, count);
        Arrays.sort(deletions);
        Map<String, List<Link>> frozen = new HashMap<>(exact.size() * 2);
        exact.forEach((key, links) -> frozen.put(key, List.copyOf(links)));
        return new ValueIndex(frozen, keys.toArray(String[]::new), types.toArray(EntityType[]::new),
                values.toArray(String[]::new), deletions, phrases.build());
    }

    private static void addExact(Map<String, List<Link>> exact, String key, Link link) {
        List<Link> links = exact.computeIfAbsent(key, k -> new ArrayList<>(1));
        for (Link existing : links) {
            if (existing.type() == link.type() && existing.value().equals(link.value())) {
                return;
            }
        }
        links.add(link);
    }

    /** The stored value's aliases, the shortest last: a host's first label, a user's name, a process's file name. */
    private static List<String> storedAliases(EntityType type, String lower) {
        List<String> aliases = new ArrayList<>(2);
        switch (type) {
            case HOST -> aliases.add(firstLabel(lower));
            case USER -> aliases.add(userName(lower));
            case PROCESS -> {
                int separator = Math.max(lower.lastIndexOf('\\'), lower.lastIndexOf('/'));
                String name = lower.substring(separator + 1);
                if (!name.isEmpty()) {
                    aliases.add(name);
                    aliases.add(withoutExe(name));
                }
            }
            default -> { }
        }
        aliases.removeIf(alias -> alias.equals(lower) || alias.isEmpty());
        return aliases.stream().distinct().toList();
    }

    /** The key fuzzy links compare: a word or alias without its domain, user domain or {@code .exe}. */
    static String fuzzyKey(String lower) {
        return withoutExe(userName(firstLabelUnlessFile(lower)));
    }

    private static String firstLabelUnlessFile(String lower) {
        return lower.endsWith(".exe") ? lower : firstLabel(lower);
    }

    /** The first DNS label of a host name; an address or a name without dots stays whole. */
    static String firstLabel(String lower) {
        int dot = lower.indexOf('.');
        if (dot <= 0 || lower.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return lower;
        }
        return lower.substring(0, dot);
    }

    /** A user name without its domain: {@code CORP\jdoe} and {@code jdoe@corp.com} are {@code jdoe}. */
    static String userName(String lower) {
        int backslash = lower.lastIndexOf('\\');
        if (backslash >= 0 && backslash < lower.length() - 1) {
            return lower.substring(backslash + 1);
        }
        int at = lower.indexOf('@');
        return at > 0 ? lower.substring(0, at) : lower;
    }

    private static String withoutExe(String lower) {
        return lower.endsWith(".exe") && lower.length() > 4 ? lower.substring(0, lower.length() - 4) : lower;
    }

    boolean isEmpty() {
        return exact.isEmpty();
    }

    Phrases phrases() {
        return phrases;
    }

    /** Whether the word, lower-case, is a stored value or an alias of one (of any kind). */
    boolean isKnown(String lower) {
        return !exact(lower).isEmpty();
    }

    /**
     * The stored values the typed word (lower-case) is, or is an alias of, best first; the best link per value.
     */
    List<Link> exact(String lower) {
        Map<String, Link> best = new LinkedHashMap<>();
        for (Link link : exact.getOrDefault(lower, List.of())) {
            keep(best, link);
        }
        String label = lower.endsWith(".exe") ? lower : firstLabel(lower);
        if (!label.equals(lower)) {
            demoted(best, label, EntityType.HOST);
        }
        String user = userName(lower);
        if (!user.equals(lower)) {
            demoted(best, user, EntityType.USER);
        }
        String process = withoutExe(lower);
        if (!process.equals(lower)) {
            demoted(best, process, EntityType.PROCESS);
        }
        if (best.isEmpty()) {
            return List.of();
        }
        List<Link> links = new ArrayList<>(best.values());
        links.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
        return links;
    }

    private void demoted(Map<String, Link> best, String alias, EntityType type) {
        for (Link link : exact.getOrDefault(alias, List.of())) {
            if (link.type() == type) {
                keep(best, new Link(type, link.value(), 0, link.confidence() == EXACT ? TYPED_ALIAS : BOTH_ALIASES));
            }
        }
    }

    private static void keep(Map<String, Link> best, Link link) {
        best.merge(link.type() + "\u0000" + link.value(), link,
                (old, candidate) -> candidate.confidence() > old.confidence() ? candidate : old);
    }

    /** The edit distance a word of this length may be off by: 0 up to 3 characters, 1 up to 7, 2 from 8. */
    static int allowedDistance(int length) {
        return length <= 3 ? 0 : length <= 7 ? 1 : 2;
    }

    /**
     * The stored values closest to the typed word (lower-case) within {@link #allowedDistance}, all of them when
     * several are equally close; none at distance 0, which {@link #exact} finds.
     */
    List<Link> fuzzy(String lower) {
        String key = fuzzyKey(lower);
        int allowed = allowedDistance(key.length());
        if (allowed == 0 || deletions.length == 0) {
            return List.of();
        }
        List<Integer> candidates = new ArrayList<>();
        collect(hash(key, -1, -1), candidates);
        for (int i = 0; i < key.length(); i++) {
            collect(hash(key, i, -1), candidates);
            if (allowed == 2) {
                for (int j = i + 1; j < key.length(); j++) {
                    collect(hash(key, i, j), candidates);
                }
            }
        }
        int bestDistance = allowed + 1;
        List<Link> best = new ArrayList<>();
        for (int id : candidates) {
            String stored = fuzzyKeys[id];
            if (Math.abs(stored.length() - key.length()) > allowed) {
                continue;
            }
            int distance = EditDistance.ignoringCase(key, stored);
            if (distance == 0 || distance > bestDistance) {
                continue;
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best.clear();
            }
            double confidence = (distance == 1 ? FUZZY_ONE : FUZZY_TWO)
                    - (stored.length() == fuzzyValues[id].length() ? 0 : ALIAS_PENALTY);
            Link link = new Link(fuzzyTypes[id], fuzzyValues[id], distance, confidence);
            if (!best.contains(link)) {
                best.add(link);
            }
        }
        best.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
        return List.copyOf(best);
    }

    private void collect(int hash, List<Integer> into) {
        long from = (long) hash << 32;
        int at = Arrays.binarySearch(deletions, from);
        if (at < 0) {
            at = -at - 1;
        }
        for (; at < deletions.length && (int) (deletions[at] >> 32) == hash; at++) {
            Integer id = (int) deletions[at];
            if (!into.contains(id)) {
                into.add(id);
            }
        }
    }

    private static long entry(int hash, int id) {
        return (long) hash << 32 | (id & 0xFFFF_FFFFL);
    }

    /** A hash of the key without the characters at {@code skipA} and {@code skipB} (-1 for none). */
    private static int hash(String key, int skipA, int skipB) {
        int h = 0;
        int length = 0;
        for (int i = 0; i < key.length(); i++) {
            if (i != skipA && i != skipB) {
                h = 31 * h + key.charAt(i);
                length++;
            }
        }
        h ^= length * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
