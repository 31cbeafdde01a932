/**
 * Saved hunting queries and the detections scheduled from them, as pure logic: names and parameters of saved
 * queries ({@link dev.vigil.hunt.SavedQuery}, {@link dev.vigil.hunt.ParameterValues}), when a schedule is due and over
 * which window ({@link dev.vigil.hunt.HuntSchedule}), and how a query's rows become alerts, with entities read from
 * the columns' names and suppression windows ({@link dev.vigil.hunt.ScheduledDetection},
 * {@link dev.vigil.hunt.EntityColumns}). The store keeps them and runs the queries; this package decides.
 */
package dev.vigil.hunt;
