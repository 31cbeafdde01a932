package dev.vigil.posture;

import java.time.LocalDate;
import java.util.List;

/**
 * What to do about a finding.
 *
 * @param fixedVersion the version to move to (the lowest fixed version above the installed one), or null
 * @param requiredAction CISA's required action for a KEV entry, or null
 * @param dueDate CISA's due date for federal agencies, or null
 * @param steps the remediation, in words
 * @param compensatingControls ATT&amp;CK mitigations of what the weakness enables, as {@code M1042 Disable or Remove
 *     Feature or Program (T1021.001)}
 */
public record Guidance(String fixedVersion, String requiredAction, LocalDate dueDate, List<String> steps,
        List<String> compensatingControls) {
    public Guidance {
        steps = List.copyOf(steps);
        compensatingControls = List.copyOf(compensatingControls);
    }
}
