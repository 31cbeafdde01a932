/**
 * Reports: the template format (sections bound to copilot skills or hunting queries, with prose placeholders and
 * chart specifications), the report model, and its rendering to Markdown and standalone HTML. Pure: running the
 * sections against a tenant's data is the caller's, through {@link dev.vigil.report.ReportAssembler.Sections}.
 */
package dev.vigil.report;
