package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.model.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Report templates: the YAML format, its checks and where its errors point")
class TemplateParserTest {
    /** Two skills, as a tenant's copilot would have them. */
    static final Map<String, SkillSpec> SKILLS = Map.of(
            "report-incidents", new SkillSpec("report-incidents", "reports", "Incidents of the period.", List.of(),
                    List.of(SkillInput.choice("audience", "who reads it", "executive", "technical"))),
            "incident-summary", new SkillSpec("incident-summary", "incidents", "One incident.", List.of(),
                    List.of(SkillInput.required("incident", EntityType.INCIDENT, "the incident"))));
    static final TemplateCheck CHECK = TemplateCheck.against(SKILLS, TemplateCheck::parses);

    static final String VALID = """
            name: board
            title: Monthly board report
            description: What the board asks for.
            audience: executive
            period: 30d
            requires: [incident]
            sections:
              - id: incidents
                title: Incidents
                skill: report-incidents
                inputs: {audience: "{{audience}}"}
                prose: "{{org}} handled {{fact.incidents}} incidents from {{period.start}} to {{period.end}}."
                charts:
                  - {kind: bar, title: By severity, table: Incidents by severity, label: severity, values: [incidents]}
              - id: the-incident
                title: The incident
                audience: technical
                enabled: false
                skill: incident-summary
                inputs: {incident: "{{incident}}"}
                text: first
                tables: [Timeline]
              - id: sign-ins
                title: Failed sign-ins
                query: |
                  SigninLogs
                  | where ResultType != "0"
                  | summarize failures = count() by UserPrincipalName
            """;

    static ReportTemplate parse(String yaml) {
        return TemplateParser.parse("board.yaml", yaml, CHECK);
    }

    static List<String> problems(String yaml) {
        return TemplateParser.validate("board.yaml", yaml, CHECK);
    }

