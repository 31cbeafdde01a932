package dev.vigil.copilot.skills;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillInput;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.Table;
import dev.vigil.model.EventId;
import dev.vigil.model.Role;
import dev.vigil.posture.inventory.Identity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code user-analysis}: what an account did in the time range (all stored data without one): its cloud sign-ins,
 * its Windows logons and the hosts they reached, the processes it started, the alerts and incidents that name it,
 * and what stands out: failures, sign-in sources and countries seen once, hosts it had never logged on to before the
 * range, activity outside office hours, and privileges. Every figure comes from a query recorded in the result.
 */
public final class UserAnalysisSkill implements Skill {
    private static final SkillInput USER = SkillInput.required("user", EntityType.USER,
            "The account (jdoe, DOMAIN\\jdoe or jdoe@corp.example).");
    static final String OFF_HOURS = "before 07:00 or from 19:00 UTC";
    private static final SkillSpec SPEC = new SkillSpec("user-analysis", "incidents",
            "Analyses what a user account did: sign-ins, logons and the hosts used, processes started, alerts and"
                    + " incidents, and what is unusual about it.",
            List.of("What did jdoe do?", "Investigate the account jamal.novak", "Is alice's activity suspicious?",
                    "Where did bob sign in from in the last day?", "Show the logons of KESTREL\\admin"),
            List.of(USER));

    private final Workspace workspace;

    public UserAnalysisSkill(Workspace workspace) {
        this.workspace = requireNonNull(workspace, "workspace is null");
    }

    @Override
    public SkillSpec spec() {
        return SPEC;
    }

