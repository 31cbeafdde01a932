package dev.vigil.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The records the load benchmark sends over the ingest API: Windows telemetry as the demo organization's sources
 * write it. Sysmon process creations, network connections, DNS queries and process accesses in Winlogbeat's shape,
 * and Security sign-ins (4624, 4625) in evtx_dump's shape, over {@link #HOSTS} hosts ({@code LB-WS0001}, ...) and
 * {@link #USERS} users. Each record is distinct (its sequence number is its record id and appears in its fields),
 * so none is recognized as already stored. Records are written by hand into a {@link StringBuilder}: the client
 * shares the machine with the server it measures, so it should cost little.
 */
final class LoadRecords {
    static final int HOSTS = 200;
    static final int USERS = 400;
    /** The prefix of every host name the benchmark sends, so its records can be told from the tenant's own. */
    static final String HOST_PREFIX = "LB-WS";
    private static final String[] IMAGES = {"C:\\\\Windows\\\\System32\\\\svchost.exe",
            "C:\\\\Windows\\\\explorer.exe", "C:\\\\Program Files\\\\Google\\\\Chrome\\\\Application\\\\chrome.exe",
            "C:\\\\Program Files\\\\Microsoft Office\\\\root\\\\Office16\\\\OUTLOOK.EXE",
            "C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe",
            "C:\\\\Windows\\\\System32\\\\cmd.exe", "C:\\\\Windows\\\\System32\\\\conhost.exe",
            "C:\\\\Program Files\\\\Microsoft VS Code\\\\Code.exe"};
    private static final String[] DOMAINS = {"outlook.office365.com", "www.google.com", "teams.microsoft.com",
            "update.kestrel.local", "login.microsoftonline.com", "github.com", "cdn.jsdelivr.net"};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    /** {@code LB-WS0001} to {@code LB-WS0200}, made once: the client should cost the machine little. */
    private static final String[] HOST_NAMES = java.util.stream.IntStream.rangeClosed(1, HOSTS)
            .mapToObj(i -> String.format(java.util.Locale.ROOT, "%s%04d", HOST_PREFIX, i)).toArray(String[]::new);

    private final Instant end;

    /** Records whose times lie in the hour before {@code end}. */
    LoadRecords(Instant end) {
        this.end = end;
    }

    /** Appends {@code count} records from {@code first}, one per line, each ending with a newline. */
    void append(StringBuilder out, long first, int count) {
        for (long n = first; n < first + count; n++) {
            appendRecord(out, n);
            out.append('\n');
        }
    }

    /** One record; the kind follows the sequence number: 40% process creations, 25% connections, ... */
    void appendRecord(StringBuilder out, long n) {
        Instant time = end.minusMillis(3_600_000L - Math.floorMod(n * 37, 3_600_000L));
        String host = HOST_NAMES[(int) Math.floorMod(n * 7, HOSTS)];
        String user = "user" + Math.floorMod(n * 13, USERS);
        String image = IMAGES[(int) Math.floorMod(n, IMAGES.length)];
        int kind = (int) Math.floorMod(n, 20);
        if (kind < 8) {
            sysmon(out, n, 1, host, time).append("\"Image\":\"").append(image).append("\",\"CommandLine\":\"\\\"")
                    .append(image).append("\\\" --run ").append(n).append("\",\"ProcessId\":\"")
                    .append(1000 + Math.floorMod(n, 60_000)).append("\",\"ParentImage\":\"C:\\\\Windows\\\\explorer.exe\","
                            + "\"User\":\"KESTREL\\\\").append(user).append("\",\"IntegrityLevel\":\"Medium\"}}}");
        } else if (kind < 13) {
            sysmon(out, n, 3, host, time).append("\"Image\":\"").append(image).append("\",\"Protocol\":\"tcp\","
                    + "\"SourceIp\":\"10.10.").append(Math.floorMod(n * 7, HOSTS) / 250).append('.')
                    .append(Math.floorMod(n * 7, HOSTS) % 250 + 1).append("\",\"SourcePort\":\"")
                    .append(49_152 + Math.floorMod(n, 16_000)).append("\",\"DestinationIp\":\"52.96.")
                    .append(Math.floorMod(n, 255)).append('.').append(Math.floorMod(n / 255, 255))
                    .append("\",\"DestinationPort\":\"443\",\"User\":\"KESTREL\\\\").append(user).append("\"}}}");
        } else if (kind < 16) {
            sysmon(out, n, 22, host, time).append("\"Image\":\"").append(image).append("\",\"QueryName\":\"")
                    .append(DOMAINS[(int) Math.floorMod(n, DOMAINS.length)]).append("\",\"QueryStatus\":\"0\"}}}");
        } else if (kind < 17) {
            sysmon(out, n, 10, host, time).append("\"SourceImage\":\"").append(image).append("\",\"TargetImage\":"
                    + "\"C:\\\\Windows\\\\System32\\\\lsass.exe\",\"GrantedAccess\":\"0x1000\",\"SourceProcessId\":\"")
                    .append(1000 + Math.floorMod(n, 60_000)).append("\"}}}");
        } else {
            int eventId = kind < 19 ? 4624 : 4625;
            out.append("{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-Security-"
                    + "Auditing\",\"Guid\":\"{54849625-5478-4994-a5ba-3e3b0328c30d}\"}},\"EventID\":").append(eventId)
                    .append(",\"Level\":0,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"").append(time)
                    .append("\"}},\"EventRecordID\":").append(n).append(",\"Channel\":\"Security\",\"Computer\":\"")
                    .append(host).append(".kestrel.local\"},\"EventData\":{\"TargetUserName\":\"").append(user)
                    .append("\",\"TargetDomainName\":\"KESTREL\",\"LogonType\":\"").append(kind == 17 ? 2 : 3)
                    .append("\",\"IpAddress\":\"10.20.").append(Math.floorMod(n, 250)).append('.')
                    .append(Math.floorMod(n / 250, 250) + 1).append("\",\"WorkstationName\":\"").append(host)
                    .append("\",\"LogonProcessName\":\"").append(eventId == 4624 ? "User32" : "NtLmSsp")
                    .append("\",\"AuthenticationPackageName\":\"").append(eventId == 4624 ? "Negotiate" : "NTLM")
                    .append(eventId == 4625 ? "\",\"Status\":\"0xc000006d\"}}}" : "\"}}}");
        }
    }

    private static StringBuilder sysmon(StringBuilder out, long n, int eventId, String host, Instant time) {
        return out.append("{\"@timestamp\":\"").append(time).append("\",\"agent\":{\"type\":\"winlogbeat\","
                + "\"version\":\"8.15.0\"},\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\","
                + "\"event_id\":").append(eventId).append(",\"provider_name\":\"Microsoft-Windows-Sysmon\","
                + "\"computer_name\":\"").append(host).append(".kestrel.local\",\"record_id\":").append(n)
                .append(",\"event_data\":{\"UtcTime\":\"").append(UTC_TIME.format(time)).append("\",");
    }
}
