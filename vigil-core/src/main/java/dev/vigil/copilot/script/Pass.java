package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One rewrite that undoes one obfuscation technique wherever the text shows it. A pass sweeps the text once; the
 * {@link Deobfuscator} repeats the passes in rounds until none changes anything.
 */
interface Pass {
    Obfuscation obfuscation();

    /** The text with this obfuscation undone where it could be, or {@link Rewrite#NONE} if there was none. */
    Rewrite apply(String text, Context context);

    /** What a pass may use: the limits, and where to note what it could not undo. */
    interface Context {
        ScriptAnalyzer.Limits limits();

        /** Records that something could not be undone, and why. Repeated notes are kept once. */
        void note(String note);

        /** The text in lower case, computed once per text. */
        String lowerCase(String text);

        /** {@link Literals#codeEnd(String)} of the text, computed once per text. */
        int codeEnd(String text);
    }

    /**
     * The result of a pass.
     *
     * @param text the rewritten text; meaningless if {@code rewrites} is 0
     * @param rewrites how many places changed
     * @param before the first changed text as it was
     * @param after what replaced it
     */
    record Rewrite(String text, int rewrites, String before, String after) {
        static final Rewrite NONE = new Rewrite("", 0, "", "");

        public Rewrite {
            requireNonNull(text, "text is null");
            requireNonNull(before, "before is null");
            requireNonNull(after, "after is null");
        }

        boolean changed() {
            return rewrites > 0;
        }

        /** The first changes of several, applied in order to one text; the counts add up. */
        static Rewrite chain(String text, List<Pass> steps, Context context) {
            String current = text;
            int rewrites = 0;
            String before = "";
            String after = "";
            for (Pass step : steps) {
                Rewrite rewrite = step.apply(current, context);
                if (rewrite.changed()) {
                    if (rewrites == 0) {
                        before = rewrite.before();
                        after = rewrite.after();
                    }
                    rewrites += rewrite.rewrites();
                    current = rewrite.text();
                }
            }
            return rewrites == 0 ? NONE : new Rewrite(current, rewrites, before, after);
        }
    }
}
