package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What {@link ScriptAnalyzer#analyze(String)} found in one script.
 *
 * @param language the language detected from the original's first command and syntax
 * @param original the script as pasted
 * @param decoded the script with every obfuscation layer the analyzer could undo undone; equal to the original if
 *     there was none
 * @param layers the layers undone, in order
 * @param steps the statements of the decoded script with what each does, in order
 * @param techniques the ATT&amp;CK techniques used, each once, in the order first seen
 * @param indicators the indicators in the decoded script, each type and value once, in the order first seen
 * @param verdict how risky the script looks and why
 * @param notes what the analyzer could not do and why: a depth or size limit reached, base64 that is not valid, a
 *     payload that is binary, a decompressed payload cut at its limit; empty if nothing got in the way
 */
public record ScriptAnalysis(ScriptLanguage language, String original, String decoded, List<Layer> layers,
        List<Step> steps, List<TechniqueFinding> techniques, List<Indicator> indicators, Verdict verdict,
        List<String> notes) {
    public ScriptAnalysis {
        requireNonNull(language, "language is null");
        requireNonNull(original, "original is null");
        requireNonNull(decoded, "decoded is null");
        layers = List.copyOf(requireNonNull(layers, "layers is null"));
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        techniques = List.copyOf(requireNonNull(techniques, "techniques is null"));
        indicators = List.copyOf(requireNonNull(indicators, "indicators is null"));
        requireNonNull(verdict, "verdict is null");
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
    }

    /** The ids of the techniques found, in order. */
    public List<String> techniqueIds() {
        return techniques.stream().map(TechniqueFinding::id).toList();
    }

    /** Whether any obfuscation layer was undone. */
    public boolean obfuscated() {
        return !layers.isEmpty();
    }

    /** The values of the indicators of one type, in order. */
    public List<String> indicatorValues(Indicator.Type type) {
        requireNonNull(type, "type is null");
        return indicators.stream().filter(indicator -> indicator.type() == type).map(Indicator::value).toList();
    }
}
