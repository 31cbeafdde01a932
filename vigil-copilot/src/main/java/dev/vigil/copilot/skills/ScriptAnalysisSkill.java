package dev.vigil.copilot.skills;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.script.Indicator;
import dev.vigil.copilot.script.Layer;
import dev.vigil.copilot.script.ScriptAnalysis;
import dev.vigil.copilot.script.ScriptAnalyzer;
import dev.vigil.copilot.script.Step;
import dev.vigil.copilot.script.TechniqueFinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Deobfuscates a pasted PowerShell or cmd script, explains step by step what it does, maps it to ATT&CK and flags
 * its indicators. The analysis is of the text alone; the answer says so, and offers to look the indicators up.
 */
public final class ScriptAnalysisSkill implements Skill {
    private static final SkillSpec SPEC = new SkillSpec("script-analysis", "scripts",
            "Deobfuscate and explain a suspicious PowerShell or cmd script or command line, map it to ATT&CK and"
                    + " flag its indicators.",
            List.of("analyze this script: powershell -enc SQBFAFgA", "what does this command do: cmd /c whoami",
                    "deobfuscate this powershell", "is this script malicious?", "explain this command line",
                    "decode this encoded command"),
            List.of(SkillInput.required("script", EntityType.SCRIPT, "the script or command line, pasted")));

    private final ScriptAnalyzer analyzer = new ScriptAnalyzer();

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        String script = call.first("script").orElseThrow();
        ScriptAnalysis analysis = analyzer.analyze(script);
        SkillResult.Builder out = SkillResult.builder(SPEC.name());
        String risk = analysis.verdict().risk().key();
        List<String> recognised = analysis.steps().stream().filter(Step::recognised).map(Step::summary).toList();
        StringBuilder first = new StringBuilder("This " + language(analysis) + " looks " + risk);
        if (!analysis.verdict().reasons().isEmpty()) {
            first.append(": ").append(String.join("; ", analysis.verdict().reasons().stream()
                    .map(r -> r.replaceAll("[.;\\s]+$", "")).toList()));
        }
        first.append('.');
        out.paragraph(first.toString());
        out.fact("verdict", risk).fact("language", analysis.language().name().toLowerCase(Locale.ROOT))
                .fact("layers", analysis.layers().size()).fact("techniques", analysis.techniqueIds())
                .fact("indicators", analysis.indicators().stream().map(Indicator::value).toList());
        if (analysis.obfuscated()) {
            List<String> undone = new ArrayList<>();
            for (Layer layer : analysis.layers()) {
                undone.add(layer.obfuscation().description());
            }
            out.paragraph("It was obfuscated in " + analysis.layers().size() + " layer"
                    + (analysis.layers().size() == 1 ? "" : "s") + " (" + String.join(", then ", undone)
                    + "). Decoded, it reads:\n\n```\n" + clip(analysis.decoded(), 2_000) + "\n```");
        }
        if (!recognised.isEmpty()) {
            StringBuilder steps = new StringBuilder("Step by step:");
            int n = 1;
            for (Step step : analysis.steps()) {
                if (step.recognised()) {
                    steps.append("\n").append(n++).append(". ").append(step.summary());
                    if (!step.techniques().isEmpty()) {
                        steps.append(" (").append(String.join(", ", step.techniques())).append(')');
                    }
                }
            }
            out.paragraph(steps.toString());
        } else {
            out.paragraph("None of its statements matches a behaviour Vigil recognises.");
        }
        List<List<Object>> techniqueRows = new ArrayList<>();
        for (TechniqueFinding t : analysis.techniques()) {
            String why = t.evidence().isEmpty() ? "" : t.evidence().get(0).reason();
            techniqueRows.add(List.of(t.id(), t.name(), why));
            out.evidence("The script uses " + t.id() + " " + t.name() + ": " + why, List.of("attack:" + t.id()));
        }
        if (!techniqueRows.isEmpty()) {
            out.table(new Table("ATT&CK techniques", List.of("technique", "name", "why"), techniqueRows));
        }
        List<List<Object>> indicatorRows = new ArrayList<>();
        for (Indicator i : analysis.indicators()) {
            indicatorRows.add(List.of(i.type().name().toLowerCase(Locale.ROOT), i.value(), clip(i.statement(), 80)));
            subject(out, i);
        }
        if (!indicatorRows.isEmpty()) {
            out.table(new Table("Indicators", List.of("type", "value", "in"), indicatorRows));
            out.paragraph("It names " + indicatorRows.size() + " indicator" + (indicatorRows.size() == 1 ? "" : "s")
                    + " (in the table); ask whether they are known or were seen in your data.");
            analysis.indicators().stream().filter(i -> i.type() == Indicator.Type.IPV4 || i.type() == Indicator.Type.DOMAIN
                    || i.type() == Indicator.Type.URL).findFirst()
                    .ifPresent(i -> out.followUp("Is " + i.value() + " malicious?"));
        }
        analysis.notes().forEach(note -> out.paragraph("Note: " + note));
        out.paragraph("Scope: the pasted text only; nothing was run.");
        if (!analysis.techniqueIds().isEmpty()) {
            out.followUp("What is " + analysis.techniqueIds().get(0) + "?");
        }
        out.followUp("Which hosts ran powershell with an encoded command?");
        return out.build();
    }

    private static void subject(SkillResult.Builder out, Indicator i) {
        EntityType type = switch (i.type()) {
            case IPV4, IPV6 -> EntityType.IP;
            case DOMAIN -> EntityType.DOMAIN;
            case URL -> EntityType.URL;
            case MD5, SHA1, SHA256 -> EntityType.HASH;
            case EMAIL -> EntityType.EMAIL;
            default -> null;
        };
        if (type != null) {
            out.subject(type, i.value());
        }
    }

    private static String language(ScriptAnalysis analysis) {
        return switch (analysis.language()) {
            case POWERSHELL -> "PowerShell";
            case CMD -> "cmd script";
            default -> "script";
        };
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
