package dev.vigil.report;

import dev.vigil.copilot.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an executive report leaves out and explains: identifiers an analyst reads (ATT&amp;CK technique ids, rule
 * ids, record references) are removed from its prose and tables, and the terms it still uses are explained in a
 * glossary. The skills behind executive sections already phrase their text in plain words; this is the net under
 * them, so that a template bound to any skill reads plainly too.
 */
public final class PlainLanguage {
    /** A technique id, with the colon or brackets around it when it stands beside the technique's name. */
    private static final Pattern TECHNIQUE_BESIDE_NAME = Pattern.compile("\\bT\\d{4}(?:\\.\\d{3})?:?\\s+(?=[A-Z])");
    private static final Pattern TECHNIQUE_IN_BRACKETS = Pattern.compile("\\s*\\(T\\d{4}(?:\\.\\d{3})?(?:,\\s*T\\d{4}(?:\\.\\d{3})?)*\\)");
    private static final Pattern TECHNIQUE = Pattern.compile("\\bT\\d{4}(?:\\.\\d{3})?\\b");
    private static final Pattern UUID = Pattern.compile("\\s*\\(?\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b\\)?");
    /** Columns an executive does not read: identifiers and record references. */
    private static final Set<String> ID_COLUMNS = Set.of("rule id", "rule_id", "evidence", "technique", "techniques",
            "technique id", "technique_id", "alert id", "alert_id", "id", "refs");

    /** Terms an executive report may use, and what each means. */
    static final Map<String, String> TERMS = terms();

    private PlainLanguage() {}

    private static Map<String, String> terms() {
        Map<String, String> terms = new LinkedHashMap<>();
        terms.put("Alert", "A signal raised when a detection rule matched activity in the logs; several alerts about"
                + " the same attack are grouped into one incident.");
        terms.put("ATT&CK", "MITRE ATT&CK, the public catalogue of attacker tactics (goals, such as stealing"
                + " credentials) and techniques (ways of reaching them), used to describe what an attacker did.");
        terms.put("Detection rule", "A rule that describes suspicious activity; when activity in the logs matches it,"
                + " an alert is raised.");
        terms.put("Exposure score", "A score from 0 (nothing exposed) to 100 (highly exposed) that weighs the known"
                + " weaknesses of each system by how critical the system is and whether it faces the internet.");
        terms.put("Incident", "A suspected attack or security problem that needs an analyst's attention, made of one"
                + " or more related alerts.");
        terms.put("Known exploited", "A vulnerability that the US Cybersecurity and Infrastructure Security Agency"
                + " (CISA) lists as used by attackers in real attacks, with a date by which it should be fixed.");
        terms.put("MTTA", "Mean time to acknowledge: how long, on average, an incident waited before an analyst first"
                + " acted on it.");
        terms.put("MTTR", "Mean time to resolve: how long, on average, it took from an incident's opening to its"
                + " resolution.");
        terms.put("Remediation", "The change that removes a weakness: an update, a configuration change or a"
                + " compensating control.");
        return terms;
    }

    /** The prose with technique ids and rule ids removed; the technique's name, when beside it, stays. */
    public static String prose(String markdown) {
        String text = TECHNIQUE_IN_BRACKETS.matcher(markdown).replaceAll("");
        text = TECHNIQUE_BESIDE_NAME.matcher(text).replaceAll("");
        text = TECHNIQUE.matcher(text).replaceAll("a technique");
        return UUID.matcher(text).replaceAll("");
    }

    /** The table without identifier columns; a table that would keep no column is kept whole. */
    public static Table table(Table table) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            String column = table.columns().get(i).toLowerCase(Locale.ROOT);
            if (!ID_COLUMNS.contains(column)) {
                kept.add(i);
            }
        }
        if (kept.isEmpty() || kept.size() == table.columns().size()) {
            return table;
        }
        List<String> columns = kept.stream().map(table.columns()::get).toList();
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : table.rows()) {
            List<Object> cells = new ArrayList<>();
            kept.forEach(i -> cells.add(row.get(i)));
            rows.add(cells);
        }
        return new Table(table.title(), columns, rows);
    }

    /** The terms of {@link #TERMS} that the text uses, with their explanations. */
    public static Map<String, String> glossary(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        Map<String, String> used = new LinkedHashMap<>();
        TERMS.forEach((term, meaning) -> {
            if (Pattern.compile("\\b" + Pattern.quote(term.toLowerCase(Locale.ROOT)) + "s?\\b").matcher(lower).find()
                    || term.equals("ATT&CK") && lower.contains("att&ck")) {
                used.put(term, meaning);
            }
        });
        return used;
    }
}
