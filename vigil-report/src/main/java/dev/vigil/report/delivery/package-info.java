/**
 * Where a report goes: a folder, a signed webhook or an e-mail through SMTP ({@link
 * dev.vigil.report.delivery.Destination}), each delivery returning what happened rather than throwing.
 */
package dev.vigil.report.delivery;
