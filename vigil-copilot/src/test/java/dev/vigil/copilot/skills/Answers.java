package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that hold for every answer of a skill. */
final class Answers {
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern REF = Pattern.compile("(incident:\\d+|alert:[0-9a-f-]{36}|event:[0-9a-f-]{36}"
            + "|attack:[A-Z]+\\d{4}(\\.\\d{3})?|asset:\\S+|finding:\\S+|kev:\\S+|query:\\d+|indicator:.+|cve:.+)");

    private Answers() {}

    /** The answer's first sentence (up to the first period followed by a space or the end). */
    static String firstSentence(SkillResult result) {
        String text = result.markdown();
        int end = text.indexOf(". ");
        int paragraph = text.indexOf("\n\n");
        int cut = end < 0 ? paragraph : paragraph < 0 ? end + 1 : Math.min(end + 1, paragraph);
        return cut < 0 ? text : text.substring(0, cut);
    }

    /**
     * Every number of the markdown appears among the numbers of the tables, facts, evidence or subjects: the prose
     * carries no figure that the structured parts do not.
     */
    static void assertGrounded(SkillResult result) {
        StringBuilder corpus = new StringBuilder();
        for (Table table : result.tables()) {
            corpus.append(table.title()).append('\n');
            table.rows().forEach(row -> corpus.append(row).append('\n'));
        }
        corpus.append(result.facts()).append('\n');
        for (Evidence evidence : result.evidence()) {
            corpus.append(evidence.claim()).append(' ').append(evidence.refs()).append('\n');
        }
        corpus.append(result.subjects());
        Set<String> known = numbers(corpus.toString());
        Set<String> said = numbers(result.markdown());
        said.removeAll(known);
        assertThat(said).as("numbers in the markdown that no table, fact or evidence holds:\n%s",
                result.markdown()).isEmpty();
    }

    /** Every evidence reference is of a known kind, and every {@code query:<n>} names a query the result ran. */
    static void assertEvidenceWellFormed(SkillResult result) {
        for (Evidence evidence : result.evidence()) {
            for (String ref : evidence.refs()) {
                assertThat(ref).as("a reference of claim '%s'", evidence.claim()).matches(REF);
                if (ref.startsWith("query:")) {
                    assertThat(Integer.parseInt(ref.substring(6))).isLessThan(result.queries().size());
                }
            }
        }
    }

    static List<String> refs(SkillResult result) {
        return result.evidence().stream().flatMap(e -> e.refs().stream()).toList();
    }

    private static Set<String> numbers(String text) {
        Set<String> numbers = new LinkedHashSet<>();
        Matcher matcher = NUMBER.matcher(text);
        while (matcher.find()) {
            numbers.add(matcher.group().replaceFirst("^0+(?=\\d)", ""));
        }
        return numbers;
    }
}