    @Test
    void readsEveryFieldOfAValidTemplate() {
        ReportTemplate template = parse(VALID);

        assertThat(template.name()).isEqualTo("board");
        assertThat(template.title()).isEqualTo("Monthly board report");
        assertThat(template.audience()).isEqualTo(Audience.EXECUTIVE);
        assertThat(template.period()).isEqualTo("30d");
        assertThat(template.requires()).containsExactly("incident");
        assertThat(template.sections()).extracting(TemplateSection::id)
                .containsExactly("incidents", "the-incident", "sign-ins");
        TemplateSection incidents = template.sections().get(0);
        assertThat(incidents.audience()).isEqualTo(Audience.BOTH);
        assertThat(incidents.enabled()).isTrue();
        assertThat(incidents.source()).isEqualTo(new TemplateSection.SkillSource("report-incidents",
                Map.of("audience", "{{audience}}")));
        assertThat(incidents.charts()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ChartSpec.Kind.BAR);
            assertThat(c.label()).isEqualTo("severity");
            assertThat(c.values()).containsExactly("incidents");
        });
        assertThat(incidents.tables()).isEqualTo(TemplateSection.ALL_TABLES);
        TemplateSection incident = template.sections().get(1);
        assertThat(incident.enabled()).isFalse();
        assertThat(incident.audience()).isEqualTo(Audience.TECHNICAL);
        assertThat(incident.text()).isEqualTo(TemplateSection.Text.FIRST);
        assertThat(incident.showsTable("Timeline of incident 2")).isTrue();
        assertThat(incident.showsTable("Entities")).isFalse();
        assertThat(template.sections().get(2).source()).isInstanceOfSatisfying(TemplateSection.QuerySource.class,
                q -> assertThat(q.kql()).startsWith("SigninLogs\n| where"));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a template without a title", VALID.replace("title: Monthly board report\n", ""),
                        "board.yaml:1:1: missing title. Fix: give the report a title, e.g. 'title: Monthly security"
                                + " report'."),
                Arguments.of("a misspelt field", VALID.replace("    enabled: false", "    enabeld: false"),
                        "board.yaml:18:5: unknown field 'enabeld' in a section. Fix: a section has id, title,"
                                + " audience, enabled, skill, inputs, query, prose, text, tables, charts (did you mean"
                                + " 'enabled'?)."),
                Arguments.of("an unknown placeholder in prose", VALID.replace("{{period.end}}", "{{period.finish}}"),
                        "board.yaml:12:83: unknown placeholder {{period.finish}}. Fix: use a parameter (tenant, org,"
                                + " period, period.start, period.end, as_of, audience, incident, actor, session, host,"
                                + " user, severity) or a value of the section's result: rows, fact.NAME,"
                                + " cell.ROW.COLUMN."),
                Arguments.of("a result placeholder in an input", VALID.replace("{incident: \"{{incident}}\"}",
                                "{incident: \"{{fact.incident}}\"}"),
                        "board.yaml:20:25: unknown placeholder {{fact.incident}} in an input: the section's result"
                                + " is not known before it runs. Fix: an input takes a parameter: tenant, org, period,"
                                + " period.start, period.end, as_of, audience, incident, actor, session, host, user,"
                                + " severity."),
                Arguments.of("an unknown skill", VALID.replace("skill: report-incidents", "skill: report-incident"),
                        "board.yaml:10:12: there is no skill 'report-incident'. Fix: use one of the skills `vigil"
                                + " report templates skills` lists (did you mean 'report-incidents'?)."),
                Arguments.of("an input the skill does not take", VALID.replace("{audience: \"{{audience}}\"}",
                                "{audience: \"{{audience}}\", host: web01}"),
                        "board.yaml:11:40: skill 'report-incidents' has no input 'host'. Fix: use one of audience."),
                Arguments.of("a skill without its required input", VALID.replace(
                                "    inputs: {incident: \"{{incident}}\"}\n", ""),
                        "board.yaml:19:12: skill 'incident-summary' needs the input 'incident' (the incident). Fix:"
                                + " add 'inputs: {incident: \"{{incident}}\"}'."),
                Arguments.of("a query that does not parse", VALID.replace("| summarize failures = count() by",
                                "| summarize failures = count( by"),
                        "board.yaml:28:40: the query does not compile (at its line 3, column 34): unexpected"
                                + " 'UserPrincipalName', expected ',' or ')' to close the arguments of count (opened at"
                                + " 3:24). Fix: "),
                Arguments.of("two sections with one id", VALID.replace("id: sign-ins", "id: incidents"),
                        "board.yaml:23:5: two sections have the id 'incidents'. Fix: give each section its own id;"
                                + " --sections and --without name sections by it."),
                Arguments.of("a section with a skill and a query", VALID.replace("    title: Failed sign-ins\n",
                                "    title: Failed sign-ins\n    skill: report-incidents\n"),
                        "board.yaml:26:5: the section has both a skill and a query. Fix: keep one: a section is"
                                + " computed by one skill or one query."),
                Arguments.of("a heat map with two columns", VALID.replace("{kind: bar, title: By severity",
                                "{kind: heatmap, title: By severity"),
                        "board.yaml:14:100: a heat map takes three value columns: the technique id, its name and its"
                                + " value. Fix: write 'values: [technique, name, alerts]' and the tactic as"
                                + " 'label'."),
                Arguments.of("a bad period", VALID.replace("period: 30d", "period: last month"),
                        "board.yaml:5:9: 'last month' is not a period. Fix: write a number of days such as 7d or"
                                + " 30d, or a range such as 2026-11-01..2026-11-29."),
                Arguments.of("broken YAML", VALID.replace("    title: Incidents\n", "    title: Incidents\n   bad\n"),
                        "board.yaml:10:4: not valid YAML: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void namesTheProblemItsLineAndColumnAndTheFix(String what, String yaml, String expected) {
        List<String> problems = problems(yaml);

        assertThat(problems).as(what).isNotEmpty();
        if (expected.endsWith(": ")) {
            assertThat(problems.get(0)).startsWith(expected);
        } else {
            assertThat(problems.get(0)).isEqualTo(expected);
        }
    }

    @Test
    void collectsEveryProblemNotOnlyTheFirst() {
        String yaml = VALID.replace("title: Monthly board report\n", "").replace("skill: report-incidents",
                "skill: nope").replace("id: sign-ins", "id: Sign Ins");

        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(TemplateException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REPORT_TEMPLATE_INVALID);
            assertThat(e.problems()).hasSize(3);
            assertThat(e.getMessage()).startsWith("3 problems:\nboard.yaml:1:1: missing title.");
        });
    }

    @Test
    void withoutKnownSkillsOnlyTheShapePlaceholdersAndQuerySyntaxAreChecked() {
        String yaml = VALID.replace("skill: report-incidents", "skill: a-plugin-skill");

        assertThat(TemplateParser.validate("board.yaml", yaml, TemplateCheck.syntaxOnly())).isEmpty();
    }

    @Test
    void refusesHostileInputWithAProblemNeverACrash() {
        String huge = "name: x\ntitle: y\nsections: []\n" + "# padding\n".repeat(TemplateParser.MAX_CHARS / 10 + 1);
        assertThat(problems(huge)).singleElement().asString().startsWith("board.yaml:1:1: the file has ")
                .contains("more than the 1048576 a template may have");

        String deep = "name: x\ntitle: y\nsections: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n";
        assertThat(problems(deep)).singleElement().asString().contains("nests");

        String aliases = "name: x\ntitle: y\nsections:\n  - &s {id: a, title: A, skill: report-incidents}\n  - *s\n";
        assertThat(problems(aliases)).singleElement().asString().startsWith("board.yaml:").contains("alias");

        StringBuilder many = new StringBuilder("name: x\ntitle: y\nsections:\n");
        for (int i = 0; i <= TemplateParser.MAX_SECTIONS; i++) {
            many.append("  - {id: s").append(i).append(", title: S, skill: report-incidents}\n");
        }
        assertThat(problems(many.toString())).singleElement().asString()
                .contains("101 sections, more than 100");

        assertThat(problems("")).singleElement().asString().startsWith("board.yaml:1:1: the template is empty.");
        assertThat(problems("- just\n- a list\n")).singleElement().asString()
                .startsWith("board.yaml:1:1: a template must be a mapping");
        assertThat(problems("name: x\ntitle: y\nsections:\n  - {id: a, title: A, skill: [report-incidents]}\n"))
                .singleElement().asString().contains("skill must be a single value, not a list");
    }

    @Test
    void everyBuiltInTemplateReads() {
        assertThat(ReportTemplates.builtIn()).extracting(ReportTemplate::name)
                .containsExactlyElementsOf(ReportTemplates.BUILT_IN);
        for (ReportTemplate template : ReportTemplates.builtIn()) {
            assertThat(template.sections()).as(template.name()).isNotEmpty();
            assertThat(template.description()).as(template.name()).isNotBlank();
        }
        assertThat(ReportTemplates.builtIn("incident").orElseThrow().requires()).containsExactly("incident");
    }
}
