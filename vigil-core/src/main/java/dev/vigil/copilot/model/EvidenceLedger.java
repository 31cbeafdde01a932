package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evidence contract with a model: the skills' results, numbered so the model can cite them ({@code [E1]}), and
 * the check of what it wrote.
 *
 * <p>The model may cite only the evidence ids given. A sentence with no valid citation is marked
 * {@value #UNVERIFIED}; a citation of an id that was not given is removed; a number that appears nowhere in the
 * results is flagged {@value #UNKNOWN_NUMBER}. Images are removed and links are shown as text, so that rendering an
 * answer cannot send data anywhere.
 */
public final class EvidenceLedger {
    /** What marks a claim without valid evidence. */
    public static final String UNVERIFIED = "(unverified)";
    /** What follows a number that is not in the results. */
    public static final String UNKNOWN_NUMBER = "(number not in the results)";

    private static final Pattern CITATION = Pattern.compile("\\[(E\\d{1,4}(?:\\s*,\\s*E\\d{1,4})*)\\]");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])\\d+(?:[.,:]\\d+)*(?![\\w])");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9*_\\[(\"'])");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)]*)\\)");
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[([^\\]]+)\\]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern TAG = Pattern.compile("<(/?[A-Za-z][^>]*)>");

    /** One piece of evidence as the model sees it. */
    public record Item(String id, String skill, String claim, List<String> refs) {
        public Item {
            requireNonNull(id, "id is null");
            refs = List.copyOf(refs);
        }
    }

    /**
     * What the check made of the model's prose.
     *
     * @param markdown the prose as the analyst sees it: marks added, bad citations removed
     * @param cited the evidence ids cited validly, in order of first citation
     * @param unverified how many sentences carry no valid citation
     * @param removedCitations ids the model cited that were never given
     * @param unknownNumbers numbers that appear nowhere in the results
     */
    public record Checked(String markdown, List<String> cited, int unverified, List<String> removedCitations,
            List<String> unknownNumbers) {
        public Checked {
            cited = List.copyOf(cited);
            removedCitations = List.copyOf(removedCitations);
            unknownNumbers = List.copyOf(unknownNumbers);
        }
    }

    private final List<SkillResult> results;
    private final Map<String, Item> items;
    private final Set<String> numbers;

    private EvidenceLedger(List<SkillResult> results, Map<String, Item> items, Set<String> numbers) {
        this.results = results;
        this.items = items;
        this.numbers = numbers;
    }

    /** Numbers the evidence of skill results, in order: {@code E1}, {@code E2} ... */
    public static EvidenceLedger of(List<SkillResult> results) {
        Map<String, Item> items = new LinkedHashMap<>();
        StringBuilder all = new StringBuilder();
        for (SkillResult result : results) {
            all.append(text(result)).append('\n');
            for (Evidence e : result.evidence()) {
                String id = "E" + (items.size() + 1);
                items.put(id, new Item(id, result.skill(), e.claim(), e.refs()));
                all.append(e.claim()).append(' ').append(String.join(" ", e.refs())).append('\n');
            }
        }
        Set<String> numbers = new HashSet<>();
        Matcher m = NUMBER.matcher(all);
        while (m.find()) {
            numbers.addAll(forms(m.group()));
        }
        return new EvidenceLedger(List.copyOf(results), java.util.Collections.unmodifiableMap(items), numbers);
    }

    public Map<String, Item> items() {
        return items;
    }

    /**
     * The results and the evidence as the model receives them: every piece of text from the data inside a
     * {@link UntrustedData} block.
     *
     * @param redact applied to each text before it is wrapped
     */
    public String render(UnaryOperator<String> redact) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < results.size(); i++) {
            SkillResult result = results.get(i);
            out.append("Result R").append(i + 1).append(" of skill ").append(result.skill()).append(" (")
                    .append(result.status().name().toLowerCase(java.util.Locale.ROOT)).append("):\n");
            out.append(UntrustedData.wrap("R" + (i + 1), "skill:" + result.skill(), redact.apply(text(result))))
                    .append("\n\n");
        }
        if (items.isEmpty()) {
            out.append("No evidence ids were returned: every sentence you write will be marked unverified.\n");
        } else {
            out.append("Evidence you may cite, by id:\n");
            for (Item item : items.values()) {
                out.append(item.id()).append(' ').append(UntrustedData.wrap(item.id(), "skill:" + item.skill(),
                        redact.apply(item.claim() + " (" + String.join(", ", item.refs()) + ")"))).append('\n');
            }
        }
        return out.toString();
    }

    /** Checks prose the model wrote (with placeholders already restored) against the results. */
    public Checked check(String prose) {
        String text = neutralize(prose);
        List<String> cited = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int[] unverified = {0};
        StringBuilder out = new StringBuilder();
        boolean code = false;
        String[] lines = text.split("\n", -1);
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l];
            if (line.strip().startsWith("```")) {
                code = !code;
            }
            if (code || line.isBlank() || line.strip().startsWith("#") || line.strip().startsWith("|")
                    || line.strip().startsWith("```")) {
                out.append(line);
            } else {
                String[] sentences = SENTENCE_END.split(line);
                for (int s = 0; s < sentences.length; s++) {
                    if (s > 0) {
                        out.append(' ');
                    }
                    out.append(checkSentence(sentences[s], cited, removed, unknown, unverified));
                }
            }
            if (l < lines.length - 1) {
                out.append('\n');
            }
        }
        return new Checked(out.toString(), cited, unverified[0], removed, unknown);
    }

    private String checkSentence(String sentence, List<String> cited, List<String> removed, List<String> unknown,
            int[] unverified) {
        boolean valid = false;
        Matcher m = CITATION.matcher(sentence);
        StringBuilder kept = new StringBuilder();
        while (m.find()) {
            List<String> good = new ArrayList<>();
            for (String id : m.group(1).split("\\s*,\\s*")) {
                if (items.containsKey(id)) {
                    good.add(id);
                    if (!cited.contains(id)) {
                        cited.add(id);
                    }
                } else {
                    removed.add(id);
                }
            }
            valid |= !good.isEmpty();
            m.appendReplacement(kept, good.isEmpty() ? "" : Matcher.quoteReplacement("[" + String.join(", ", good) + "]"));
        }
        m.appendTail(kept);
        String body = kept.toString().replaceAll("\\s+([.,;:!?])", "$1").replaceAll(" {2,}", " ");
        // every number is checked; a citation's id (E12) is not a number, as a letter precedes its digits
        Matcher n = NUMBER.matcher(body);
        StringBuilder flagged = new StringBuilder();
        while (n.find()) {
            String number = n.group();
            if (forms(number).stream().anyMatch(numbers::contains) || isListMarker(body, n)) {
                n.appendReplacement(flagged, Matcher.quoteReplacement(number));
            } else {
                unknown.add(number);
                n.appendReplacement(flagged, Matcher.quoteReplacement(number + " " + UNKNOWN_NUMBER));
            }
        }
        n.appendTail(flagged);
        String result = flagged.toString();
        if (!valid && isClaim(result)) {
            unverified[0]++;
            Matcher end = Pattern.compile("([.!?]*)(\\s*)$").matcher(result);
            end.find();
            result = result.substring(0, end.start()) + " " + UNVERIFIED + end.group(1) + end.group(2);
        }
        return result;
    }

    /** Whether a sentence states something: not a list's lead-in ("Findings:") nor a word or two. */
    private static boolean isClaim(String sentence) {
        String s = sentence.strip().replaceFirst("^([-*+]|\\d+\\.)\\s+", "");
        if (s.endsWith(":") || s.isEmpty()) {
            return false;
        }
        return s.split("\\s+").length >= 3 || s.matches(".*\\d.*");
    }

    private static boolean isListMarker(String body, Matcher n) {
        return body.substring(0, n.start()).isBlank() && body.startsWith(".", n.end());
    }

    /** A number and its spellings: {@code 2,000} is also {@code 2000}; {@code 3.0} is also {@code 3}. */
    private static Set<String> forms(String number) {
        Set<String> forms = new HashSet<>();
        forms.add(number);
        String plain = number.replace(",", "");
        forms.add(plain);
        if (plain.matches("\\d+\\.0+")) {
            forms.add(plain.substring(0, plain.indexOf('.')));
        }
        return forms;
    }

    /** Images removed and links made text, so that showing the answer fetches nothing; HTML tags made visible. */
    static String neutralize(String prose) {
        String out = IMAGE.matcher(prose).replaceAll("[image removed]");
        out = LINK.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " (`" + m.group(2) + "`)"));
        return TAG.matcher(out).replaceAll(m -> Matcher.quoteReplacement("&lt;" + m.group(1) + "&gt;"));
    }

    /** Everything a result says, as text: its prose, tables, facts and queries. */
    static String text(SkillResult result) {
        StringBuilder out = new StringBuilder(result.markdown());
        for (Table table : result.tables()) {
            out.append("\n\nTable: ").append(table.title()).append("\n| ").append(String.join(" | ", table.columns()))
                    .append(" |");
            for (List<Object> row : table.rows()) {
                out.append("\n| ");
                for (int i = 0; i < row.size(); i++) {
                    out.append(i == 0 ? "" : " | ").append(row.get(i) == null ? "" : String.valueOf(row.get(i)));
                }
                out.append(" |");
            }
        }
        if (!result.facts().isEmpty()) {
            out.append("\n\nFacts:");
            result.facts().forEach((k, v) -> out.append("\n- ").append(k).append(": ").append(v));
        }
        for (ExecutedQuery q : result.queries()) {
            out.append("\n\nQuery (").append(q.language()).append(", ").append(q.rows()).append(" rows): ")
                    .append(q.text());
        }
        return out.toString();
    }
}
