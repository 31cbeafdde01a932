package dev.vigil.report;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a report is asked for with: whose data, for whom, over which period, and which sections.
 *
 * @param tenant the tenant whose data the report reads
 * @param organization the organization's name as shown in the report; empty for the tenant's id
 * @param period the period covered
 * @param audience executive or technical; null for the template's own
 * @param parameters the other parameters by placeholder name: {@code incident}, {@code actor}, {@code session} and
 *     the filters {@code host}, {@code user}, {@code severity}
 * @param only the ids of the sections wanted, in any order; empty for the template's enabled sections
 * @param without the ids of sections left out
 */
public record ReportRequest(String tenant, String organization, ReportPeriod period, Audience audience,
        Map<String, String> parameters, List<String> only, List<String> without) {
    public ReportRequest {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(organization, "organization is null");
        requireNonNull(period, "period is null");
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        only = List.copyOf(only);
        without = List.copyOf(without);
        if (audience == Audience.BOTH) {
            throw new IllegalArgumentException("a report is for executives or for technical readers, not both");
        }
    }
}
