package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.script.Behaviours.Behaviour;
import dev.vigil.copilot.script.TechniqueFinding.Evidence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns statements into steps, steps and layers into ATT&amp;CK findings, and all of it into a verdict. */
final class Explainer {
    private Explainer() {}

    /** Statements longer than this are matched on their start only, so that one huge line costs a bounded time. */
    private static final int MATCHED_PREFIX = 100_000;
    private static final int MAX_EVIDENCE = 20;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w{1,40}+)\\}");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\$(\\w{1,64}+)\\s*+[-+*/]?=(?!=)");
    private static final Pattern FUNCTION = Pattern.compile("(?i)^function\\s++([\\w-]{1,100}+)");
    private static final Map<String, String> FALLBACKS = Map.of("url", "a remote address", "path", "a file",
            "host", "a remote host", "key", "a registry key", "port", "an unknown port", "task", "an unnamed task",
            "program", "a program", "service", "an unnamed service", "log", "selected", "node", "this host");

    record Explanation(List<Step> steps, List<TechniqueFinding> techniques, Verdict verdict) {
        Explanation {
            steps = List.copyOf(steps);
            techniques = List.copyOf(techniques);
            requireNonNull(verdict, "verdict is null");
        }
    }

    /** A behaviour found, with its match and where it starts in the script. */
    private record Hit(Behaviour behaviour, MatchResult match, int offset) {}

    static Explanation explain(String decoded, List<Statements.Statement> statements, List<Layer> layers,
            ScriptLanguage language, List<String> notes, Behaviours table) {
        List<List<Hit>> hits = new ArrayList<>();
        for (Statements.Statement statement : statements) {
            List<Hit> found = new ArrayList<>();
            String text = statement.text().length() > MATCHED_PREFIX
                    ? statement.text().substring(0, MATCHED_PREFIX) : statement.text();
            for (Behaviour behaviour : table.behaviours()) {
                if (behaviour.scope() == Behaviours.Scope.STATEMENT) {
                    Matcher matcher = behaviour.match().matcher(text);
                    if (matcher.find()) {
                        found.add(new Hit(behaviour, matcher.toMatchResult(), statement.start() + matcher.start()));
                    }
                }
            }
            hits.add(found);
        }
        for (Behaviour behaviour : table.behaviours()) {
            if (behaviour.scope() == Behaviours.Scope.SCRIPT && !statements.isEmpty()) {
                Matcher matcher = behaviour.match().matcher(decoded);
                Set<Integer> seen = new HashSet<>();
                while (matcher.find() && seen.size() < 100) {
                    int index = statementAt(statements, matcher.start());
                    if (seen.add(index)) {
                        hits.get(index).add(new Hit(behaviour, matcher.toMatchResult(), matcher.start()));
                    }
                }
            }
        }

        List<Step> steps = new ArrayList<>();
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            Statements.Statement statement = statements.get(i);
            List<Hit> found = hits.get(i);
            // in the order the statement says them, so that "-nop -w hidden" reads in that order
            found.sort(Comparator.comparingInt(Hit::offset));
            Set<String> covered = new HashSet<>();
            found.forEach(hit -> covered.addAll(hit.behaviour().covers()));
            List<String> sentences = new ArrayList<>();
            Set<String> techniques = new LinkedHashSet<>();
            Severity severity = Severity.INFO;
            String source = Literals.excerpt(statement.text(), 300);
            for (Hit hit : found) {
                String summary = fill(hit, statement.text());
                techniques.addAll(hit.behaviour().techniques());
                for (String id : hit.behaviour().techniques()) {
                    List<Evidence> reasons = evidence.computeIfAbsent(id, key -> new ArrayList<>());
                    if (reasons.size() < MAX_EVIDENCE) {
                        reasons.add(new Evidence(capitalize(summary), source));
                    }
                }
                if (hit.behaviour().severity().compareTo(severity) > 0) {
                    severity = hit.behaviour().severity();
                }
                if (covered.contains(hit.behaviour().id())) {
                    continue;
                }
                if (!sentences.isEmpty() && Character.isLowerCase(summary.charAt(0))) {
                    sentences.set(sentences.size() - 1, sentences.getLast() + ", " + summary);
                } else {
                    sentences.add(capitalize(summary));
                }
            }
            String summary = sentences.isEmpty() ? unrecognised(statement.text()) : String.join(". ", sentences) + ".";
            steps.add(new Step(i + 1, Literals.excerpt(statement.text(), 500), summary,
                    found.stream().map(hit -> hit.behaviour().id()).toList(), List.copyOf(techniques), severity));
        }

        for (Layer layer : layers) {
            for (String id : table.obfuscationTechniques().getOrDefault(layer.obfuscation(), List.of())) {
                List<Evidence> reasons = evidence.computeIfAbsent(id, key -> new ArrayList<>());
                if (reasons.size() < MAX_EVIDENCE) {
                    reasons.add(new Evidence("Hidden with " + layer.obfuscation().description(), layer.before()));
                }
            }
        }
        String first = statements.isEmpty() ? "" : Literals.excerpt(statements.getFirst().text(), 300);
        if (language == ScriptLanguage.POWERSHELL && !evidence.containsKey("T1059.001")) {
            evidence.put("T1059.001", List.of(new Evidence("The script is written in PowerShell", first)));
        }
        if (language == ScriptLanguage.CMD && !evidence.containsKey("T1059.003")) {
            evidence.put("T1059.003", List.of(new Evidence("The script is written for the Windows command shell",
                    first)));
        }
        List<TechniqueFinding> techniques = new ArrayList<>();
        evidence.forEach((id, reasons) -> techniques.add(new TechniqueFinding(id, table.techniqueName(id), reasons)));
        return new Explanation(steps, techniques, verdict(steps, layers, notes, table));
    }

    private static int statementAt(List<Statements.Statement> statements, int offset) {
        int low = 0;
        int high = statements.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (statements.get(middle).start() <= offset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** The behaviour's summary with its placeholders filled. */
    private static String fill(Hit hit, String statement) {
        Matcher placeholder = PLACEHOLDER.matcher(hit.behaviour().summary());
        StringBuilder out = new StringBuilder();
        List<Indicator> indicators = null;
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = null;
            if (hit.match().namedGroups().containsKey(name)) {
                value = hit.match().group(name);
            }
            Pattern extract = hit.behaviour().extract().get(name);
            if (value == null && extract != null) {
                Matcher matcher = extract.matcher(statement);
                value = matcher.find() ? matcher.group(1) : null;
            }
            if (value == null) {
                if (indicators == null) {
                    indicators = ScriptIndicators.extract(List.of(new Statements.Statement(statement, 0)));
                }
                value = fromIndicators(name, indicators);
            }
            value = value == null ? FALLBACKS.getOrDefault(name, "(unknown " + name + ")") : unquote(value);
            placeholder.appendReplacement(out, Matcher.quoteReplacement(Literals.excerpt(value, 200)));
        }
        placeholder.appendTail(out);
        return out.toString();
    }

    private static String fromIndicators(String name, List<Indicator> indicators) {
        List<Indicator.Type> types = switch (name) {
            case "url" -> List.of(Indicator.Type.URL);
            case "path" -> List.of(Indicator.Type.FILE_PATH);
            case "key" -> List.of(Indicator.Type.REGISTRY_KEY);
            case "host", "node" -> List.of(Indicator.Type.DOMAIN, Indicator.Type.IPV4, Indicator.Type.IPV6);
            case "ip" -> List.of(Indicator.Type.IPV4, Indicator.Type.IPV6);
            case "domain" -> List.of(Indicator.Type.DOMAIN);
            default -> List.of();
        };
        for (Indicator.Type type : types) {
            for (Indicator indicator : indicators) {
                if (indicator.type() == type) {
                    return indicator.value();
                }
            }
        }
        return null;
    }

    private static String unquote(String value) {
        String stripped = value.strip();
        if (stripped.length() >= 2 && (stripped.charAt(0) == '"' || stripped.charAt(0) == '\'')
                && stripped.charAt(stripped.length() - 1) == stripped.charAt(0)) {
            return stripped.substring(1, stripped.length() - 1);
        }
        return stripped;
    }

    private static String unrecognised(String statement) {
        Matcher assignment = ASSIGNMENT.matcher(statement);
        if (assignment.find()) {
            return "Assigns a value to $" + assignment.group(1) + "; nothing known to attacks was recognised in it.";
        }
        Matcher function = FUNCTION.matcher(statement);
        if (function.find()) {
            return "Defines the function " + function.group(1) + ".";
        }
        return "Runs `" + Literals.excerpt(statement, 100) + "`; nothing known to attacks was recognised in it.";
    }

    private static String capitalize(String sentence) {
        return sentence.isEmpty() ? sentence : sentence.substring(0, 1).toUpperCase(Locale.ROOT) + sentence.substring(1);
    }

    private static Verdict verdict(List<Step> steps, List<Layer> layers, List<String> notes, Behaviours table) {
        List<String> malicious = summaries(steps, Severity.MALICIOUS);
        List<String> suspicious = summaries(steps, Severity.SUSPICIOUS);
        Set<Obfuscation> hiding = new LinkedHashSet<>();
        for (Layer layer : layers) {
            if (table.obfuscationTechniques().getOrDefault(layer.obfuscation(), List.of()).contains("T1027")) {
                hiding.add(layer.obfuscation());
            }
        }
        String obfuscation = hiding.isEmpty() ? null : "It hides its code under " + hiding.size()
                + (hiding.size() == 1 ? " kind" : " kinds") + " of obfuscation: "
                + String.join(", ", hiding.stream().map(Obfuscation::key).toList()) + ".";
        boolean incomplete = notes.stream().anyMatch(note -> note.startsWith("stopped"));
        List<String> reasons = new ArrayList<>();
        if (!malicious.isEmpty()) {
            reasons.addAll(malicious);
            if (obfuscation != null) {
                reasons.add(obfuscation);
            }
            return new Verdict(Verdict.Risk.MALICIOUS, reasons);
        }
        if (obfuscation != null && !suspicious.isEmpty()) {
            reasons.add(obfuscation);
            reasons.addAll(suspicious);
            return new Verdict(Verdict.Risk.MALICIOUS, reasons);
        }
        if (obfuscation != null || !suspicious.isEmpty() || incomplete) {
            if (obfuscation != null) {
                reasons.add(obfuscation);
            }
            reasons.addAll(suspicious);
            if (incomplete) {
                reasons.add("It could not be decoded completely: " + notes.stream()
                        .filter(note -> note.startsWith("stopped")).findFirst().orElseThrow() + ".");
            }
            return new Verdict(Verdict.Risk.SUSPICIOUS, reasons);
        }
        reasons.add(steps.isEmpty() ? "The script is empty."
                : "No obfuscation and no behaviour typical of attacks was recognised.");
        return new Verdict(Verdict.Risk.BENIGN_LOOKING, reasons);
    }

    private static List<String> summaries(List<Step> steps, Severity severity) {
        return steps.stream().filter(step -> step.severity() == severity)
                .map(step -> "Step " + step.number() + ": " + step.summary()).limit(10).toList();
    }
}
