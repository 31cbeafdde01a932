package dev.vigil.incident;

import dev.vigil.model.Alert;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An incident's title and severity, derived from its alerts, so that the same alerts always give the same ones. */
public final class IncidentNaming {
    private IncidentNaming() {}

    /** The rank of a level among {@link Lifecycle#SEVERITIES}; -1 for an unknown one. */
    public static int rank(String level) {
        return Lifecycle.SEVERITIES.indexOf(level == null ? "" : level.toLowerCase(java.util.Locale.ROOT));
    }

    /** The highest level among the alerts, {@code informational} when none is known. */
    public static String severity(List<Alert> alerts) {
        int best = 0;
        for (Alert alert : alerts) {
            best = Math.max(best, rank(alert.level()));
        }
        return Lifecycle.SEVERITIES.get(best);
    }

    /**
     * "Title of the most severe (then earliest) alert on host-a and host-b", plus how many other detections and hosts
     * there are: {@code "Mimikatz use on ws-12 (+4 more detections, 2 more hosts)"}.
     */
    public static String title(List<Alert> alerts) {
        if (alerts.isEmpty()) {
            return "empty incident";
        }
        Alert lead = alerts.stream().min(Comparator.comparingInt((Alert a) -> -rank(a.level()))
                .thenComparingLong(Alert::timeMicros).thenComparing(Alert::id)).orElseThrow();
        Set<String> hosts = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        alerts.stream().sorted(Comparator.comparingLong(Alert::timeMicros).thenComparing(Alert::id)).forEach(alert -> {
            rules.add(alert.ruleId());
            for (Alert.Entity entity : alert.entities()) {
                if (entity.kind().equals("host")) {
                    EntityKey.host(entity.value()).ifPresent(key -> hosts.add(key.value()));
                }
            }
        });
        StringBuilder title = new StringBuilder(lead.title());
        List<String> hostList = List.copyOf(hosts);
        if (!hostList.isEmpty()) {
            title.append(" on ").append(hostList.get(0));
        }
        int moreRules = rules.size() - 1;
        int moreHosts = Math.max(0, hostList.size() - 1);
        List<String> more = new java.util.ArrayList<>();
        if (moreRules > 0) {
            more.add("+" + moreRules + (moreRules == 1 ? " more detection" : " more detections"));
        }
        if (moreHosts > 0) {
            more.add("+" + moreHosts + (moreHosts == 1 ? " more host" : " more hosts"));
        }
        if (!more.isEmpty()) {
            title.append(" (").append(String.join(", ", more)).append(')');
        }
        return title.length() > 200 ? title.substring(0, 199) + "…" : title.toString();
    }
}
