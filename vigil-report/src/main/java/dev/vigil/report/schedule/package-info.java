/**
 * Reports made on a cron schedule: a tenant's schedules and their runs ({@link
 * dev.vigil.report.schedule.ReportSchedules}), and the tick that claims each due slot once and makes and delivers its
 * report ({@link dev.vigil.report.schedule.ReportScheduler}).
 */
package dev.vigil.report.schedule;
