package dev.vigil.report.build;

import java.util.Map;

/**
 * Makes a report of a tenant from a template and parameters: the one entry point the CLI, the server and the
 * scheduler call. The same data and the same parameters give byte-identical output.
 */
@FunctionalInterface
public interface ReportMaker {
    /**
     * Builds and renders a report.
     *
     * @param tenant the tenant whose data the report reads
     * @param template a built-in template's name or one the tenant imported
     * @param params report parameters by name, as on the command line without the dashes: {@code period}
     *     ({@code 7d}, {@code 30d}, {@code 2026-11-01..2026-11-29}), {@code as-of}, {@code audience}
     *     ({@code executive} or {@code technical}), {@code sections}, {@code without}, {@code org}, {@code logo},
     *     {@code colour}, {@code incident}, {@code actor}, {@code session}, and filters such as {@code host}
     * @param format {@code md}, {@code html} or {@code pdf}
     * @return the rendered report
     * @throws dev.vigil.model.VigilException for an unknown template, a bad parameter or an unknown format, with
     *     a message that says how to fix it
     */
    RenderedReport make(String tenant, String template, Map<String, String> params, String format);
}
