package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

/**
 * One obfuscation layer undone: the technique, how many places it was undone in, and a short excerpt of the first
 * place before and after.
 *
 * @param depth the round of deobfuscation it was undone in, from 1; a nested encoding takes one round per level
 * @param obfuscation the technique undone
 * @param rewrites how many places in the text were rewritten
 * @param before the first rewritten text as it was, shortened to about 160 characters
 * @param after what replaced it, shortened the same way
 */
public record Layer(int depth, Obfuscation obfuscation, int rewrites, String before, String after) {
    public Layer {
        requireNonNull(obfuscation, "obfuscation is null");
        requireNonNull(before, "before is null");
        requireNonNull(after, "after is null");
        if (depth < 1 || rewrites < 1) {
            throw new IllegalArgumentException("a layer needs a depth and a rewrite count of at least 1: depth "
                    + depth + ", rewrites " + rewrites);
        }
    }
}
