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
import dev.vigil.model.Role;
import dev.vigil.posture.inventory.Asset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code host-analysis}: what happened on a host in the time range (all stored data without one): the processes
 * started on it and those that ran on no other host, its network destinations (external ones apart), the logons to
 * it, encoded PowerShell, its alerts and incidents, and its record in the asset inventory.
 */
public final class HostAnalysisSkill implements Skill {
    private static final SkillInput HOST = SkillInput.required("host", EntityType.HOST,
            "The host (WS007 or ws007.corp.example).");
    private static final SkillSpec SPEC = new SkillSpec("host-analysis", "incidents",
            "Analyses what happened on a host: processes started (top and rare), network destinations, logons to it,"
                    + " encoded PowerShell, alerts and incidents, its inventory record, and what is unusual.",
            List.of("What happened on WS007?", "Investigate host dc01", "Is web01 compromised?",
                    "What did ws007 connect to in the last day?", "Which accounts logged on to FS01?"),
            List.of(HOST));

    private final Workspace workspace;

    public HostAnalysisSkill(Workspace workspace) {
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
        String host = Investigation.hostKey(call.first(HOST.name()).orElseThrow());
        String onHost = Investigation.kqlHost("DeviceName", host);
        result.subject(EntityType.HOST, host);
        result.fact("host", host);
        String[] bounds = investigation.time().isPresent() ? new String[2]
                : investigation.bounds(List.of("SecurityEvent", "SysmonEvent"));
        String scope = investigation.scope(bounds[0], bounds[1]);
        investigation.scopeFacts(bounds[0], bounds[1]);

        Investigation.Ran processes = investigation.kql("DeviceProcessEvents | where " + onHost
                + " | summarize Started = count(), Accounts = dcount(AccountName), First = min(Timestamp), Last ="
                + " max(Timestamp) by FileName | sort by Started desc, FileName asc");
        // Only the names seen on this host can be rare here: counting hosts for those alone, not for every name of
        // the tenant, gives the same rows and aggregates a fraction of the events.
        Investigation.Ran rare = investigation.kql("let here = DeviceProcessEvents | where " + onHost
                + " | distinct FileName;\nDeviceProcessEvents | where FileName in (here) | summarize Hosts ="
                + " dcount(DeviceId), Here = countif(" + onHost + ") by FileName | where Here > 0 and Hosts == 1"
                + " | sort by Here asc, FileName asc");
        Investigation.Ran encoded = investigation.kql("DeviceProcessEvents | where " + onHost + " and FileName in~"
                + " (\"powershell.exe\", \"pwsh.exe\") and (ProcessCommandLine contains \"-enc\" or"
                + " ProcessCommandLine contains \"-e \" or ProcessCommandLine contains \"frombase64string\")"
                + " | project Timestamp, AccountName, ProcessCommandLine, event_id | sort by Timestamp asc | take 10");
        Investigation.Ran network = investigation.kql("DeviceNetworkEvents | where " + onHost + " | summarize"
                + " Connections = count(), Processes = make_set(InitiatingProcessFileName), First = min(Timestamp),"
                + " Last = max(Timestamp) by RemoteIP, RemotePort | sort by Connections desc, RemoteIP asc");
        Investigation.Ran lonely = investigation.kql("let here = DeviceNetworkEvents | where " + onHost
                + " | distinct RemoteIP;\nDeviceNetworkEvents | where RemoteIP in (here) | summarize Hosts ="
                + " dcount(DeviceId), Here = countif(" + onHost + ") by RemoteIP | where Here > 0 and Hosts == 1"
                + " | sort by RemoteIP asc");
        Investigation.Ran logons = investigation.kql("DeviceLogonEvents | where " + onHost + " | summarize Successes ="
                + " countif(ActionType == \"LogonSuccess\"), Failures = countif(ActionType == \"LogonFailed\"),"
                + " Sources = make_set(RemoteIP), Last = max(Timestamp) by AccountName | sort by Successes desc,"
                + " AccountName asc");
        String alertWhere = Investigation.sqlAlertHost(host) + " AND " + investigation.sqlWindow("a.\"time\"");
        Investigation.Ran alerts = investigation.sql("SELECT a.title, a.level, count(*) AS alerts, max(a.\"time\") AS"
                + " last, array_to_string(list(CAST(a.alert_id AS VARCHAR) ORDER BY a.\"time\" DESC)[1:5], ',') AS ids"
                + " FROM vigil_alerts a WHERE " + alertWhere + " GROUP BY ALL ORDER BY alerts DESC, a.title");
        List<Long> incidentNumbers = List.copyOf(investigation.incidentsOfAlerts(alertWhere));
        Optional<Asset> asset = workspace.store().posture().assets().stream().filter(a -> a.id().equals(host))
                .findFirst();

        long started = processes.rows().stream().mapToLong(r -> Investigation.number(r.get(1))).sum();
        long connections = network.rows().stream().mapToLong(r -> Investigation.number(r.get(2))).sum();
        long logonCount = logons.rows().stream().mapToLong(r -> Investigation.number(r.get(1))).sum();
        long logonFailures = logons.rows().stream().mapToLong(r -> Investigation.number(r.get(2))).sum();
        long alertCount = alerts.rows().stream().mapToLong(r -> Investigation.number(r.get(2))).sum();
        if (started + connections + logonCount + logonFailures + alertCount == 0 && asset.isEmpty()) {
            return empty(result, investigation, host, scope);
        }

        List<String> external = new ArrayList<>();
        for (List<Object> row : network.rows()) {
            String address = Investigation.text(row.get(0));
            if (Investigation.external(address) && !external.contains(address)) {
                external.add(address);
            }
        }
        List<String> did = new ArrayList<>();
        if (started > 0) {
            did.add(Investigation.count(started, "process") + " of " + Investigation.count(processes.rows().size(),
                    "program") + " started");
        }
        if (connections > 0) {
            did.add(Investigation.count(connections, "connection") + " to " + Investigation.count(
                    network.rows().stream().map(r -> r.get(0)).distinct().count(), "address") + " ("
                    + external.size() + " external)");
        }
        if (logonCount + logonFailures > 0) {
            did.add(logonCount + " successful and " + logonFailures + " failed logons by "
                    + Investigation.count(logons.rows().size(), "account"));
        }
        result.paragraph("In " + scope + ", host " + host + " shows " + (did.isEmpty() ? "no event of its own"
                : Investigation.join(did)) + "; " + Investigation.count(alertCount, "alert") + " and "
                + Investigation.count(incidentNumbers.size(), "incident") + " name it (tenant '"
                + investigation.tenant() + "').");
        result.fact("processes", started).fact("programs", processes.rows().size())
                .fact("connections", connections)
                .fact("destinations", network.rows().stream().map(r -> r.get(0)).distinct().count())
                .fact("accounts", logons.rows().size()).fact("external_destinations", external)
                .fact("logons", logonCount).fact("logon_failures", logonFailures).fact("alerts", alertCount)
                .fact("incidents", incidentNumbers);
        if (!processes.isEmpty()) {
            result.fact("top_process", Investigation.text(processes.rows().get(0).get(0)));
        }

        List<String> unusual = new ArrayList<>();
        List<String> rareNames = rare.rows().stream().map(r -> Investigation.text(r.get(0))).toList();
        if (!rareNames.isEmpty()) {
            unusual.add(Investigation.count(rareNames.size(), "program") + " ran on this host and no other: "
                    + Investigation.join(rareNames.stream().limit(8).toList()));
            result.fact("rare_processes", rareNames);
            result.evidence("Programs that ran only on " + host, List.of(rare.ref()));
        }
        if (!encoded.isEmpty()) {
            List<String> refs = encoded.rows().stream().map(r -> "event:" + r.get(3)).toList();
            unusual.add("PowerShell ran with an encoded command " + Investigation.count(encoded.rows().size(), "time")
                    + ", first at " + Investigation.time(encoded.rows().get(0).get(0)) + " by "
                    + Investigation.text(encoded.rows().get(0).get(1)));
            result.fact("encoded_powershell", encoded.rows().size());
            result.evidence("Encoded PowerShell on " + host, refs);
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : encoded.rows()) {
                rows.add(List.of(Investigation.time(row.get(0)), Investigation.text(row.get(1)),
                        Investigation.text(row.get(2)), Investigation.text(row.get(3))));
            }
            result.table(new Table("Encoded PowerShell", List.of("time (UTC)", "account", "command line", "event"),
                    rows));
        }
        List<String> lonelyExternal = lonely.rows().stream().map(r -> Investigation.text(r.get(0)))
                .filter(Investigation::external).toList();
        if (!lonelyExternal.isEmpty()) {
            unusual.add("no other host contacted the external " + (lonelyExternal.size() == 1 ? "address " : "addresses ")
                    + Investigation.join(lonelyExternal.stream().limit(8).toList()));
            result.fact("external_only_here", lonelyExternal);
            result.evidence("External addresses only " + host + " contacted", List.of(lonely.ref()));
        }
        if (logonFailures > 0 && logonFailures >= logonCount) {
            unusual.add("more logons failed (" + logonFailures + ") than succeeded (" + logonCount + ")");
        }
        if (!unusual.isEmpty()) {
            result.paragraph("What stands out: " + String.join("; ", unusual) + ".");
        }
        asset.ifPresent(a -> {
            List<String> parts = new ArrayList<>();
            if (a.criticality() != null) {
                parts.add("criticality " + a.criticality().toString().toLowerCase(java.util.Locale.ROOT));
                result.fact("criticality", a.criticality().toString().toLowerCase(java.util.Locale.ROOT));
            }
            if (a.owner() != null) {
                parts.add("owner " + a.owner());
                result.fact("owner", a.owner());
            }
            if (a.os() != null) {
                parts.add("OS " + a.os() + (a.osVersion() == null ? "" : " " + a.osVersion()));
            }
            if (Boolean.TRUE.equals(a.internetFacing())) {
                parts.add("internet-facing");
            }
            result.fact("internet_facing", a.internetFacing());
            result.paragraph("In the asset inventory, " + host + (parts.isEmpty() ? " has no details beyond its name"
                    : " has " + String.join(", ", parts)) + ".");
            result.evidence("Inventory record of " + host, List.of("asset:" + host));
            result.table(new Table("Asset " + host, List.of("field", "value"), java.util.Arrays.asList(
                    java.util.Arrays.asList("hostname", a.hostname()),
                    java.util.Arrays.asList("criticality", a.criticality() == null ? null
                            : a.criticality().toString().toLowerCase(java.util.Locale.ROOT)),
                    java.util.Arrays.asList("owner", a.owner()),
                    java.util.Arrays.asList("os", a.os() == null ? null : a.os() + (a.osVersion() == null ? ""
                            : " " + a.osVersion())),
                    java.util.Arrays.asList("internet facing", a.internetFacing()),
                    java.util.Arrays.asList("addresses", String.join(", ", a.addresses())))));
        });

