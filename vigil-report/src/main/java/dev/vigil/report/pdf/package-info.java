/** Reports as PDF: well-formed XHTML with inline SVG charts, rendered by openhtmltopdf, the same bytes each time. */
package dev.vigil.report.pdf;
