package dev.vigil.report.svg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Chart.Kind;
import dev.vigil.copilot.Chart.Series;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;

class SvgChartsTest {
    private static final Set<String> PLAIN_SVG = Set.of("svg", "title", "desc", "g", "rect", "path", "line", "text");

    private static Chart chart(Kind kind, List<String> labels, Series... series) {
        return new Chart(kind, "Alerts by severity", labels, List.of(series));
    }

    private static Series series(String name, Double... values) {
        return new Series(name, List.of(values));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void everyKindIsAStandaloneAccessibleSvgDocumentOfPlainElements(Kind kind) {
        String svg = SvgCharts.render(chart(kind, List.of("low", "medium", "high"), series("alerts", 3.0, 12.0, 5.0),
                series("incidents", 1.0, 2.0, 0.0)));

        SvgDocument document = SvgDocument.parse(svg);
        Element root = document.root();
        assertThat(root.getNamespaceURI()).isEqualTo(SvgDocument.SVG_NAMESPACE);
        assertThat(root.getAttribute("viewBox")).matches("0 0 \\d+(\\.\\d)? \\d+(\\.\\d)?");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        assertThat(root.getAttribute("aria-label")).isEqualTo("Alerts by severity");
        assertThat(document.all("title").getFirst().getParentNode()).isSameAs(root);
        assertThat(document.all("title").getFirst().getTextContent()).isEqualTo("Alerts by severity");
        assertThat(document.all("desc").getFirst().getTextContent()).contains("low 3", "medium 12", "high 5");
        assertThat(document.elementNames()).allMatch(PLAIN_SVG::contains);
        assertThat(svg).doesNotContain(" id=", "style=", "<script", "foreignObject");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSameChartGivesTheSameBytesWhateverTheDefaultLocale(Kind kind) {
        Chart chart = chart(kind, List.of("a", "b"), series("s", 1234.5, 0.25));
        String first = SvgCharts.render(chart);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // a decimal comma, were the default used
            assertThat(SvgCharts.render(chart)).isEqualTo(first);
        } finally {
            Locale.setDefault(before);
        }
        assertThat(first).doesNotContain("1234,5", "0,25");
    }

    @Test
    void barsStandOnTheZeroLineWithTheirValuesWritten() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.BAR, List.of("low", "medium", "high"),
                series("alerts", 3.0, 12.0, 6.0))));

        List<Element> bars = document.rects(SvgCharts.color(0));
        assertThat(bars).hasSize(3);
        double bottom = SvgDocument.number(bars.getFirst(), "y") + SvgDocument.number(bars.getFirst(), "height");
        for (Element bar : bars) {
            assertThat(SvgDocument.number(bar, "y") + SvgDocument.number(bar, "height")).isCloseTo(bottom,
                    org.assertj.core.data.Offset.offset(0.11));
        }
        // the tallest bar is twice the one of half its value
        assertThat(SvgDocument.number(bars.get(1), "height")).isCloseTo(2 * SvgDocument.number(bars.get(2), "height"),
                org.assertj.core.data.Offset.offset(0.3));
        assertThat(document.texts()).contains("3", "12", "6", "low", "medium", "high");
        assertThat(document.tooltips()).contains("medium: 12");
    }

    @Test
    void severalSeriesMakeGroupedBarsWithALegend() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.BAR, List.of("Mon", "Tue"),
                series("alerts", 5.0, 7.0), series("incidents", 1.0, 2.0))));

        List<Element> alerts = document.rects(SvgCharts.color(0));
        List<Element> incidents = document.rects(SvgCharts.color(1));
        assertThat(alerts).hasSize(2 + 1); // two bars and the legend's swatch
        assertThat(incidents).hasSize(2 + 1);
        // in a group, the second series' bar sits right beside the first's
        assertThat(SvgDocument.number(incidents.getFirst(), "x"))
                .isGreaterThan(SvgDocument.number(alerts.getFirst(), "x"))
                .isLessThan(SvgDocument.number(alerts.get(1), "x"));
        assertThat(document.texts()).contains("alerts", "incidents");
        assertThat(document.tooltips()).contains("incidents, Tue: 2");
    }

    @Test
    void longCategoryNamesTurnTheBarsHorizontalWithTheNamesReadable() {
        List<String> rules = List.of("Known-bad ipv4 192.0.2.77 (partner-feed)",
                "Password Spray Against Entra ID From One Address", "Process Opens LSASS Memory for Reading");
        SvgDocument document = SvgDocument.parse(SvgCharts.render(new Chart(Kind.BAR, "Alerts by rule", rules,
                List.of(new Series("alerts", List.of(61.0, 3.0, 1.0))))));

        List<Element> bars = document.rects(SvgCharts.color(0));
        assertThat(bars).hasSize(3);
        // horizontal: the same height, widths in proportion to the values, stacked top to bottom
        assertThat(bars).extracting(b -> b.getAttribute("height")).containsOnly(bars.getFirst().getAttribute("height"));
        assertThat(SvgDocument.number(bars.get(0), "width") / SvgDocument.number(bars.get(1), "width"))
                .isCloseTo(61 / 3.0, org.assertj.core.data.Offset.offset(0.3));
        assertThat(SvgDocument.number(bars.get(2), "y")).isGreaterThan(SvgDocument.number(bars.get(1), "y"));
        assertThat(document.texts()).contains("Known-bad ipv4 192.0.2.77 (partner-feed)",
                "Process Opens LSASS Memory for Reading", "61", "3", "1");
        assertThat(document.texts()).anyMatch(t -> t.startsWith("Password Spray Against Entra ID"));
    }

    @Test
    void theLastTimeLabelStaysInsideTheDrawing() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.LINE,
                List.of("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"),
                series("alerts", 0.0, 0.0, 3.0, 0.0, 71.0, 0.0))));

        Element last = document.all("text").stream().filter(t -> t.getTextContent().equals("2026-11-28"))
                .findFirst().orElseThrow();
        assertThat(last.getAttribute("text-anchor")).isEqualTo("end");
        assertThat(SvgDocument.number(last, "x")).isLessThanOrEqualTo(SvgCharts.WIDTH);
    }

    @Test
    void aHeatmapOfCountsHasAWholeNumberLegend() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.HEATMAP, List.of("a", "b", "c"),
                series("s", 0.0, 30.0, 71.0))));

        assertThat(document.texts()).endsWith("0 – 14", "15 – 28", "29 – 42", "43 – 56", "57 – 71");
    }

    @Test
    void negativeBarsHangBelowTheZeroLine() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.BAR, List.of("gain", "loss"),
                series("score change", 4.0, -2.0))));

        List<Element> bars = document.rects(SvgCharts.color(0));
        double gainBottom = SvgDocument.number(bars.get(0), "y") + SvgDocument.number(bars.get(0), "height");
        assertThat(SvgDocument.number(bars.get(1), "y")).isCloseTo(gainBottom,
                org.assertj.core.data.Offset.offset(0.11));
        assertThat(document.texts()).contains("-2", "4");
    }

    @Test
    void theValueAxisHasRoundTicksCoveringTheData() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.LINE, List.of("d1", "d2", "d3"),
                series("alerts", 13.0, 87.0, 41.0))));

        assertThat(document.texts()).containsSubsequence("0", "20", "40", "60", "80", "100");
    }

    @Test
    void linesDifferByColourAndDashAndHaveALegend() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.LINE, List.of("d1", "d2", "d3"),
                series("alerts", 1.0, 2.0, 3.0), series("incidents", 3.0, 2.0, 1.0))));

        List<Element> paths = document.all("path");
        assertThat(paths).hasSize(2);
        assertThat(paths.get(0).getAttribute("d")).startsWith("M").contains(" L");
        assertThat(paths.get(0).getAttribute("stroke")).isNotEqualTo(paths.get(1).getAttribute("stroke"));
        assertThat(paths.get(0).getAttribute("stroke-dasharray"))
                .isNotEqualTo(paths.get(1).getAttribute("stroke-dasharray"));
        assertThat(document.texts()).contains("alerts", "incidents", "d1", "d3");
    }

    @Test
    void aLineWithAMissingValueHasAGapRatherThanAFalseZero() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.LINE, List.of("a", "b", "c", "d"),
                series("s", 1.0, Double.NaN, 2.0, 3.0))));

        assertThat(document.all("path").getFirst().getAttribute("d")).matches("M[^M]+ M[^M]+ L[^M]+");
    }

    @Test
    void manyTimeBucketsShowAboutTenLabels() {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int day = 1; day <= 90; day++) {
            labels.add("2026-%02d-%02d".formatted(1 + (day - 1) / 30, 1 + (day - 1) % 30));
            values.add((double) day);
        }
        SvgDocument document = SvgDocument.parse(SvgCharts.render(new Chart(Kind.LINE, "Daily alerts", labels,
                List.of(new Series("alerts", values)))));

        assertThat(document.texts().stream().filter(t -> t.startsWith("2026-")).count()).isBetween(8L, 11L);
    }

    @Test
    void donutSlicesShareTheRingWithTheirPercentagesInTheLegend() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.DONUT, List.of("open", "closed", "new"),
                series("incidents", 1.0, 2.0, 1.0))));

        List<Element> slices = document.all("path");
        assertThat(slices).hasSize(3);
        assertThat(slices).extracting(s -> s.getAttribute("fill"))
                .containsExactly(SvgCharts.color(0), SvgCharts.color(1), SvgCharts.color(2));
        assertThat(slices.get(1).getAttribute("d")).contains(" A");
        assertThat(document.texts()).contains("open", "1 (25%)", "closed", "2 (50%)", "4", "total");
    }

    @Test
    void aDonutOfOneSliceIsAFullRing() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.DONUT, List.of("critical"),
                series("incidents", 7.0))));

        assertThat(document.all("path")).singleElement()
                .satisfies(p -> assertThat(p.getAttribute("d").split(" A")).hasSize(5));
        assertThat(document.texts()).contains("7 (100%)");
    }

    @Test
    void aDonutDrawsOnlyPositiveValuesAndSaysWhichItLeftOut() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.DONUT, List.of("a", "b", "c"),
                series("s", 3.0, 0.0, -1.0))));

        assertThat(document.all("path")).hasSize(1);
        assertThat(document.texts()).contains("3 (100%)", "0 (not drawn)", "-1 (not drawn)");
    }

    @Test
    void aDonutOfZerosSaysNoData() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.DONUT, List.of("a", "b"),
                series("s", 0.0, 0.0))));

        assertThat(document.texts()).contains("No data");
    }

    @Test
    void aHeatmapShadesHigherValuesDarker() {
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.HEATMAP, List.of("00h", "06h", "12h"),
                series("Mon", 0.0, 5.0, 10.0), series("Tue", 2.0, 8.0, 1.0))));

        assertThat(document.tooltips()).contains("Mon, 12h: 10", "Tue, 00h: 2");
        Element lightest = cell(document, "Mon, 00h: 0");
        Element darkest = cell(document, "Mon, 12h: 10");
        assertThat(Svg.HEAT.indexOf(lightest.getAttribute("fill")))
                .isLessThan(Svg.HEAT.indexOf(cell(document, "Mon, 06h: 5").getAttribute("fill")))
                .isLessThan(Svg.HEAT.indexOf(darkest.getAttribute("fill")));
        assertThat(darkest.getAttribute("fill")).isEqualTo(Svg.HEAT.getLast());
        assertThat(document.texts()).contains("Mon", "Tue", "00h", "10");
    }

    private static Element cell(SvgDocument document, String tooltip) {
        return document.all("title").stream().filter(t -> t.getTextContent().equals(tooltip)).findFirst()
                .map(t -> (Element) t.getNextSibling()).orElseThrow(() -> new AssertionError("no cell " + tooltip));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aChartWithoutDataSaysSo(Kind kind) {
        for (Chart empty : List.of(new Chart(kind, "Nothing", List.of(), List.of()),
                new Chart(kind, "Nothing", List.of("a"), List.of()))) {
            SvgDocument document = SvgDocument.parse(SvgCharts.render(empty));
            assertThat(document.texts()).contains("Nothing", "No data");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void oneLabelAndAllZerosStillDraw(Kind kind) {
        SvgDocument.parse(SvgCharts.render(chart(kind, List.of("only"), series("s", 0.0))));
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(kind, List.of("only"), series("s", 4.0))));
        assertThat(document.texts()).anyMatch(t -> t.contains("only"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void hugeValuesAreAbbreviatedAndHostileTextIsEscaped(Kind kind) {
        String hostile = "<script>alert(\"x\")</script> & 'quoted'\u0000\u0007";
        String svg = SvgCharts.render(new Chart(kind, hostile, List.of(hostile, "b"),
                List.of(new Series(hostile, List.of(2.5e9, 1.2e6)))));

        assertThat(svg).doesNotContain("<script", "\u0000", "\u0007");
        SvgDocument document = SvgDocument.parse(svg);
        assertThat(document.root().getAttribute("aria-label")).isEqualTo("<script>alert(\"x\")</script> & 'quoted'");
        assertThat(String.join("|", document.texts())).contains("2.5B");
        assertThat(document.all("script")).isEmpty();
    }

    @Test
    void longLabelsAreCutWithAnEllipsisAndKeepTheirFullTextAsATooltip() {
        String longName = "Suspicious PowerShell download cradle from an unusual parent process on a domain controller";
        SvgDocument document = SvgDocument.parse(SvgCharts.render(chart(Kind.BAR,
                Collections.nCopies(1, longName), series("alerts", 4.0))));

        assertThat(document.texts()).anyMatch(t -> t.endsWith("…") && longName.startsWith(t.substring(0,
                t.length() - 1)));
        assertThat(document.tooltips()).contains(longName);
    }

    @Test
    void numbersReadAsPeopleWriteThem() {
        assertThat(Svg.value(0)).isEqualTo("0");
        assertThat(Svg.value(-0.0)).isEqualTo("0");
        assertThat(Svg.value(42)).isEqualTo("42");
        assertThat(Svg.value(9999)).isEqualTo("9999");
        assertThat(Svg.value(12_345)).isEqualTo("12.3k");
        assertThat(Svg.value(999_960)).isEqualTo("1M");
        assertThat(Svg.value(-4_200_000)).isEqualTo("-4.2M");
        assertThat(Svg.value(3.14159)).isEqualTo("3.14");
        assertThat(Svg.value(0.5)).isEqualTo("0.5");
        assertThat(Svg.value(Double.NaN)).isEqualTo("n/a");
        assertThat(Svg.percent(1 / 3.0)).isEqualTo("33.3%");
        assertThat(Svg.num(-0.04)).isEqualTo("0");
        assertThat(Svg.num(12.25)).isEqualTo("12.3");
    }

    @Test
    void ticksAreRoundWhateverTheRange() {
        assertThat(Axis.covering(List.of(0.3), 6).ticks()).containsExactly(0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3);
        assertThat(Axis.covering(List.of(1234.0), 6).ticks()).containsExactly(0.0, 250.0, 500.0, 750.0, 1000.0,
                1250.0);
        assertThat(Axis.covering(List.of(-7.0, 3.0), 6).ticks()).containsExactly(-8.0, -6.0, -4.0, -2.0, 0.0, 2.0,
                4.0);
        assertThat(Axis.covering(List.of(0.0), 6).ticks()).contains(0.0, 1.0);
        assertThat(Axis.covering(List.of(5e12), 6).ticks()).contains(0.0, 5e12);
    }
}
