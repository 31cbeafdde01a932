package dev.vigil.report;

import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Table;
import java.util.List;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders a report as one standalone, print-friendly XHTML document: inline CSS (CSS 2.1 only, no flexbox or grid,
 * since it is also the PDF's input), the logo embedded as a data URI, charts as inline SVG, page breaks before the
 * appendix and never inside a table row or a figure. The document is well-formed XML.
 *
 * <p>Text from the data is never trusted as markup: Markdown is rendered with raw HTML escaped and unsafe URLs
 * removed, and every other text is escaped. Deterministic: the same report and branding give the same bytes.
 */
public final class HtmlReport {
    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true)
            .sanitizeUrls(true).build();

    private HtmlReport() {}

    public static String render(Report report, Branding branding) {
        String organization = branding.organization().isBlank() ? report.organization() : branding.organization();
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"UTF-8\" />\n")
                // the PDF takes its dates from here: the report's as-of time, never the clock
                .append("<meta name=\"dcterms.created\" content=\"").append(report.period().to()).append("\" />\n")
                .append("<meta name=\"generator\" content=\"Vigil\" />\n<title>").append(escape(report.title())).append(" · ")
                .append(escape(organization)).append("</title>\n<style type=\"text/css\">\n")
                .append(css(branding)).append("</style>\n</head>\n<body>\n");
        header(out, report, branding, organization);
        if (report.sections().isEmpty()) {
            out.append("<p>No section of this template is shown to this audience.</p>\n");
        }
        int number = 0;
        for (ReportSection section : report.sections()) {
            number++;
            out.append("<div class=\"section\" id=\"section-").append(escape(section.id())).append("\">\n<h2>")
                    .append(number).append(". ").append(escape(section.title())).append("</h2>\n");
            if (!section.markdown().isBlank()) {
                out.append(markdown(MarkdownReport.demote(section.markdown().strip())));
            }
            section.tables().forEach(t -> table(out, t));
            for (Figure figure : section.figures()) {
                out.append("<div class=\"figure\">\n");
                if (!figure.svg().isBlank()) {
                    out.append(xmlSafe(figure.svg().strip())).append('\n'); // the drawing carries its title
                } else {
                    out.append("<p class=\"caption\">").append(escape(figure.title())).append(" (")
                            .append(MarkdownReport.kindWord(figure.kind())).append(" data)</p>\n");
                    table(out, figure.data());
                }
                out.append("</div>\n");
            }
            out.append("</div>\n");
        }
        if (!report.glossary().isEmpty()) {
            out.append("<div class=\"section glossary\">\n<h2>Terms used</h2>\n<dl>\n");
            report.glossary().forEach((term, meaning) -> out.append("<dt>").append(escape(term)).append("</dt><dd>")
                    .append(escape(meaning)).append("</dd>\n"));
            out.append("</dl>\n</div>\n");
        }
        appendix(out, report);
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void header(StringBuilder out, Report report, Branding branding, String organization) {
        out.append("<table class=\"masthead\"><tr>");
        if (!branding.logoUri().isEmpty()) {
            out.append("<td class=\"logo\"><img src=\"").append(branding.logoUri()).append("\" alt=\"")
                    .append(escape(organization)).append(" logo\" /></td>");
        }
        out.append("<td><p class=\"organization\">").append(escape(organization)).append("</p><h1>")
                .append(escape(report.title())).append("</h1></td></tr></table>\n");
        out.append("<table class=\"facts\"><tr><th>Period</th><td>").append(report.period().pointInTime()
                ? "all data up to the as-of day" : report.period().firstDay() + " to " + report.period().lastDay()
                + " (" + escape(report.period().text()) + ")").append("</td><th>As of</th><td>").append(report.period().lastDay()).append("</td></tr><tr>")
                .append("<th>Audience</th><td>").append(report.audience() == Audience.EXECUTIVE ? "Executives"
                        : "Technical readers").append("</td><th>Tenant</th><td>").append(escape(report.tenant()))
                .append("</td></tr>").append(MarkdownReport.filters(report).isEmpty() ? "" : "<tr><th>Only</th>"
                        + "<td colspan=\"3\">" + escape(MarkdownReport.filters(report)) + "</td></tr>")
                .append("</table>\n");
        if (!report.description().isBlank()) {
            out.append("<p class=\"description\">").append(escape(report.description())).append("</p>\n");
        }
    }

    private static void appendix(StringBuilder out, Report report) {
        out.append("<div class=\"appendix\">\n<h2>Appendix: the queries behind the numbers</h2>\n<p>Every figure of"
                + " this report comes from the queries below, run over the tenant's data for the period; each can be"
                + " run again with <code>vigil sql</code> (SQL) or <code>vigil hunt</code> (KQL).</p>\n");
        int number = 0;
        for (ReportSection section : report.sections()) {
            number++;
            out.append("<h3>").append(number).append(". ").append(escape(section.title())).append("</h3>\n<p>")
                    .append("Computed by <code>").append(escape(section.call())).append("</code>")
                    .append(section.queries().isEmpty() ? " from stored records and knowledge, without a query."
                            : " with " + (section.queries().size() == 1 ? "1 query" : section.queries().size()
                                    + " queries") + ":").append("</p>\n");
            if (!section.queries().isEmpty()) {
                out.append("<ol class=\"queries\">\n");
                for (ExecutedQuery query : section.queries()) {
                    out.append("<li><p>").append(escape(query.language().toUpperCase(java.util.Locale.ROOT)))
                            .append(", ").append(query.rows()).append(query.rows() == 1 ? " row" : " rows")
                            .append(":</p><pre>").append(escape(query.text().strip())).append("</pre></li>\n");
                }
                out.append("</ol>\n");
            }
            if (report.audience() == Audience.TECHNICAL && !section.evidence().isEmpty()) {
                out.append("<p>Evidence:</p>\n<ul class=\"evidence\">\n");
                List<Evidence> shown = section.evidence().subList(0, Math.min(MarkdownReport.MAX_EVIDENCE,
                        section.evidence().size()));
                for (Evidence evidence : shown) {
                    out.append("<li>").append(escape(evidence.claim())).append(": ").append(escape(String.join(", ",
                            evidence.refs().stream().map(r -> MarkdownReport.ref(r).replace("`", "")).toList())))
                            .append("</li>\n");
                }
                if (section.evidence().size() > shown.size()) {
                    out.append("<li>and ").append(section.evidence().size() - shown.size()).append(" more</li>\n");
                }
                out.append("</ul>\n");
            }
        }
        out.append("</div>\n");
    }

    private static void table(StringBuilder out, Table table) {
        int shown = Math.min(MarkdownReport.MAX_ROWS, table.rows().size());
        out.append("<table class=\"data\">\n<caption>").append(escape(table.title()));
        if (shown < table.rows().size()) {
            out.append(" (first ").append(shown).append(" of ").append(table.rows().size()).append(" rows)");
        }
        out.append("</caption>\n");
        if (table.rows().isEmpty()) {
            out.append("<tr><td>No rows.</td></tr>\n</table>\n");
            return;
        }
        out.append("<thead><tr>");
        table.columns().forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<Object> row : table.rows().subList(0, shown)) {
            out.append("<tr>");
            row.forEach(c -> out.append(c instanceof Number ? "<td class=\"number\">" : "<td>")
                    .append(escape(MarkdownReport.plain(c))).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** Markdown as XHTML: raw HTML escaped, unsafe URLs removed, void elements closed. */
    static String markdown(String markdown) {
        return xmlSafe(RENDERER.render(PARSER.parse(markdown)));
    }

    private static String css(Branding branding) {
        String colour = branding.colour();
        String accent = branding.accent();
        return """
                @page { size: A4; margin: 18mm 16mm 20mm 16mm;
                  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #666666; } }
                body { font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 10pt; line-height: 1.45;
                  color: #1a1a1a; margin: 0 auto; max-width: 190mm; }
                h1 { font-size: 20pt; margin: 2pt 0 0 0; color: %1$s; }
                h2 { font-size: 14pt; color: %1$s; border-bottom: 1pt solid %1$s; padding-bottom: 2pt;
                  margin: 18pt 0 6pt 0; page-break-after: avoid; }
                h3 { font-size: 11pt; margin: 12pt 0 4pt 0; page-break-after: avoid; }
                h4, h5, h6 { font-size: 10pt; margin: 10pt 0 4pt 0; page-break-after: avoid; }
                p { margin: 0 0 6pt 0; }
                ul, ol { margin: 0 0 6pt 0; padding-left: 16pt; }
                table.masthead { width: 100%%; border-collapse: collapse; border-bottom: 3pt solid %1$s; margin-bottom: 8pt; }
                table.masthead td { vertical-align: middle; padding: 0 0 6pt 0; }
                td.logo { width: 1%%; padding-right: 12pt; }
                td.logo img { max-height: 48px; max-width: 160px; }
                p.organization { font-size: 11pt; color: #555555; margin: 0; text-transform: uppercase; letter-spacing: 1pt; }
                table.facts { border-collapse: collapse; margin: 0 0 8pt 0; font-size: 9pt; }
                table.facts th { text-align: left; color: #555555; font-weight: normal; padding: 1pt 8pt 1pt 0; }
                table.facts td { padding: 1pt 18pt 1pt 0; }
                p.description { font-style: italic; color: #444444; }
                table.data { border-collapse: collapse; width: 100%%; margin: 6pt 0 10pt 0; font-size: 8.5pt;
                  page-break-inside: auto; }
                table.data caption { text-align: left; font-weight: bold; padding-bottom: 3pt; caption-side: top; }
                table.data th { background-color: %2$s; text-align: left; padding: 3pt 4pt; border-bottom: 1pt solid #999999; }
                table.data td { padding: 2pt 4pt; border-bottom: 0.5pt solid #dddddd; vertical-align: top; }
                table.data td.number { text-align: right; }
                thead { display: table-header-group; }
                tr { page-break-inside: avoid; }
                div.figure { margin: 6pt 0 12pt 0; page-break-inside: avoid; text-align: center; }
                div.figure svg { max-width: 100%%; }
                p.caption { font-size: 8.5pt; color: #555555; text-align: center; }
                div.section { page-break-inside: auto; }
                dl dt { font-weight: bold; margin-top: 4pt; }
                dl dd { margin: 0 0 4pt 12pt; }
                div.appendix { page-break-before: always; font-size: 8.5pt; }
                pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 7.5pt; background-color: #f5f5f5;
                  border: 0.5pt solid #dddddd; padding: 4pt; white-space: pre-wrap; word-wrap: break-word; }
                code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; }
                @media screen { body { padding: 24px; } }
                """.formatted(colour, accent);
    }

    /** Text escaped for XHTML, without the characters XML does not allow. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (allowed(c)) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Markup with the characters XML does not allow removed. */
    static String xmlSafe(String markup) {
        StringBuilder out = new StringBuilder(markup.length());
        for (int i = 0; i < markup.length(); i++) {
            char c = markup.charAt(i);
            if (allowed(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean allowed(char c) {
        return c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xfffe && c != 0xffff;
    }
}
