package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the passes in rounds until a round changes nothing (a fixed point), the depth limit is reached, or the text
 * outgrows its limit. Each round applies every pass once, in {@link Obfuscation} order, so one round peels one level
 * of a nested encoding and everything the level hid that the later passes can undo.
 */
final class Deobfuscator {
    private static final List<Pass> PASSES = List.of(
            new EncodingPasses.EncodedCommand(),
            new EncodingPasses.Base64Text(),
            new EncodingPasses.Compression(),
            StringPasses.carets(),
            new CmdVariables(),
            StringPasses.backticks(),
            StringPasses.charCodes(),
            StringPasses.formatString(),
            StringPasses.concatenation(),
            StringPasses.replace(),
            StringPasses.reversal(),
            StringPasses.splitJoin(),
            new VariableInlining(),
            StringPasses.invokeWrappers());

    /** A hard stop on layers in total, whatever the depth: every pass changing something in every round. */
    private static final int MAX_LAYERS = 200;

    /**
     * The outcome.
     *
     * @param text the text with what could be undone undone
     * @param layers the layers undone, in order
     * @param notes what got in the way, each once
     */
    record Result(String text, List<Layer> layers, List<String> notes) {
        Result {
            requireNonNull(text, "text is null");
            layers = List.copyOf(layers);
            notes = List.copyOf(notes);
        }
    }

    private Deobfuscator() {}

    static Result run(String original, ScriptAnalyzer.Limits limits) {
        Set<String> notes = new LinkedHashSet<>();
        Pass.Context context = new Pass.Context() {
            private String known;
            private String lowerCase;
            private int codeEnd;

            @Override
            public String lowerCase(String text) {
                learn(text);
                return lowerCase;
            }

            @Override
            public int codeEnd(String text) {
                learn(text);
                return codeEnd;
            }

            private void learn(String text) {
                if (text != known) {
                    known = text;
                    lowerCase = text.toLowerCase(Locale.ROOT);
                    codeEnd = Literals.codeEnd(text);
                }
            }

            @Override
            public ScriptAnalyzer.Limits limits() {
                return limits;
            }

            @Override
            public void note(String note) {
                if (notes.size() < 50) {
                    notes.add(note);
                }
            }
        };
        List<Layer> layers = new ArrayList<>();
        String text = original;
        for (int depth = 1; ; depth++) {
            boolean changed = false;
            for (Pass pass : PASSES) {
                Pass.Rewrite rewrite = pass.apply(text, context);
                if (!rewrite.changed()) {
                    continue;
                }
                if (depth > limits.maxDepth()) {
                    notes.add("stopped at the depth limit of " + limits.maxDepth() + " rounds: "
                            + pass.obfuscation().description() + " remains, and may hide more");
                    return new Result(text, layers, List.copyOf(notes));
                }
                if (rewrite.text().length() > limits.maxDecodedChars()) {
                    notes.add("stopped before undoing " + pass.obfuscation().description() + ": the text would grow "
                            + "to " + rewrite.text().length() + " characters, over the limit of "
                            + limits.maxDecodedChars());
                    return new Result(text, layers, List.copyOf(notes));
                }
                text = rewrite.text();
                layers.add(new Layer(depth, pass.obfuscation(), rewrite.rewrites(), rewrite.before(), rewrite.after()));
                changed = true;
                if (layers.size() >= MAX_LAYERS) {
                    notes.add("stopped after " + MAX_LAYERS + " layers; the text may hide more");
                    return new Result(text, layers, List.copyOf(notes));
                }
            }
            if (!changed) {
                return new Result(text, layers, List.copyOf(notes));
            }
        }
    }
}
