package dev.vigil.incident;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of an incident's life: who may change it, which changes make sense, and what each records.
 *
 * <ul>
 *   <li>Only analysts and owners change incidents; readers read.
 *   <li>Status goes from new to active to resolved; a resolved incident can be reopened (active), never made new
 *       again. Resolving needs a classification, given before or with it, as Defender and Sentinel ask.
 *   <li>The first move to active, the first owner, or resolving marks the incident acknowledged; resolving marks it
 *       resolved and reopening clears that. Together with the time Vigil opened it they give MTTA and MTTR.
 *   <li>Every change of a field, and every comment, is recorded with who made it and when.
 * </ul>
 */
public final class Lifecycle {
    /** Levels an incident's severity may take, least severe first. */
    public static final List<String> SEVERITIES = List.of("informational", "low", "medium", "high", "critical");
    private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} ._:/-]{0,63}");
    private static final int MAX_TAGS = 32;
    private static final int MAX_COMMENT = 8192;
    private static final int MAX_TEXT = 256;

    private Lifecycle() {}

    /** The incident after an update, with the changes to record. */
    public record Updated(Incident incident, List<IncidentChange> changes) {}

    /** Applies an update made by {@code actor} at {@code now}, or refuses it with the reason and the fix. */
    public static Updated apply(Incident incident, IncidentUpdate update, Principal actor, Instant now) {
        requireNonNull(incident, "incident is null");
        actor.require(Role.ANALYST, "update incident " + incident.number());
        if (update.isEmpty()) {
            throw invalid("the update changes nothing; name a status, severity, classification, owner, tag or comment");
        }
        List<IncidentChange> changes = new ArrayList<>();
        long n = incident.number();
        String who = actor.name();

        Incident.Classification classification = update.classification().orElse(incident.classification());
        String determination = update.determination().map(String::strip).orElse(incident.determination());
        if (determination.length() > MAX_TEXT) {
            throw invalid("the determination is " + determination.length() + " characters; keep it under "
                    + MAX_TEXT);
        }
        if (classification == Incident.Classification.UNDETERMINED && !determination.isEmpty()) {
            if (update.determination().filter(d -> !d.isBlank()).isPresent()) {
                throw invalid("a determination needs a classification: add --classification true-positive,"
                        + " false-positive or informational");
            }
            determination = ""; // an undetermined incident has no determination
        }
        record(changes, n, now, who, "classification", incident.classification().toString(),
                classification.toString());
        record(changes, n, now, who, "determination", incident.determination(), determination);

        Incident.Status status = incident.status();
        Instant acknowledged = incident.acknowledged();
        Instant resolved = incident.resolved();
        if (update.status().isPresent()) {
            Incident.Status next = update.status().get();
            if (next == Incident.Status.NEW && status != Incident.Status.NEW) {
                throw invalid("incident " + n + " is " + status + " and cannot become new again; set it active");
            }
            if (next == Incident.Status.RESOLVED && classification == Incident.Classification.UNDETERMINED) {
                throw invalid("resolving incident " + n + " needs a classification: add --classification"
                        + " true-positive, false-positive or informational");
            }
            if (next != status) {
                if (next != Incident.Status.NEW && acknowledged == null) {
                    acknowledged = now;
                }
                resolved = next == Incident.Status.RESOLVED ? now : null;
                record(changes, n, now, who, "status", status.toString(), next.toString());
                status = next;
            }
        }

        if (status == Incident.Status.RESOLVED && classification == Incident.Classification.UNDETERMINED) {
            // resolved before, and the update takes the classification away: a resolved incident keeps its verdict
            throw invalid("incident " + n + " is resolved and needs a classification; reopen it (--status active)"
                    + " before setting it undetermined");
        }

        String severity = incident.severity();
        if (update.severity().isPresent()) {
            String next = update.severity().get().strip().toLowerCase(Locale.ROOT);
            if (!SEVERITIES.contains(next)) {
                throw invalid("unknown severity '" + update.severity().get() + "'; one of "
                        + String.join(", ", SEVERITIES));
            }
            record(changes, n, now, who, "severity", severity, next);
            severity = next;
        }

        String owner = incident.owner();
        if (update.owner().isPresent()) {
            String next = update.owner().get().strip();
            if (next.length() > MAX_TEXT) {
                throw invalid("the owner's name is too long; keep it under " + MAX_TEXT + " characters");
            }
            record(changes, n, now, who, "owner", owner, next);
            if (!next.isEmpty() && acknowledged == null) {
                acknowledged = now;
            }
            owner = next;
        }

        Set<String> tags = new LinkedHashSet<>(incident.tags());
        for (String tag : update.removeTags()) {
            if (tags.remove(tag.strip())) {
                changes.add(new IncidentChange(n, now, who, "tag", tag.strip(), ""));
            }
        }
        for (String raw : update.addTags()) {
            String tag = raw.strip();
            if (!TAG.matcher(tag).matches()) {
                throw invalid("tag '" + raw + "' is not valid: use 1 to 64 letters, digits, spaces and . _ : / -,"
                        + " starting with a letter or digit");
            }
            if (tags.add(tag)) {
                changes.add(new IncidentChange(n, now, who, "tag", "", tag));
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("an incident keeps at most " + MAX_TAGS + " tags; remove some first");
        }

        if (update.comment().isPresent()) {
            String text = update.comment().get().strip();
            if (text.isEmpty() || text.length() > MAX_COMMENT) {
                throw invalid("a comment needs 1 to " + MAX_COMMENT + " characters");
            }
            changes.add(new IncidentChange(n, now, who, "comment", "", text));
        }

        if (changes.isEmpty()) {
            throw invalid("incident " + n + " already has these values; nothing to change");
        }
        Incident updated = new Incident(n, incident.title(), status, severity, classification, determination, owner,
                List.copyOf(tags), incident.firstSeen(), incident.lastSeen(), incident.created(), acknowledged,
                resolved, incident.reference(), incident.alertCount());
        return new Updated(updated, List.copyOf(changes));
    }

    private static void record(List<IncidentChange> changes, long n, Instant now, String who, String field,
            String from, String to) {
        if (!from.equals(to)) {
            changes.add(new IncidentChange(n, now, who, field, from, to));
        }
    }

    private static VigilException invalid(String message) {
        return new VigilException(ErrorCode.INCIDENT_UPDATE_INVALID, message);
    }
}
