/**
 * Charts as plain SVG 1.1 for reports: {@link dev.vigil.report.svg.SvgCharts} draws the copilot's
 * {@link dev.vigil.copilot.Chart} (bars, lines, donuts, heat maps) and {@link dev.vigil.report.svg.AttackHeatmap} an
 * ATT&amp;CK tactic and technique matrix. Deterministic, escaped and accessible; inline in HTML and drawn by Batik in
 * PDFs.
 */
package dev.vigil.report.svg;
