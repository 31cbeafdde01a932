package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.TimeRange;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reports: sections run, placeholders filled, plain language for executives, Markdown and XHTML")
class ReportAssemblerTest {
    static final ReportPeriod NOVEMBER = new ReportPeriod(Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-11-30T00:00:00Z"), "2026-11-01 to 2026-11-29");

    static final String TEMPLATE = """
            name: monthly
            title: Monthly report
            description: The month.
            audience: technical
            sections:
              - id: alerts
                title: Alerts
                skill: fake-alerts
                inputs: {host: "{{host}}", audience: "{{audience}}"}
                prose: >-
                  {{org}} saw {{fact.alerts}} alerts from {{period.start}} to {{period.end}} on {{rows}} rules;
                  the top rule is {{cell.1.rule}}; MTTR was {{fact.mttr_minutes}} minutes.
                charts:
                  - {kind: bar, title: Alerts by rule, label: rule, values: [alerts]}
                  - {kind: line, title: Broken, label: day, values: [alerts]}
              - id: techniques
                title: Techniques
                audience: technical
                skill: fake-techniques
              - id: sign-ins
                title: Failed sign-ins
                enabled: false
                query: SigninLogs | where ResultType != "0" | count
              - id: broken
                title: Broken section
                skill: fake-broken
            """;

    /** Hand-written fake sections: fixed results, and the calls they were asked. */
    static final class FakeSections implements ReportAssembler.Sections {
        final List<SkillCall> calls = new ArrayList<>();
        final List<String> queries = new ArrayList<>();

        @Override
        public SkillResult skill(SkillCall call) {
            calls.add(call);
            return switch (call.skill()) {
                case "fake-alerts" -> SkillResult.builder("fake-alerts")
                        .paragraph("12 alerts fired; rule a1b2c3d4-0000-4000-8000-000000000001 fired most.")
                        .table(new Table("Alerts by rule", List.of("rule", "rule id", "alerts"), List.of(
                                List.of("Brute force <script>alert(1)</script>", "a1b2c3d4-0000-4000-8000-000000000001",
                                        9L),
                                List.of("Password spray | pipes", "r-2", 3L))))
                        .query(new ExecutedQuery("sql", "SELECT rule, count(*) FROM vigil_alerts GROUP BY rule", 2, 17))
                        .fact("alerts", 12L)
                        .evidence("Alerts counted by rule", List.of("query:0"))
                        .build();
                case "fake-techniques" -> SkillResult.builder("fake-techniques")
                        .paragraph("The most frequent are T1110.003 Password Spraying (3 alerts) and T1059.001"
                                + " PowerShell (1 alert); also seen (T1078).")
                        .table(new Table("Techniques", List.of("technique", "name", "alerts"), List.of(
                                List.of("T1110.003", "Password Spraying", 3L))))
                        .chart(new Chart(Chart.Kind.DONUT, "Techniques", List.of("Password Spraying"),
                                List.of(new Chart.Series("alerts", List.of(3.0)))))
                        .build();
                default -> throw new VigilException(ErrorCode.INCIDENT_NOT_FOUND, "there is no incident #9");
            };
        }

        @Override
        public SkillResult query(String kql, TimeRange period) {
            queries.add(kql);
            return SkillResult.builder("hunt").status(SkillResult.Status.EMPTY).markdown("No rows.").build();
        }
    }

    static ReportTemplate template() {
        return TemplateParser.parse("monthly.yaml", TEMPLATE, TemplateCheck.syntaxOnly());
    }

    static ReportRequest request(Audience audience, List<String> only, List<String> without) {
        return new ReportRequest("acme", "Acme Corp", NOVEMBER, audience, Map.of("host", "web01"), only, without);
    }

    static Report build(Audience audience) {
        return ReportAssembler.assemble(template(), request(audience, List.of(), List.of()), new FakeSections(),
                figure -> "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><title>"
                        + figure.title().replace("<", "&lt;") + "</title></svg>");
    }

    @Test
    void runsTheEnabledSectionsWithTheirInputsAndFillsThePlaceholdersFromTheResult() {
        FakeSections sections = new FakeSections();
        Report report = ReportAssembler.assemble(template(), request(null, List.of(), List.of()), sections, f -> "");

        assertThat(report.sections()).extracting(ReportSection::id).containsExactly("alerts", "techniques", "broken");
        assertThat(sections.calls.get(0).inputs()).containsEntry("host", List.of("web01"))
                .containsEntry("audience", List.of("technical"));
        assertThat(sections.calls.get(0).time()).contains(new TimeRange(NOVEMBER.from(), NOVEMBER.to(),
                NOVEMBER.text()));
        assertThat(sections.queries).as("a section off by default does not run").isEmpty();
        ReportSection alerts = report.sections().get(0);
        assertThat(alerts.markdown()).startsWith("Acme Corp saw 12 alerts from 2026-11-01 to 2026-11-29 on 2 rules;"
                + " the top rule is Brute force <script>alert(1)</script>; MTTR was (not in the data) minutes.");
        assertThat(alerts.call()).isEqualTo("/fake-alerts host=web01 audience=technical");
        assertThat(alerts.figures()).extracting(Figure::title).containsExactly("Alerts by rule");
        assertThat(alerts.markdown()).contains("_The chart \"Broken\" is not drawn: the table \"Alerts by rule\" has"
                + " no column day (it has rule, rule id, alerts)._");
        ReportSection broken = report.sections().get(2);
        assertThat(broken.status()).isEqualTo(ReportSection.Status.FAILED);
        assertThat(broken.markdown()).startsWith("This section could not be computed: there is no incident #9.");
    }

    @Test
    void sectionsAreTurnedOnAndOffByIdAndAnUnknownIdNamesTheTemplatesIds() {
        FakeSections sections = new FakeSections();
        Report only = ReportAssembler.assemble(template(), request(null, List.of("sign-ins", "alerts"), List.of()),
                sections, f -> "");
        assertThat(only.sections()).extracting(ReportSection::id).containsExactly("alerts", "sign-ins");
        assertThat(sections.queries).containsExactly("SigninLogs | where ResultType != \"0\" | count");

        Report without = ReportAssembler.assemble(template(), request(null, List.of(), List.of("broken")),
                new FakeSections(), f -> "");
        assertThat(without.sections()).extracting(ReportSection::id).containsExactly("alerts", "techniques");

        assertThatThrownBy(() -> ReportAssembler.assemble(template(), request(null, List.of("alert"), List.of()),
                new FakeSections(), f -> "")).isInstanceOf(VigilException.class)
                .hasMessage("report template 'monthly' has no section 'alert'")
                .satisfies(e -> assertThat(((VigilException) e).fix())
                        .isEqualTo("Name sections by their ids: alerts, techniques, sign-ins, broken."));
    }

    @Test
    void aRequiredParameterThatIsMissingIsAUsageError() {
        ReportTemplate needs = TemplateParser.parse("t.yaml", TEMPLATE.replace("audience: technical\nsections:",
                "audience: technical\nrequires: [incident]\nsections:"), TemplateCheck.syntaxOnly());

        assertThatThrownBy(() -> ReportAssembler.assemble(needs, request(null, List.of(), List.of()),
                new FakeSections(), f -> "")).isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).isEqualTo("report template 'monthly' needs the incident it is about");
                });
    }

    @Test
    void anExecutiveReportKeepsIdsOutOfItsProseAndTablesAndExplainsItsTerms() {
        Report report = build(Audience.EXECUTIVE);

        assertThat(report.sections()).extracting(ReportSection::id).as("technical sections are left out")
                .containsExactly("alerts", "broken");
        Report all = ReportAssembler.assemble(template(), request(Audience.EXECUTIVE, List.of("alerts",
                "techniques"), List.of()), new FakeSections(), f -> "");
        String prose = all.sections().get(1).markdown();
        assertThat(prose).isEqualTo("The most frequent are Password Spraying (3 alerts) and PowerShell (1 alert);"
                + " also seen.");
        assertThat(all.sections().get(0).markdown()).contains("12 alerts fired; rule fired most.");
        assertThat(all.sections().get(0).tables().get(0).columns()).containsExactly("rule", "alerts");
        assertThat(all.sections().get(1).tables().get(0).columns()).containsExactly("name", "alerts");
        assertThat(all.glossary()).containsKeys("Alert", "MTTR").doesNotContainKey("Exposure score");
        assertThat(MarkdownReport.render(all)).doesNotContainPattern("\\bT\\d{4}(\\.\\d{3})?\\b(?![\\s\\S]*## Appendix)")
                .contains("## Terms used\n\n- **Alert**: ");
    }

    @Test
    void markdownHasAHeaderNumberedSectionsAndAnAppendixOfQueriesAndIsDeterministic() {
        String markdown = MarkdownReport.render(build(Audience.TECHNICAL));

        assertThat(markdown).startsWith("# Monthly report\n\n**Acme Corp** · 2026-11-01 to 2026-11-29"
                + " (2026-11-01 to 2026-11-29) · as of 2026-11-29 · for technical readers · tenant `acme` · only host"
                + " web01\n\n"
                + "_The month._\n\n## 1. Alerts\n\n");
        assertThat(markdown).contains("## 2. Techniques").contains("## 3. Broken section")
                .contains("| Password spray \\| pipes | r-2 | 3 |")
                .contains("_Chart: Alerts by rule: Brute force <script>alert(1)</script> 9, Password spray | pipes"
                        + " 3._")
                .contains("### 1. Alerts\n\nComputed by `/fake-alerts host=web01 audience=technical` with 1 query:\n\n"
                        + "1. SQL, 2 rows:\n\n   ```sql\n   SELECT rule, count(*) FROM vigil_alerts GROUP BY rule\n"
                        + "   ```")
                .contains("- Alerts counted by rule: query 1")
                .doesNotContain("17"); // a query's time differs between runs: it is never shown
        assertThat(MarkdownReport.render(build(Audience.TECHNICAL))).isEqualTo(markdown);
    }

    @Test
    void htmlIsWellFormedPrintableXhtmlWithDataEscapedAndTheBrandingApplied() throws Exception {
        byte[] logo = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        Branding branding = Branding.defaults().withOrganization("Acme & Sons").withColour("0B5394")
                .withLogo(logo, "logo.png");
        String html = HtmlReport.render(build(Audience.TECHNICAL), branding);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        var document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(
                StandardCharsets.UTF_8)));
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength()).isEqualTo(2);
        assertThat(html).doesNotContain("<script").contains("Brute force &lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("Acme &amp; Sons").contains("src=\"data:image/png;base64,iVBORw0KGgoAAA==\"")
                .contains("color: #0b5394").contains("@page").contains("page-break-before: always")
                .contains("<meta name=\"dcterms.created\" content=\"2026-11-30T00:00:00Z\" />")
                .doesNotContain("display: flex").doesNotContain("display: grid");
        assertThat(HtmlReport.render(build(Audience.TECHNICAL), branding)).isEqualTo(html);
    }

    @Test
    void markdownFromTheDataCannotInjectMarkupOrScriptUrls() {
        String html = HtmlReport.markdown("Click [here](javascript:alert(1)) or <img src=x onerror=alert(1)>\n\n"
                + "| a | b |\n| --- | --- |\n| 1 | 2 |");

        assertThat(html).doesNotContain("javascript:").doesNotContain("<img").contains("&lt;img")
                .contains("<table>");
    }

    @Test
    void brandingRefusesWhatIsNotAColourOrAnImage() {
        assertThatThrownBy(() -> Branding.defaults().withColour("red; background: url(x)"))
                .isInstanceOf(VigilException.class).hasMessageContaining("is not a colour");
        assertThatThrownBy(() -> Branding.defaults().withLogo("#!/bin/sh".getBytes(StandardCharsets.UTF_8), "x.sh"))
                .isInstanceOf(VigilException.class).hasMessage("the logo x.sh is not a PNG, JPEG, GIF or SVG image");
    }
}
