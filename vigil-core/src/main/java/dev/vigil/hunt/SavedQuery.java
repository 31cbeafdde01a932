package dev.vigil.hunt;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.query.QueryParameter;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A hunting query kept under a name in a tenant, with the parameters it declares ({@code declare query_parameters}),
 * so that it can be run again, shared as a file, and scheduled as a detection.
 *
 * @param name see {@link #checkName}; unique within a tenant
 * @param parameters what the KQL declares, in order, derived from the text when it is saved
 * @param createdBy who saved it first; kept when it is saved again
 * @param updatedAt when it was last saved; equal to {@code createdAt} until then
 */
public record SavedQuery(String name, String description, String kql, List<QueryParameter> parameters,
        List<String> tags, String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,99}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}");

    public SavedQuery {
        checkName(name);
        requireNonNull(kql, "kql is null");
        description = description == null ? "" : description.strip();
        parameters = List.copyOf(parameters);
        tags = List.copyOf(tags);
        for (String tag : tags) {
            if (!TAG.matcher(tag).matches()) {
                throw new VigilException(ErrorCode.USAGE, "tag '" + tag + "' of query '" + name + "' is not valid",
                        "Use tags of 1 to 64 letters, digits and '_', '.', ':', '/', '-', e.g. attack.t1059.", null);
            }
        }
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedBy, "updatedBy is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /**
     * Refuses a name that is not 1 to 100 characters of letters, digits, '_', '.' and '-' starting with a letter: names
     * become rule ids ({@code kql:NAME}), file names on export and command arguments, so they stay plain.
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new VigilException(ErrorCode.USAGE, "'" + name + "' is not a valid query name",
                    "Name a query with 1 to 100 letters, digits, '_', '.' and '-', starting with a letter, e.g."
                            + " encoded-powershell.", null);
        }
        return name;
    }

    /** The parameters as {@code name:type[ = default]}, as listings show them. */
    public String signature() {
        return String.join(", ", parameters.stream().map(p -> p.name() + ":" + p.typeName()
                + (p.defaultValue() == null ? "" : " = " + p.defaultValue())).toList());
    }
}
