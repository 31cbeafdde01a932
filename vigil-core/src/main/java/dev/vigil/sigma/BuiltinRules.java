package dev.vigil.sigma;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Vigil's own Sigma rules, shipped in the jar: a small pack written for this project (Office spawning interpreters,
 * encoded PowerShell download cradles, LSASS access, password spray and SSH brute force as correlations, large
 * outbound transfers). Third-party rule sets such as SigmaHQ's are imported by the user, never shipped.
 */
public final class BuiltinRules {

    private static final String FOLDER = "/dev/vigil/rules/";

    private BuiltinRules() {}

    /** A rule file of the pack: its name (as the rules' source, prefixed {@code builtin:}) and its YAML. */
    public record File(String source, String yaml) {}

    public static List<File> files() {
        List<File> files = new ArrayList<>();
        for (String name : read("index.txt").lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            files.add(new File("builtin:" + name, read(name)));
        }
        return files;
    }

    private static String read(String name) {
        try (InputStream in = BuiltinRules.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("the built-in rule " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