    @Override
    public SkillResult run(SkillCall call, SkillContext context) {
        context.principal().require(Role.READER, "read events");
        SkillResult.Builder result = SkillResult.builder(SPEC.name());
        Investigation investigation = new Investigation(workspace, call, context, result);
        String user = Investigation.userKey(call.first(USER.name()).orElseThrow());
        result.subject(EntityType.USER, user);
        result.fact("user", user);
        String[] bounds = investigation.time().isPresent() ? new String[2]
                : investigation.bounds(List.of("SigninLogs", "SecurityEvent", "SysmonEvent"));
        String scope = investigation.scope(bounds[0], bounds[1]);
        investigation.scopeFacts(bounds[0], bounds[1]);

        boolean hasSignins = investigation.hasTable("SigninLogs");
        Investigation.Ran signins = hasSignins ? investigation.kql("SigninLogs | where "
                + Investigation.kqlUser("UserPrincipalName", user) + " | summarize SignIns = count(), Failures ="
                + " countif(outcome == \"failure\"), First = min(Timestamp), Last = max(Timestamp) by IPAddress,"
                + " Location | sort by SignIns desc, IPAddress asc") : null;
        Investigation.Ran logons = investigation.kql("DeviceLogonEvents | where AccountName =~ "
                + Investigation.kqlString(user) + " | summarize Successes = countif(ActionType == \"LogonSuccess\"),"
                + " Failures = countif(ActionType == \"LogonFailed\"), OffHours = countif(hourofday(Timestamp) < 7 or"
                + " hourofday(Timestamp) >= 19), Sources = dcount(RemoteIP), First = min(Timestamp), Last ="
                + " max(Timestamp) by DeviceName | sort by Successes desc, DeviceName asc");
        Investigation.Ran processes = investigation.kql("DeviceProcessEvents | where AccountName =~ "
                + Investigation.kqlString(user) + " | summarize Started = count(), Hosts = dcount(DeviceName),"
                + " OffHours = countif(hourofday(Timestamp) < 7 or hourofday(Timestamp) >= 19), First ="
                + " min(Timestamp) by FileName | sort by Started desc, FileName asc");
        Investigation.Ran processHosts = investigation.kql("DeviceProcessEvents | where AccountName =~ "
                + Investigation.kqlString(user) + " | summarize Started = count() by DeviceName | sort by Started desc,"
                + " DeviceName asc");
        String alertWhere = Investigation.sqlAlertUser(user) + " AND " + investigation.sqlWindow("a.\"time\"");
        Investigation.Ran alerts = investigation.sql("SELECT a.title, a.level, count(*) AS alerts, max(a.\"time\") AS"
                + " last, array_to_string(list(CAST(a.alert_id AS VARCHAR) ORDER BY a.\"time\" DESC)[1:5], ',') AS ids FROM vigil_alerts a WHERE "
                + alertWhere + " GROUP BY ALL ORDER BY alerts DESC, a.title");
        List<Long> incidentNumbers = List.copyOf(investigation.incidentsOfAlerts(alertWhere));

        long signinCount = 0;
        long signinFailures = 0;
        List<String> onceSources = new ArrayList<>();
        Map<String, Long> countries = new LinkedHashMap<>();
        List<List<Object>> signinRows = new ArrayList<>();
        if (signins != null) {
            for (List<Object> row : signins.rows()) {
                long n = Investigation.number(row.get(2));
                signinCount += n;
                signinFailures += Investigation.number(row.get(3));
                String address = Investigation.text(row.get(0));
                if (n == 1) {
                    onceSources.add(address);
                }
                countries.merge(Investigation.text(row.get(1)), n, Long::sum);
                if (signinRows.size() < Investigation.SHOWN) {
                    signinRows.add(List.of(address, Investigation.text(row.get(1)), n,
                            Investigation.number(row.get(3)), Investigation.time(row.get(4)),
                            Investigation.time(row.get(5))));
                }
            }
        }
        long logonSuccesses = 0;
        long logonFailures = 0;
        long offHours = 0;
        List<String> hosts = new ArrayList<>();
        List<List<Object>> logonRows = new ArrayList<>();
        for (List<Object> row : logons.rows()) {
            logonSuccesses += Investigation.number(row.get(1));
            logonFailures += Investigation.number(row.get(2));
            offHours += Investigation.number(row.get(3));
            String host = Investigation.hostKey(Investigation.text(row.get(0)));
            hosts.add(host);
            if (logonRows.size() < Investigation.SHOWN) {
                logonRows.add(List.of(host, Investigation.number(row.get(1)), Investigation.number(row.get(2)),
                        Investigation.number(row.get(3)), Investigation.number(row.get(4)),
                        Investigation.time(row.get(5)), Investigation.time(row.get(6))));
            }
        }
        List<String> processHostNames = new ArrayList<>();
        for (List<Object> row : processHosts.rows()) {
            String host = Investigation.hostKey(Investigation.text(row.get(0)));
            processHostNames.add(host);
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        long started = 0;
        long processOffHours = 0;
        List<List<Object>> processRows = new ArrayList<>();
        for (List<Object> row : processes.rows()) {
            started += Investigation.number(row.get(1));
            processOffHours += Investigation.number(row.get(3));
            if (processRows.size() < Investigation.SHOWN) {
                processRows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1)),
                        Investigation.number(row.get(2)), Investigation.time(row.get(4))));
            }
        }
        long alertCount = alerts.rows().stream().mapToLong(r -> Investigation.number(r.get(2))).sum();

        if (signinCount == 0 && logonSuccesses + logonFailures == 0 && started == 0 && alertCount == 0) {
            return empty(result, investigation, user, scope, hasSignins);
        }
        List<String> did = new ArrayList<>();
        if (signinCount > 0) {
            did.add("signed in " + Investigation.count(signinCount, "time") + " (" + signinFailures + " failed) from "
                    + Investigation.count(signins.rows().size(), "address"));
        }
        if (logonSuccesses + logonFailures > 0) {
            did.add("logged on to " + Investigation.count(logons.rows().size(), "host") + " (" + logonSuccesses
                    + " successful and " + logonFailures + " failed logons)");
        }
        if (started > 0) {
            did.add("started " + Investigation.count(started, "process") + " of "
                    + Investigation.count(processes.rows().size(), "program") + " on "
                    + Investigation.join(processHostNames.stream().limit(5).toList()));
        }
        result.paragraph("In " + scope + ", account " + user + " " + (did.isEmpty() ? "shows no activity of its own"
                : Investigation.join(did)) + "; " + Investigation.count(alertCount, "alert") + " and "
                + Investigation.count(incidentNumbers.size(), "incident") + " name it (tenant '"
                + investigation.tenant() + "').");
        result.fact("signins", signinCount).fact("signin_failures", signinFailures).fact("logons", logonSuccesses)
                .fact("logon_failures", logonFailures).fact("hosts", hosts).fact("processes", started)
                .fact("programs", processes.rows().size())
                .fact("logon_hosts", logons.rows().size()).fact("process_hosts", processHostNames)
                .fact("signin_sources", signins == null ? 0 : signins.rows().size())
                .fact("alerts", alertCount).fact("incidents", incidentNumbers);
        if (!processRows.isEmpty()) {
            result.fact("top_process", processRows.get(0).get(0));
        }

        List<String> unusual = new ArrayList<>();
        if (signinFailures > 0 && signinFailures >= signinCount - signinFailures) {
            unusual.add("more sign-ins failed (" + signinFailures + ") than succeeded ("
                    + (signinCount - signinFailures) + ")");
        }
        if (logonFailures > 0 && logonFailures >= logonSuccesses) {
            unusual.add("more logons failed (" + logonFailures + ") than succeeded (" + logonSuccesses + ")");
        }
        if (!onceSources.isEmpty() && signins.rows().size() > 1) {
            unusual.add("sign-ins came once only from " + Investigation.join(onceSources.stream().limit(5).toList()));
            result.fact("signin_sources_once", onceSources);
        }
        List<String> onceCountries = countries.entrySet().stream().filter(e -> e.getValue() == 1 && countries.size() > 1)
                .map(Map.Entry::getKey).toList();
        if (!onceCountries.isEmpty()) {
            unusual.add("a single sign-in came from " + Investigation.join(onceCountries));
            result.fact("countries_once", onceCountries);
        }
        if (investigation.time().isPresent() && !hosts.isEmpty()) {
            Investigation.Ran history = investigation.kqlAllTime("DeviceLogonEvents | where AccountName =~ "
                    + Investigation.kqlString(user) + " and ActionType == \"LogonSuccess\" | summarize First ="
                    + " min(Timestamp) by DeviceName");
            List<String> newHosts = new ArrayList<>();
            for (List<Object> row : history.rows()) {
                String first = Investigation.time(row.get(1));
                if (first != null && first.compareTo(Investigation.instant(investigation.time().get().from())) >= 0) {
                    newHosts.add(Investigation.hostKey(Investigation.text(row.get(0))));
                }
            }
            if (!newHosts.isEmpty()) {
                unusual.add("it logged on to " + Investigation.join(newHosts) + " for the first time in the stored"
                        + " data");
                result.fact("new_hosts", newHosts);
                result.evidence("First logons of " + user + " per host", List.of(history.ref()));
            }
        }
        if (offHours + processOffHours > 0) {
            unusual.add(offHours + " logons and " + processOffHours + " process starts were " + OFF_HOURS);
            result.fact("off_hours_logons", offHours).fact("off_hours_processes", processOffHours)
                    .fact("off_hours", OFF_HOURS);
        }
        Map<String, EventId> privileged = workspace.store().incidents().privilegedUsers(context.principal(),
                Set.of(user));
        if (!privileged.isEmpty()) {
            unusual.add("it holds special privileges (a privileged logon or a group membership added)");
            result.evidence(user + " holds special privileges", privileged.values().stream()
                    .map(id -> "event:" + id).toList());
            result.fact("privileged", true);
        }
        for (Identity identity : workspace.store().posture().inventory().identities()) {
            if (dev.vigil.incident.EntityKey.of(new dev.vigil.model.Alert.Entity("user", identity.name()))
                    .filter(k -> k.value().equals(user)).isPresent()) {
                if (!identity.adminRoles().isEmpty()) {
                    unusual.add("the inventory gives it the admin roles " + Investigation.join(identity.adminRoles()));
                    result.fact("admin_roles", identity.adminRoles()).fact("privileged", true);
                }
            }
        }
        if (!unusual.isEmpty()) {
            result.paragraph("What stands out: " + String.join("; ", unusual) + ".");
        }
        if (signins != null && !signins.isEmpty()) {
            result.table(new Table("Sign-ins by source" + Investigation.shown(signinRows.size(),
                    signins.rows().size()), List.of("address", "country", "sign-ins", "failures", "first (UTC)",
                    "last (UTC)"), signinRows));
            result.evidence(user + " signed in " + signinCount + " times", List.of(signins.ref()));
        }
        if (!logonRows.isEmpty()) {
            result.table(new Table("Logons by host" + Investigation.shown(logonRows.size(), logons.rows().size()),
                    List.of("host", "successes", "failures", "off hours", "source addresses", "first (UTC)",
                            "last (UTC)"), logonRows));
            result.evidence(user + " logged on to " + Investigation.count(logons.rows().size(), "host"),
                    List.of(logons.ref()));
        }
        if (!processRows.isEmpty()) {
            result.table(new Table("Processes started" + Investigation.shown(processRows.size(),
                    processes.rows().size()), List.of("process", "started", "hosts", "first (UTC)"), processRows));
            result.evidence(user + " started " + started + " processes", List.of(processes.ref(), processHosts.ref()));
        }
        if (!alerts.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            for (List<Object> row : alerts.rows()) {
                rows.add(List.of(Investigation.text(row.get(0)), Investigation.text(row.get(1)),
                        Investigation.number(row.get(2)), Investigation.time(row.get(3))));
                ids(row.get(4)).forEach(id -> refs.add("alert:" + id));
            }
            result.table(new Table("Alerts naming " + user, List.of("rule", "level", "alerts", "last (UTC)"), rows));
            result.evidence("Alerts naming " + user, refs.isEmpty() ? List.of(alerts.ref()) : refs);
        }
        if (!incidentNumbers.isEmpty()) {
            result.evidence("Incidents naming " + user, incidentNumbers.stream().map(n -> "incident:" + n).toList());
            incidentNumbers.forEach(n -> result.subject(EntityType.INCIDENT, Long.toString(n)));
            result.followUp("Summarize incident " + incidentNumbers.get(0));
        }
        hosts.forEach(h -> result.subject(EntityType.HOST, h));
        if (!hosts.isEmpty()) {
            result.followUp("What happened on " + hosts.get(0) + "?");
        }
        result.followUp("Which alerts name " + user + "?");
        result.followUp("Show the incidents involving " + user);
        return result.build();
    }

    private SkillResult empty(SkillResult.Builder result, Investigation investigation, String user, String scope,
            boolean hasSignins) {
        result.status(SkillResult.Status.EMPTY).fact("signins", 0L).fact("logons", 0L).fact("processes", 0L)
                .fact("alerts", 0L);
        StringBuilder text = new StringBuilder("No activity of account " + user + " is stored in tenant '"
                + investigation.tenant() + "' (" + scope + "): no sign-in, logon, process start or alert names it.");
        if (!hasSignins) {
            text.append(" Vigil has no SigninLogs table: ingest Entra ID sign-in logs to see cloud sign-ins.");
        }
        if (investigation.time().isPresent()) {
            Investigation.Ran outside = investigation.kqlAllTime("union (DeviceLogonEvents | where AccountName =~ "
                    + Investigation.kqlString(user) + "), (DeviceProcessEvents | where AccountName =~ "
                    + Investigation.kqlString(user) + ")" + (hasSignins ? ", (SigninLogs | where "
                    + Investigation.kqlUser("UserPrincipalName", user) + ")" : "") + " | count");
            long n = Investigation.number(outside.rows().get(0).get(0));
            result.fact("events_any_time", n);
            if (n > 0) {
                text.append(" Outside the time range ").append(Investigation.count(n, "sign-in, logon or process event"))
                        .append(" name it: widen the range to see them.");
                result.evidence("Events of " + user + " outside the range", List.of(outside.ref()));
            } else {
                text.append(" No stored data names it at any time either; check the spelling of the account.");
            }
        }
        result.markdown(text.toString());
        result.followUp("List the open incidents");
        result.followUp("Show the latest alerts");
        return result.build();
    }

    static List<String> ids(Object cell) {
        if (cell == null) {
            return List.of();
        }
        String text = cell.toString();
        return text.isBlank() ? List.of() : java.util.Arrays.stream(text.split(",")).map(String::strip).toList();
    }
}
