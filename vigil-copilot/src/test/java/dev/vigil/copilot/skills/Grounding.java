package dev.vigil.copilot.skills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the rule every skill answers by: each number of its markdown comes from what it read, so it appears in the
 * result's tables, facts, evidence, queries or charts.
 *
 * <p>A number is a run of digits standing alone ({@code 3}, {@code 62.4}, {@code 45.137.21.9}, the parts of
 * {@code CVE-2023-4966} and {@code 2025-08-25}); digits inside identifiers ({@code T1003.001}, {@code G0016}, hashes)
 * are part of those. Numbers compare by value, so {@code 3} matches a cell of {@code 3.0}.
 */
final class Grounding {
    private Grounding() {}

    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z0-9_])\\d+(?:[.:]\\d+)*(?![A-Za-z0-9_])");

    /** The numbers of the markdown that nothing behind it holds. */
    static List<String> ungrounded(SkillResult result) {
        Set<String> known = new LinkedHashSet<>();
        StringBuilder corpus = new StringBuilder();
        for (Table table : result.tables()) {
            corpus.append(table.title()).append('\n').append(table.columns()).append('\n');
            table.rows().forEach(row -> row.forEach(cell -> corpus.append(cell).append('\n')));
        }
        result.facts().values().forEach(value -> append(value, corpus));
        for (Evidence evidence : result.evidence()) {
            corpus.append(evidence.claim()).append('\n').append(evidence.refs()).append('\n');
        }
        result.queries().forEach(q -> corpus.append(q.text()).append('\n').append(q.rows()).append('\n'));
        for (Chart chart : result.charts()) {
            corpus.append(chart.labels()).append('\n');
            chart.series().forEach(s -> s.values().forEach(v -> corpus.append(v).append('\n')));
        }
        Matcher inCorpus = NUMBER.matcher(corpus);
        while (inCorpus.find()) {
            known.add(normal(inCorpus.group()));
        }
        List<String> missing = new ArrayList<>();
        Matcher inMarkdown = NUMBER.matcher(result.markdown());
        while (inMarkdown.find()) {
            if (!known.contains(normal(inMarkdown.group()))) {
                int from = Math.max(0, inMarkdown.start() - 40);
                int to = Math.min(result.markdown().length(), inMarkdown.end() + 40);
                missing.add(inMarkdown.group() + " in \"…" + result.markdown().substring(from, to) + "…\"");
            }
        }
        return missing;
    }

    static void assertGrounded(SkillResult result) {
        assertThat(ungrounded(result)).as("numbers of the markdown that no table, fact or evidence holds:\n%s",
                result.markdown()).isEmpty();
    }

    private static void append(Object value, StringBuilder corpus) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                corpus.append(k).append('\n');
                append(v, corpus);
            });
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(v -> append(v, corpus));
        } else {
            corpus.append(value).append('\n');
        }
    }

    private static String normal(String number) {
        if (number.indexOf(':') >= 0 || number.indexOf('.') != number.lastIndexOf('.')) {
            return number;
        }
        return new BigDecimal(number).stripTrailingZeros().toPlainString();
    }
}
