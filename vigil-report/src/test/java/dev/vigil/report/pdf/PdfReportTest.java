package dev.vigil.report.pdf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.Chart;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.report.svg.SvgCharts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class PdfReportTest {
    /** An XHTML report: a table of figures, an SVG chart from {@link SvgCharts}, and rows enough for a second page. */
    private static String report(int extraRows) {
        String chart = SvgCharts.render(new Chart(Chart.Kind.BAR, "Incidents by severity",
                List.of("low", "medium", "high", "critical"), List.of(new Chart.Series("incidents",
                        List.of(4.0, 9.0, 3.0, 1.0)))));
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= extraRows; i++) {
            rows.append("<tr><td>rule-").append(i).append("</td><td>").append(i * 7).append("</td></tr>\n");
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE html>
                <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
                <head><title>Weekly SOC report</title>
                <meta name="dcterms.created" content="2026-11-30T08:00:00Z"/>
                <style>td, th { padding: 2pt 10pt; text-align: left; }</style></head>
                <body>
                <h1>Weekly SOC report — Acme &amp; Co</h1>
                <p>MTTA 14 min, MTTR 3.5 h. Incidents: 17.</p>
                <table><thead><tr><th>Severity</th><th>Incidents</th></tr></thead>
                <tbody><tr><td>critical</td><td>1</td></tr><tr><td>high</td><td>3</td></tr>
                <tr><td>medium</td><td>9</td></tr><tr><td>low</td><td>4</td></tr></tbody></table>
                <div class="chart">%s</div>
                <h2>Noisiest rules</h2>
                <table><thead><tr><th>Rule</th><th>Alerts</th></tr></thead><tbody>
                %s</tbody></table>
                </body></html>
                """.formatted(chart, rows);
    }

    private static String text(PDDocument pdf) throws IOException {
        return new PDFTextStripper().getText(pdf);
    }

    @Test
    void theTextHoldsTheFiguresAndEveryPageRenders() throws IOException {
        byte[] bytes = PdfReport.render(report(0));

        assertThat(new String(bytes, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        try (PDDocument pdf = Loader.loadPDF(bytes)) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
            String text = text(pdf);
            assertThat(text).contains("Weekly SOC report — Acme & Co", "MTTA 14 min, MTTR 3.5 h. Incidents: 17.",
                    "critical 1", "medium 9", "Page 1 of 1");
            assertThat(pdf.getDocumentInformation().getProducer()).isEqualTo("Vigil");
            assertThat(pdf.getDocumentInformation().getCreationDate().toInstant())
                    .hasToString("2026-11-30T08:00:00Z");
            BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(0, 72);
            assertThat(page.getWidth()).isEqualTo(595); // A4 at 72 dpi
            assertThat(darkPixels(page)).isGreaterThan(1000);
        }
    }

    @Test
    void theChartIsDrawnInTheColoursOfItsBars() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(PdfReport.render(report(0)))) {
            BufferedImage page = new PDFRenderer(pdf).renderImageWithDPI(0, 72);
            // SvgCharts' first colour, #0072B2, where the bars are
            assertThat(pixelsNear(page, 0x00, 0x72, 0xB2)).isGreaterThan(300);
        }
    }

    @Test
    void aLongReportRunsOverPagesEachNumberedInTheFooter() throws IOException {
        try (PDDocument pdf = Loader.loadPDF(PdfReport.render(report(120)))) {
            int pages = pdf.getNumberOfPages();
            assertThat(pages).isBetween(3, 6);
            String text = text(pdf);
            assertThat(text).contains("rule-1 7", "rule-120 840", "Page 1 of " + pages, "Page " + pages + " of "
                    + pages);
            PDFRenderer renderer = new PDFRenderer(pdf);
            for (int i = 0; i < pages; i++) {
                assertThat(darkPixels(renderer.renderImageWithDPI(i, 50))).as("page %d", i + 1).isGreaterThan(100);
            }
        }
    }

    @Test
    void aDocumentThatNumbersItsOwnPagesIsNotNumberedTwice() throws IOException {
        String ownFooter = report(0).replace("<style>", "<style>@page { @bottom-right { content: \"p. \" counter(page)"
                + " \"/\" counter(pages); } } ");
        try (PDDocument pdf = Loader.loadPDF(PdfReport.render(ownFooter))) {
            assertThat(text(pdf)).contains("p. 1/1").doesNotContain("Page 1 of 1");
        }
    }

    @Test
    void theSameReportGivesTheSameBytes() {
        assertThat(PdfReport.render(report(5))).isEqualTo(PdfReport.render(report(5)));
    }

    @Test
    void aReportWithoutADateHasNoneRatherThanTheClocks() throws IOException {
        String undated = report(0).replace("<meta name=\"dcterms.created\" content=\"2026-11-30T08:00:00Z\"/>", "");
        byte[] first = PdfReport.render(undated);
        try (PDDocument pdf = Loader.loadPDF(first)) {
            assertThat(pdf.getDocumentInformation().getCreationDate()).isNull();
        }
        assertThat(PdfReport.render(undated)).isEqualTo(first);
    }

    @Test
    void malformedXhtmlIsAnErrorNamingTheLine() {
        String broken = """
                <html xmlns="http://www.w3.org/1999/xhtml">
                <body>
                <p>Incidents: <b>17</p>
                </body></html>""";

        assertThatThrownBy(() -> PdfReport.render(broken)).isInstanceOf(VigilException.class)
                .hasMessageStartingWith("the report's XHTML is not well-formed at line 3, column ")
                .hasMessageContaining("<p>Incidents: <b>17</p>")
                .satisfies(e -> assertThat(((VigilException) e).code()).isEqualTo(ErrorCode.REPORT_DOCUMENT_INVALID));
    }

    @Test
    void anHtmlEntityWithoutItsDtdIsMalformedAndSaysWhere() {
        assertThatThrownBy(() -> PdfReport.render("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>\n"
                + "<p>a&nbsp;b</p></body></html>")).isInstanceOf(VigilException.class)
                .hasMessageContaining("line 2").hasMessageContaining("nbsp");
    }

    @Test
    void externalEntitiesAreNeverRead() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <html xmlns="http://www.w3.org/1999/xhtml"><body><p>&secret;</p></body></html>""";

        try {
            byte[] pdf = PdfReport.render(xxe);
            try (PDDocument document = Loader.loadPDF(pdf)) {
                assertThat(text(document)).doesNotContain("root:");
            }
        } catch (VigilException | IOException refused) {
            assertThat(refused).isInstanceOf(VigilException.class);
        }
    }

    private static long darkPixels(BufferedImage image) {
        long dark = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 300) {
                    dark++;
                }
            }
        }
        return dark;
    }

    private static long pixelsNear(BufferedImage image, int red, int green, int blue) {
        long near = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xff) - red) + Math.abs(((rgb >> 8) & 0xff) - green)
                        + Math.abs((rgb & 0xff) - blue) < 30) {
                    near++;
                }
            }
        }
        return near;
    }
}
