package dev.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code vigil} in-process and captures what it prints; builds inputs. */
final class CliTesting {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Instant BASE = Instant.parse("2024-05-01T12:00:00Z");

    private CliTesting() {}

    /** What one run of the command printed and how it exited. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }

        JsonNode errorJson() {
            return JSON.readTree(err);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            exit = Main.run(o, e, args);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code vigil} with {@code --data DIR} appended. */
    static Run vigil(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data");
        all.add(data.toString());
        return vigil(all.toArray(String[]::new));
    }

    /** One distinct Sysmon process-creation event in Winlogbeat's shape, one line of NDJSON. */
    static String sysmonLine(long sequence) {
        Instant time = BASE.plusMillis(sequence * 10);
        return "{\"@timestamp\":\"" + time + "\",\"agent\":{\"type\":\"winlogbeat\",\"version\":\"8.15.0\"},"
                + "\"winlog\":{\"channel\":\"Microsoft-Windows-Sysmon/Operational\",\"event_id\":1,"
                + "\"provider_name\":\"Microsoft-Windows-Sysmon\",\"computer_name\":\"ws" + (sequence % 50) + ".corp.local\","
                + "\"record_id\":" + (1000 + sequence) + ",\"event_data\":{\"UtcTime\":\"" + UTC_TIME.format(time) + "\","
                + "\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd" + (sequence % 7) + ".exe\","
                + "\"CommandLine\":\"cmd.exe /c echo " + sequence + "\",\"ProcessId\":\"" + (4000 + sequence % 10_000) + "\","
                + "\"ParentImage\":\"C:\\\\Windows\\\\explorer.exe\",\"User\":\"CORP\\\\user" + (sequence % 20) + "\"}}}";
    }

    /**
     * The flag that lets a child JVM's libraries read memory through sun.misc.Unsafe quietly: JDK 23+ warns without
     * it, older JDKs do not know it (they then get a harmless property instead).
     */
    static String unsafeMemoryAccessFlag() {
        return Runtime.version().feature() >= 23 ? "--sun-misc-unsafe-memory-access=allow" : "-Dvigil.unsafe.flag=none";
    }
}
