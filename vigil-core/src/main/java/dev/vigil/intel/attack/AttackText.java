package dev.vigil.intel.attack;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Text handling shared by look-ups and search: ATT&amp;CK Markdown to plain text, name keys and search tokens. */
final class AttackText {
    private AttackText() {}

    // "(Citation: Microsoft LSA)"; a few citation names hold one level of parentheses themselves.
    private static final Pattern CITATION = Pattern.compile("\\s*\\(Citation:[^()]*(?:\\([^()]*\\)[^()]*)*\\)");
    // "[APT29](https://attack.mitre.org/groups/G0016)" reads as "APT29".
    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\[]*)\\]\\((?:https?://|/)[^)\\s]*\\)");
    // Only the formatting tags ATT&CK uses: "<code>cmd /c <command></code>" keeps its "<command>".
    private static final Pattern TAG = Pattern.compile("</?(?:code|b|i|em|strong|br|p|ul|ol|li|sup|sub)\\s*/?>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SPACES = Pattern.compile("[ \\t]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    /** The description without citations, link targets and formatting tags; paragraphs stay apart. */
    static String plain(String markdown) {
        if (markdown.isEmpty()) {
            return markdown;
        }
        String text = CITATION.matcher(markdown).replaceAll("");
        text = LINK.matcher(text).replaceAll("$1");
        text = TAG.matcher(text).replaceAll("");
        return SPACES.matcher(text).replaceAll(" ").strip();
    }

    /**
     * The key names and ids are looked up by: compatibility-normalized, lower-cased, inner whitespace collapsed. So
     * {@code "cozy  bear"}, {@code "Cozy Bear"} and a full-width {@code "ＡＰＴ２９"} find what they name.
     */
    static String key(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
        return SPACES.matcher(folded.replace('\u00a0', ' ')).replaceAll(" ");
    }

    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "been", "by",
            "can", "could", "do", "for", "from", "has", "have", "how", "if", "in", "into", "is", "it", "its", "may",
            "not", "of", "on", "or", "such", "than", "that", "the", "their", "then", "there", "these", "they", "this",
            "those", "to", "via", "was", "were", "what", "when", "which", "while", "who", "will", "with", "within");

    /**
     * Search tokens: accents and case folded, split at anything but letters and digits, stop words and one-letter
     * tokens dropped, and a plural {@code s} folded ({@code credentials} finds {@code credential}) while {@code ss}
     * endings stay ({@code lsass}, {@code process}). No other stemming: ATT&amp;CK's vocabulary is technical and a
     * stemmer mangles it more than it helps.
     */
    static List<String> tokens(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= folded.length(); i++) {
            boolean word = i < folded.length() && Character.isLetterOrDigit(folded.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                String token = fold(folded.substring(start, i));
                if (token.length() > 1 && !STOP_WORDS.contains(token)) {
                    tokens.add(token);
                }
                start = -1;
            }
        }
        return tokens;
    }

    private static String fold(String token) {
        int length = token.length();
        if (length > 3 && token.charAt(length - 1) == 's' && token.charAt(length - 2) != 's'
                && token.charAt(length - 2) != 'u' && token.charAt(length - 2) != 'i') {
            return token.substring(0, length - 1);
        }
        return token;
    }
}
