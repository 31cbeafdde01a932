package dev.vigil.copilot.promptbook;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The promptbooks that ship with Vigil, read from JSON resources in Vigil's shape beside this class:
 * {@code incident-investigation}, {@code script-analysis}, {@code threat-actor-profile},
 * {@code vulnerability-impact}, {@code user-analysis} and {@code threat-article-impact}. Their prompts are written
 * for the skills the planner routes to, one capability per prompt.
 */
public final class Promptbooks {
    /** The built-in promptbooks' names, in the order they are offered. */
    public static final List<String> BUILT_IN = List.of("incident-investigation", "script-analysis",
            "threat-actor-profile", "vulnerability-impact", "user-analysis", "threat-article-impact");

    private Promptbooks() {}

    /** The built-in promptbooks, in the order of {@link #BUILT_IN}; read once per process. */
    public static List<Promptbook> builtIn() {
        return Loaded.BOOKS;
    }

    /** The built-in promptbook of that name, ignoring case. */
    public static Optional<Promptbook> builtIn(String name) {
        return builtIn().stream().filter(b -> b.name().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** Holder: the resources are read at first use, not when the class is loaded. */
    private static final class Loaded {
        static final List<Promptbook> BOOKS = load();

        private static List<Promptbook> load() {
            List<Promptbook> books = new ArrayList<>();
            for (String name : BUILT_IN) {
                String resource = name + ".json";
                try (InputStream in = Promptbooks.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new VigilException(ErrorCode.INTERNAL, "the built-in promptbook " + resource
                                + " is missing from the class path");
                    }
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    books.addAll(PromptbookJson.read(text, "built-in " + resource));
                } catch (IOException e) {
                    throw new VigilException(ErrorCode.INTERNAL, "cannot read the built-in promptbook " + resource, e);
                }
            }
            return List.copyOf(books);
        }
    }
}