        if (!processes.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : processes.rows().subList(0, Math.min(Investigation.SHOWN, processes.rows().size()))) {
                rows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1)),
                        Investigation.number(row.get(2)), Investigation.time(row.get(3)), Investigation.time(row.get(4)),
                        rareNames.contains(Investigation.text(row.get(0)))));
            }
            result.table(new Table("Processes started" + Investigation.shown(rows.size(), processes.rows().size()),
                    List.of("process", "started", "accounts", "first (UTC)", "last (UTC)", "only on this host"), rows));
            result.evidence(started + " processes started on " + host, List.of(processes.ref()));
        }
        if (!network.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : network.rows().subList(0, Math.min(Investigation.SHOWN, network.rows().size()))) {
                String address = Investigation.text(row.get(0));
                rows.add(java.util.Arrays.asList(address, row.get(1), Investigation.external(address),
                        Investigation.number(row.get(2)), Investigation.text(row.get(3)), Investigation.time(row.get(4)),
                        Investigation.time(row.get(5))));
            }
            result.table(new Table("Network destinations" + Investigation.shown(rows.size(), network.rows().size()),
                    List.of("address", "port", "external", "connections", "processes", "first (UTC)", "last (UTC)"),
                    rows));
            result.evidence(connections + " connections from " + host, List.of(network.ref()));
            external.forEach(a -> result.subject(EntityType.IP, a));
        }
        if (!logons.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : logons.rows().subList(0, Math.min(Investigation.SHOWN, logons.rows().size()))) {
                rows.add(List.of(Investigation.text(row.get(0)), Investigation.number(row.get(1)),
                        Investigation.number(row.get(2)), Investigation.text(row.get(3)), Investigation.time(row.get(4))));
            }
            result.table(new Table("Logons to " + host + Investigation.shown(rows.size(), logons.rows().size()),
                    List.of("account", "successes", "failures", "source addresses", "last (UTC)"), rows));
            result.evidence("Logons to " + host, List.of(logons.ref()));
        }
        if (!alerts.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            List<String> refs = new ArrayList<>();
            for (List<Object> row : alerts.rows()) {
                rows.add(List.of(Investigation.text(row.get(0)), Investigation.text(row.get(1)),
                        Investigation.number(row.get(2)), Investigation.time(row.get(3))));
                UserAnalysisSkill.ids(row.get(4)).forEach(id -> refs.add("alert:" + id));
            }
            result.table(new Table("Alerts on " + host, List.of("rule", "level", "alerts", "last (UTC)"), rows));
            result.evidence("Alerts on " + host, refs.isEmpty() ? List.of(alerts.ref()) : refs);
        }
        if (!incidentNumbers.isEmpty()) {
            result.evidence("Incidents on " + host, incidentNumbers.stream().map(n -> "incident:" + n).toList());
            incidentNumbers.forEach(n -> result.subject(EntityType.INCIDENT, Long.toString(n)));
            result.followUp("Summarize incident " + incidentNumbers.get(0));
        }
        if (!external.isEmpty()) {
            result.followUp("Is " + external.get(0) + " malicious?");
        }
        result.followUp("Which alerts fired on " + host + "?");
        result.followUp("What is the exposure of " + host + "?");
        return result.build();
    }

    private SkillResult empty(SkillResult.Builder result, Investigation investigation, String host, String scope) {
        result.status(SkillResult.Status.EMPTY).fact("processes", 0L).fact("connections", 0L).fact("logons", 0L)
                .fact("alerts", 0L);
        StringBuilder text = new StringBuilder("No activity of host " + host + " is stored in tenant '"
                + investigation.tenant() + "' (" + scope + "): no process start, connection, logon or alert names it,"
                + " and the asset inventory does not list it.");
        if (investigation.time().isPresent()) {
            Investigation.Ran outside = investigation.kqlAllTime("union DeviceProcessEvents, DeviceNetworkEvents,"
                    + " DeviceLogonEvents | where " + Investigation.kqlHost("DeviceName", host) + " | count");
            long n = Investigation.number(outside.rows().get(0).get(0));
            result.fact("events_any_time", n);
            if (n > 0) {
                text.append(" Outside the time range ").append(Investigation.count(n, "event"))
                        .append(" name it: widen the range to see them.");
                result.evidence("Events of " + host + " outside the range", List.of(outside.ref()));
            } else {
                text.append(" No stored Windows or Sysmon event names it at any time either; check the host name.");
            }
        }
        result.markdown(text.toString());
        result.followUp("List the open incidents");
        result.followUp("Show the latest alerts");
        return result.build();
    }
}
