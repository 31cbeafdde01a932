package dev.vigil.copilot.understand;

import dev.vigil.copilot.EntityType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names of one or more words found as phrases: ATT&amp;CK names ("lateral movement", "Cozy Bear") and stored values
 * of several words (the rule "Suspicious LSASS Access", the product "Microsoft Exchange Server").
 *
 * <p>A name is its runs of letters and digits, lower-cased; it matches the same runs in the prompt, whole, separated
 * by white space or by one of {@code - _ : / ' &} (so "pass-the-hash" is "Pass the Hash" and "OS Credential
 * Dumping: LSASS Memory" its own name), but not across a comma, a full stop or a line break. The longest name
 * starting at a word wins. Phrases are indexed by their first word, so a prompt is read once whatever their number.
 */
final class Phrases {
    /** One word of the prompt: its lower-case form (after spelling correction) and its span. */
    record Word(String form, int start, int end) {}

    /** A name, its words, and what it stands for. */
    record Phrase(String[] words, EntityType type, String value, double confidence, Candidate.Source source) {}

    private final Map<String, List<Phrase>> byFirstWord;

    private Phrases(Map<String, List<Phrase>> byFirstWord) {
        this.byFirstWord = byFirstWord;
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private final Map<String, List<Phrase>> byFirstWord = new HashMap<>();

        /** Adds a name; a name without letters or digits is ignored. */
        Builder add(String name, EntityType type, String value, double confidence, Candidate.Source source) {
            String[] words = words(name);
            if (words.length > 0) {
                byFirstWord.computeIfAbsent(words[0], key -> new ArrayList<>())
                        .add(new Phrase(words, type, value, confidence, source));
            }
            return this;
        }

        Phrases build() {
            Map<String, List<Phrase>> sorted = new HashMap<>(byFirstWord.size() * 2);
            byFirstWord.forEach((first, phrases) -> {
                List<Phrase> longestFirst = new ArrayList<>(phrases);
                longestFirst.sort(Comparator.comparingInt((Phrase phrase) -> phrase.words().length).reversed());
                sorted.put(first, List.copyOf(longestFirst));
            });
            return new Phrases(sorted);
        }
    }

    /** The runs of letters and digits of a name, lower-case. */
    static String[] words(String name) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < name.length()) {
            if (!Character.isLetterOrDigit(name.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < name.length() && Character.isLetterOrDigit(name.charAt(i))) {
                i++;
            }
            words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
        }
        return words.toArray(String[]::new);
    }

    /** The words of the form text, at their offsets in the normalized prompt. */
    static List<Word> words(FormText form) {
        String text = form.text();
        List<Word> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            words.add(new Word(text.substring(start, i), form.sourceStart(start), form.sourceEnd(i)));
        }
        return words;
    }

    boolean isEmpty() {
        return byFirstWord.isEmpty();
    }

    /** Every phrase found, the longest at each word, as candidates over the normalized text. */
    void find(List<Word> words, String text, List<Candidate> into) {
        for (int w = 0; w < words.size(); w++) {
            List<Phrase> phrases = byFirstWord.get(words.get(w).form());
            if (phrases == null) {
                continue;
            }
            int longest = 0;
            for (Phrase phrase : phrases) {
                int length = phrase.words().length;
                if (longest > length) {
                    break;
                }
                if (matches(phrase, words, w, text)) {
                    int start = words.get(w).start();
                    int end = words.get(w + length - 1).end();
                    into.add(Candidate.of(phrase.type(), phrase.value(), text.substring(start, end), start, end,
                            phrase.confidence(), phrase.source()));
                    longest = length;
                }
            }
        }
    }

    private static boolean matches(Phrase phrase, List<Word> words, int from, String text) {
        String[] expected = phrase.words();
        if (from + expected.length > words.size()) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            Word word = words.get(from + i);
            if (!word.form().equals(expected[i])) {
                return false;
            }
            if (i > 0 && !joins(text, words.get(from + i - 1).end(), word.start())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the gap between two words of a phrase may join them. */
    private static boolean joins(String text, int from, int to) {
        if (to - from > 3) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (" -_:/'&".indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Phrases" + Arrays.toString(byFirstWord.keySet().stream().limit(10).toArray());
    }
}
