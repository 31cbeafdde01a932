package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.SkillSpec;
import dev.vigil.query.KqlParser;
import dev.vigil.query.KqlSyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a template is checked against beyond its shape: the skills that exist (their names and inputs), and the
 * hunting language (a query is compiled against the tenant's tables, or only parsed without a tenant).
 *
 * @param skills the skills sections may bind to, by name; empty to leave skill names unchecked
 * @param kql compiles a query and answers the compiler's error, if any
 */
public record TemplateCheck(Optional<Map<String, SkillSpec>> skills,
        Function<String, Optional<KqlSyntaxException>> kql) {
    public TemplateCheck {
        requireNonNull(skills, "skills is null");
        requireNonNull(kql, "kql is null");
        skills = skills.map(Map::copyOf);
    }

    /** Checks the shape, placeholders and query syntax only: skill names and table names are not known. */
    public static TemplateCheck syntaxOnly() {
        return new TemplateCheck(Optional.empty(), TemplateCheck::parses);
    }

    /** Checks skill names and inputs against these skills, and queries with the given compiler. */
    public static TemplateCheck against(Map<String, SkillSpec> skills,
            Function<String, Optional<KqlSyntaxException>> kql) {
        return new TemplateCheck(Optional.of(skills), kql);
    }

    /** The parser's error for a query, if it does not parse. */
    public static Optional<KqlSyntaxException> parses(String kql) {
        try {
            KqlParser.parse(kql);
            return Optional.empty();
        } catch (KqlSyntaxException e) {
            return Optional.of(e);
        }
    }
}
