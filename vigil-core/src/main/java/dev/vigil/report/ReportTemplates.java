package dev.vigil.report;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The report templates that ship with Vigil, read from this package's {@code templates/} resources: the executive
 * summary, the incident report, the posture and vulnerability report, the weekly SOC report, the threat actor brief
 * and the session export. Their skills are checked where the skills are known (the report builder's tests); here
 * only their shape, placeholders and query syntax.
 */
public final class ReportTemplates {
    /** The built-in templates' names, in the order they are listed. */
    public static final List<String> BUILT_IN = List.of("executive", "incident", "posture", "weekly-soc",
            "actor-brief", "session-export");

    private static final List<ReportTemplate> TEMPLATES = BUILT_IN.stream().map(ReportTemplates::read).toList();

    private ReportTemplates() {}

    public static List<ReportTemplate> builtIn() {
        return TEMPLATES;
    }

    public static Optional<ReportTemplate> builtIn(String name) {
        return TEMPLATES.stream().filter(t -> t.name().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** A built-in template's YAML text, as `vigil report templates show` prints it. */
    public static String text(String name) {
        String resource = "templates/" + name + ".yaml";
        try (InputStream in = ReportTemplates.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new VigilException(ErrorCode.INTERNAL, "the built-in report template " + resource
                        + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ReportTemplate read(String name) {
        return TemplateParser.parse("builtin:" + name + ".yaml", text(name), TemplateCheck.syntaxOnly());
    }
}
