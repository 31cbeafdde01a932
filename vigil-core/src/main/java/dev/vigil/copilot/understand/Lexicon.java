package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.EditDistance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's vocabulary, as the spelling corrector needs it: which words are known, the nearest known word to a
 * misspelt one, and which words are a known word in another spelling.
 *
 * <p>A misspelt word is corrected to the known word within the edit distance its length allows (none up to 3
 * characters, 1 up to 7, 2 from 8); the closest wins, then one with the same first letter (people rarely mistype the
 * first letter), then the one whose length is closest, then the first in alphabetical order, so the outcome never
 * depends on the order the vocabulary came in. Only words of letters are corrected to vocabulary: a word with digits
 * is a name or a number.
 *
 * <p>British and American spellings are variants, not typos: "summarise", "analyse" and "behaviour" stand for
 * "summarize", "analyze" and "behavior" when only those are known, and no correction is recorded for them.
 */
final class Lexicon {
    private final Set<String> words;
    /** The words by length, each list sorted, so a look-up only reads words of a length within reach. */
    private final List<List<String>> byLength;

    Lexicon(Collection<String> words) {
        requireNonNull(words, "words is null");
        Set<String> known = new HashSet<>();
        for (String word : words) {
            if (word != null && !word.isBlank()) {
                known.add(word.strip().toLowerCase(Locale.ROOT));
            }
        }
        this.words = Set.copyOf(known);
        int longest = known.stream().mapToInt(String::length).max().orElse(0);
        List<List<String>> lists = new ArrayList<>();
        for (int i = 0; i <= longest; i++) {
            lists.add(new ArrayList<>());
        }
        known.forEach(word -> lists.get(word.length()).add(word));
        lists.forEach(list -> list.sort(null));
        this.byLength = lists.stream().map(List::copyOf).toList();
    }

    /** Whether the word, lower-case, is in the vocabulary. */
    boolean contains(String lower) {
        return words.contains(lower);
    }

    int size() {
        return words.size();
    }

    /** The known word this one is a spelling variant of, if it is not known itself. */
    Optional<String> variantOf(String lower) {
        if (words.contains(lower)) {
            return Optional.empty();
        }
        for (String[] variant : VARIANTS) {
            int at = lower.lastIndexOf(variant[0]);
            if (at > 0) {
                String american = lower.substring(0, at) + variant[1] + lower.substring(at + variant[0].length());
                if (words.contains(american)) {
                    return Optional.of(american);
                }
            }
        }
        return Optional.empty();
    }

    private static final String[][] VARIANTS = {{"isation", "ization"}, {"ising", "izing"}, {"ised", "ized"},
        {"ises", "izes"}, {"ise", "ize"}, {"ysing", "yzing"}, {"ysed", "yzed"}, {"yse", "yze"}, {"our", "or"},
        {"ogue", "og"}, {"tre", "ter"}, {"ence", "ense"}};

    /** A correction of the word within the distance its length allows, and that distance; empty if none. */
    Optional<Match> nearest(String lower) {
        int allowed = ValueIndex.allowedDistance(lower.length());
        if (allowed == 0 || words.contains(lower) || !lower.chars().allMatch(Character::isLetter)) {
            return Optional.empty();
        }
        Match best = null;
        for (int length = Math.max(0, lower.length() - allowed);
                length <= Math.min(byLength.size() - 1, lower.length() + allowed); length++) {
            for (String word : byLength.get(length)) {
                int distance = EditDistance.ignoringCase(lower, word);
                if (distance > allowed) {
                    continue;
                }
                Match match = new Match(word, distance);
                if (best == null || better(match, best, lower)) {
                    best = match;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(Match candidate, Match best, String typed) {
        if (candidate.distance() != best.distance()) {
            return candidate.distance() < best.distance();
        }
        boolean candidateFirst = candidate.word().charAt(0) == typed.charAt(0);
        boolean bestFirst = best.word().charAt(0) == typed.charAt(0);
        if (candidateFirst != bestFirst) {
            return candidateFirst;
        }
        int candidateLength = Math.abs(candidate.word().length() - typed.length());
        int bestLength = Math.abs(best.word().length() - typed.length());
        if (candidateLength != bestLength) {
            return candidateLength < bestLength;
        }
        return candidate.word().compareTo(best.word()) < 0;
    }

    /** A known word and its distance from the typed one. */
    record Match(String word, int distance) {}
}
