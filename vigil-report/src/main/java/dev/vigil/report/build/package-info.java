/**
 * Reports built from a tenant's data: a template's sections run through the copilot's skills and the hunting
 * language, then rendered (Markdown, HTML, PDF), scheduled and delivered.
 */
package dev.vigil.report.build;
