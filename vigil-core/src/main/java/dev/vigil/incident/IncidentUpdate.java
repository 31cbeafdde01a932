package dev.vigil.incident;

import java.util.List;
import java.util.Optional;

/**
 * What an analyst changes in an incident; every part is optional.
 *
 * @param owner the new owner; an empty string unassigns
 */
public record IncidentUpdate(Optional<Incident.Status> status, Optional<String> severity,
        Optional<Incident.Classification> classification, Optional<String> determination, Optional<String> owner,
        List<String> addTags, List<String> removeTags, Optional<String> comment) {

    public IncidentUpdate {
        addTags = List.copyOf(addTags);
        removeTags = List.copyOf(removeTags);
    }

    /** An update that changes nothing, to build on with the {@code with...} methods. */
    public static IncidentUpdate none() {
        return new IncidentUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), List.of(), Optional.empty());
    }

    public IncidentUpdate withStatus(Incident.Status value) {
        return new IncidentUpdate(Optional.of(value), severity, classification, determination, owner, addTags,
                removeTags, comment);
    }

    public IncidentUpdate withSeverity(String value) {
        return new IncidentUpdate(status, Optional.of(value), classification, determination, owner, addTags,
                removeTags, comment);
    }

    public IncidentUpdate withClassification(Incident.Classification value, String why) {
        return new IncidentUpdate(status, severity, Optional.of(value), Optional.ofNullable(why), owner, addTags,
                removeTags, comment);
    }

    public IncidentUpdate withOwner(String value) {
        return new IncidentUpdate(status, severity, classification, determination, Optional.of(value), addTags,
                removeTags, comment);
    }

    public IncidentUpdate withTags(List<String> add, List<String> remove) {
        return new IncidentUpdate(status, severity, classification, determination, owner, add, remove, comment);
    }

    public IncidentUpdate withComment(String text) {
        return new IncidentUpdate(status, severity, classification, determination, owner, addTags, removeTags,
                Optional.of(text));
    }

    /** Whether it changes nothing. */
    public boolean isEmpty() {
        return status.isEmpty() && severity.isEmpty() && classification.isEmpty() && determination.isEmpty()
                && owner.isEmpty() && addTags.isEmpty() && removeTags.isEmpty() && comment.isEmpty();
    }
}
