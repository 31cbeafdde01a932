package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import dev.vigil.copilot.TimeRange;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The first two steps of the embedded planner: normalize a prompt, then recognize the entities, values and time
 * range it names (see {@code COPILOT.md}).
 *
 * <ol>
 *   <li>{@link Prompt Normalize and tokenize}.
 *   <li>Recognize shapes: indicators, CVE and ATT&amp;CK ids, pasted scripts and articles.
 *   <li>Read each remaining word: a stored value (exactly or by an alias: a host's first label, a user without a
 *       domain, a process without {@code .exe}); else a misspelt vocabulary word or a misspelt stored value, the
 *       closer of the two (the vocabulary on a tie). A word that is a vocabulary word, a stored value, a number or
 *       part of a typed entity is never corrected. A bare word that is a stored host name is a host.
 *   <li>With misspellings read as corrected: the time range, incident references, numbers, durations, ATT&amp;CK
 *       names and stored values of several words.
 *   <li>Resolve overlaps: the time range's words are no mentions; then the longer mention wins, then the stronger
 *       source (a stored value, a shape, a fuzzy link, an ATT&amp;CK name, in that order), then the more confident.
 *       Readings of one span that tie on all three are kept as {@link Extraction#ambiguous()}.
 * </ol>
 *
 * <p>A host or user name that is also a vocabulary word ({@code admin} as a user) links with confidence
 * {@value #VOCABULARY_AS_VALUE}: in a question it is more often the word; an ATT&amp;CK name of one word
 * ("Execution", "PowerShell") with
 * {@value #ONE_WORD_NAME}, two or more words with {@value #NAME}.
 *
 * <p>Immutable and safe for use from several threads. Building one indexes the dictionary (about a second for
 * 100,000 values); extraction is then a few dozen microseconds for a short prompt. When the dictionary is refreshed,
 * build a new extractor.
 */
public final class Extractor {
    static final double VOCABULARY_AS_VALUE = 0.5;
    static final double ONE_WORD_NAME = 0.6;
    static final double NAME = 0.95;
    private static final double SHAPED_PROCESS = 0.7;
    private static final int SHORTEST_NAME = 4;
    private static final Set<String> NUMBER_WORDS = Set.of("one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty");
    private static final Pattern EXECUTABLE = Pattern.compile("[\\w.-]+\\.exe");

    /** ATT&amp;CK names that prompts use as plain words: no mention is made of them. */
    private static final Set<String> GENERIC_NAMES = Set.of("botnet", "business relationships", "code repositories",
            "credentials", "digital certificates", "dns server", "domains", "email accounts", "email addresses",
            "employee names", "exploits", "firmware", "hardware", "ip addresses", "malware", "network devices",
            "network topology", "proxy", "search engines", "server", "serverless", "social media", "software", "tool",
            "trap", "vulnerabilities", "web service", "web services", "services", "service", "system", "process");

    private final Lexicon lexicon;
    private final ValueIndex values;
    private final Phrases knowledge;

    /**
     * @param lexicon the planner's vocabulary, any case: the words spelling correction may correct to
     * @param dictionary the tenant's stored values, indexed here
     * @param knowledge the ATT&amp;CK names to find
     */
    public Extractor(Collection<String> lexicon, ValueDictionary dictionary, KnowledgeNames knowledge) {
        requireNonNull(lexicon, "lexicon is null");
        requireNonNull(dictionary, "dictionary is null");
        requireNonNull(knowledge, "knowledge is null");
        this.lexicon = new Lexicon(lexicon);
        this.values = ValueIndex.of(dictionary);
        Phrases.Builder names = Phrases.builder();
        for (EntityType type : KnowledgeNames.TYPES) {
            knowledge.names(type).forEach((name, id) -> {
                if (name.length() >= SHORTEST_NAME && !GENERIC_NAMES.contains(name)) {
                    names.add(name, type, id, Phrases.words(name).length > 1 ? NAME : ONE_WORD_NAME,
                            Candidate.Source.KNOWLEDGE);
                }
            });
        }
        this.knowledge = names.build();
    }

    /**
     * Reads a prompt.
     *
     * @param prompt the prompt as typed
     * @param now the instant relative times resolve against
     * @param zone the analyst's time zone, where days start
     */
    public Extraction extract(String prompt, Instant now, ZoneId zone) {
        requireNonNull(prompt, "prompt is null");
        requireNonNull(now, "now is null");
        requireNonNull(zone, "zone is null");
        return new Reading(Prompt.of(prompt)).read(now, zone);
    }

    /** One extraction. */
    private final class Reading {
        private final Prompt prompt;
        private final String text;
        private final List<Candidate> candidates = new ArrayList<>();
        private final List<Correction> corrections = new ArrayList<>();
        private final TreeMap<Integer, Map.Entry<Integer, String>> forms = new TreeMap<>();
        private final boolean[] pasted;
        private final boolean[] typed;

        Reading(Prompt prompt) {
            this.prompt = prompt;
            this.text = prompt.text();
            this.pasted = new boolean[text.length()];
            this.typed = new boolean[text.length()];
        }

        Extraction read(Instant now, ZoneId zone) {
            Patterns.typed(text, candidates);
            Patterns.scripts(prompt, candidates);
            Patterns.pastedText(text, candidates);
            for (Candidate candidate : candidates) {
                EntityType type = candidate.mention().type();
                boolean[] marks = type == EntityType.SCRIPT || type == EntityType.TEXT ? pasted : typed;
                java.util.Arrays.fill(marks, candidate.start(), candidate.end(), true);
            }
            for (Token token : prompt.tokens()) {
                if (!any(pasted, token.start(), token.end())) {
                    token(token);
                }
            }
            FormText form = FormText.of(prompt.lowerCase(), forms, pasted);
            Optional<TimeExpressions.Match> time = TimeExpressions.find(form.text(), now, zone);
            List<Span> timeSpans = new ArrayList<>();
            Optional<TimeRange> range = time.map(match -> {
                StringBuilder written = new StringBuilder();
                for (Span span : match.spans()) {
                    Span source = new Span(form.sourceStart(span.start()), form.sourceEnd(span.end()));
                    timeSpans.add(source);
                    written.append(written.isEmpty() ? "" : " ").append(source.of(text));
                }
                return new TimeRange(match.range().from(), match.range().to(), written.toString());
            });
            Quantities.find(form, text, candidates);
            List<Phrases.Word> words = Phrases.words(form);
            knowledge.find(words, text, candidates);
            values.phrases().find(words, text, candidates);
            candidates.removeIf(candidate -> timeSpans.stream()
                    .anyMatch(span -> span.overlaps(candidate.start(), candidate.end())));
            return resolve(range);
        }

        /** Links, corrects or types one token. */
        private void token(Token token) {
            switch (token.kind()) {
                case WORD -> word(token);
                case COMPOUND -> compound(token);
                case PATH -> {
                    String path = token.text();
                    int separator = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
                    String name = path.substring(separator + 1);
                    if (!name.isEmpty()) {
                        named(name, token.end() - name.length(), token.end());
                    }
                }
                case QUOTED -> {
                    String content = token.content();
                    if (content.isBlank()) {
                        return;
                    }
                    linkExactly(content, token.start() + 1, token.end() - 1, false);
                }
                case NUMBER, REFERENCE, REGISTRY_KEY, CODE -> { }
            }
        }

        private void word(Token token) {
            if (any(typed, token.start(), token.end())) {
                return;
            }
            String lower = token.lowerCase();
            boolean vocabulary = lexicon.contains(lower);
            Optional<String> variant = lexicon.variantOf(lower);
            if (variant.isPresent()) {
                forms.put(token.start(), Map.entry(token.end(), variant.get()));
                vocabulary = true;
            }
            if (linkExactly(token.text(), token.start(), token.end(), vocabulary) || vocabulary
                    || NUMBER_WORDS.contains(lower)) {
                return;
            }
            Optional<Lexicon.Match> nearest = lexicon.nearest(lower);
            List<ValueIndex.Link> fuzzy = values.fuzzy(lower);
            if (nearest.isPresent() && (fuzzy.isEmpty() || nearest.get().distance() <= fuzzy.getFirst().distance())) {
                String corrected = nearest.get().word();
                corrections.add(new Correction(token.text(), corrected, token.start(), token.end()));
                forms.put(token.start(), Map.entry(token.end(), corrected));
                double discount = nearest.get().distance() == 1 ? ValueIndex.FUZZY_ONE : ValueIndex.FUZZY_TWO;
                for (ValueIndex.Link link : values.exact(corrected)) {
                    add(link.type(), link.value(), token.start(), token.end(), link.confidence() * discount,
                            Candidate.Source.FUZZY);
                }
            } else {
                fuzzy(token, fuzzy);
            }
        }

        private void compound(Token token) {
            if (linkExactly(token.text(), token.start(), token.end(), false)) {
                return;
            }
            boolean covered = any(typed, token.start(), token.end());
            if (!covered) {
                fuzzy(token, values.fuzzy(token.lowerCase()));
            }
            if (EXECUTABLE.matcher(token.text()).matches()) {
                add(EntityType.PROCESS, token.lowerCase(), token.start(), token.end(), SHAPED_PROCESS,
                        Candidate.Source.PATTERN);
            }
        }

        /** A file name at the end of a path: a stored process, or a process by its {@code .exe}. */
        private void named(String name, int start, int end) {
            if (!linkExactly(name, start, end, false) && EXECUTABLE.matcher(name).matches()) {
                add(EntityType.PROCESS, name.toLowerCase(Locale.ROOT), start, end, SHAPED_PROCESS,
                        Candidate.Source.PATTERN);
            }
        }

        private void fuzzy(Token token, List<ValueIndex.Link> links) {
            for (ValueIndex.Link link : links) {
                add(link.type(), link.value(), token.start(), token.end(), link.confidence(), Candidate.Source.FUZZY);
            }
            boolean unique = links.size() == 1
                    || (links.size() > 1 && links.get(0).confidence() > links.get(1).confidence());
            if (unique) {
                String value = links.getFirst().value();
                corrections.add(new Correction(token.text(), value, token.start(), token.end()));
                forms.put(token.start(), Map.entry(token.end(), value.toLowerCase(Locale.ROOT)));
            }
        }

        /** Adds the stored values the text is or is an alias of; whether there were any. */
        private boolean linkExactly(String written, int start, int end, boolean vocabulary) {
            List<ValueIndex.Link> links = values.exact(written.toLowerCase(Locale.ROOT));
            for (ValueIndex.Link link : links) {
                boolean name = link.type() == EntityType.HOST || link.type() == EntityType.USER;
                double confidence = vocabulary && name ? Math.min(link.confidence(), VOCABULARY_AS_VALUE)
                        : link.confidence();
                add(link.type(), link.value(), start, end, confidence, Candidate.Source.STORE);
            }
            return !links.isEmpty();
        }

        private void add(EntityType type, String value, int start, int end, double confidence,
                Candidate.Source source) {
            candidates.add(Candidate.of(type, value, text.substring(start, end), start, end, confidence, source));
        }

        private Extraction resolve(Optional<TimeRange> time) {
            List<Candidate> ordered = new ArrayList<>(candidates);
            ordered.sort(Comparator.comparingInt(Candidate::length).reversed()
                    .thenComparing(Candidate::source)
                    .thenComparing(candidate -> candidate.mention().confidence(), Comparator.reverseOrder())
                    .thenComparingInt(Candidate::start));
            List<Candidate> accepted = new ArrayList<>();
            Map<Candidate, List<Candidate>> ties = new LinkedHashMap<>();
            for (Candidate candidate : ordered) {
                Candidate blocking = null;
                for (Candidate kept : accepted) {
                    if (kept.mention().overlaps(candidate.mention())) {
                        blocking = kept;
                        break;
                    }
                }
                if (blocking == null) {
                    accepted.add(candidate);
                    continue;
                }
                boolean tie = blocking.sameSpan(candidate) && blocking.source() == candidate.source()
                        && blocking.mention().confidence() == candidate.mention().confidence()
                        && !blocking.sameEntity(candidate);
                if (tie) {
                    List<Candidate> group = ties.computeIfAbsent(blocking, key -> new ArrayList<>(List.of(key)));
                    if (group.stream().noneMatch(candidate::sameEntity)) {
                        group.add(candidate);
                    }
                }
            }
            accepted.sort(Comparator.comparingInt(Candidate::start));
            List<Mention> mentions = accepted.stream().map(Candidate::mention).toList();
            List<List<Mention>> ambiguous = ties.values().stream()
                    .sorted(Comparator.comparingInt(group -> group.getFirst().start()))
                    .map(group -> group.stream().map(Candidate::mention).toList())
                    .toList();
            List<Correction> corrected = new ArrayList<>(corrections);
            corrected.sort(Comparator.comparingInt(Correction::start));
            return new Extraction(prompt.original(), text, prompt.tokens(), mentions, time, corrected, ambiguous);
        }
    }

    private static boolean any(boolean[] marks, int start, int end) {
        for (int i = start; i < end; i++) {
            if (marks[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Extractor[" + lexicon.size() + " vocabulary words]";
    }
}
