package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.EventDetector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches every event against the active indicators, as a stage of ingest (or of a retro-hunt over stored events):
 * an event that carries a known-bad value raises one alert per indicator it matches.
 *
 * <p>Where values come from: the common columns {@code src_ip}, {@code dst_ip}, {@code domain}, {@code url} (a URL
 * without a scheme taken as {@code http}) and {@code file_hash}, then every native field whose value is text (not the
 * very string a common column already held). A value is recognized by its characters ({@link ObservableScanner}), a
 * cheap search of text the parser has just produced, so the addresses of fields no mapping knows ({@code dhost},
 * {@code id.resp_h}, {@code ClientIP}, ...), the URL inside a command line or a PowerShell payload and the address
 * inside a syslog message are all found. Field names are consulted in one case only: in Windows events, the fields the
 * event schemas define as numbers, enumerations, GUIDs, times or renderings of other fields
 * ({@link #WINDOWS_FIELDS_WITHOUT_OBSERVABLES}, names ending in {@code Guid} or {@code Time}) are not searched; the
 * rendered {@code Message} alone is a third of a Sysmon event's text and repeats values searched in their own fields.
 * Numbers and booleans are skipped; texts over 16 KB are documents, not fields, and are not searched.
 *
 * <p>An alert: source {@code ioc}, rule id {@code ioc:<type>:<value>}, title {@code Known-bad <type> <value>
 * (<feeds>)}, a level from the confidence (95 and above critical, 75 high, 45 medium, 15 low, else informational),
 * the ATT&CK techniques the intelligence names, and as matched fields each field that carried the value (up to
 * eight) beside {@code indicator}, {@code feeds}, {@code confidence} and, where known, {@code actor},
 * {@code campaign}, {@code tags}, {@code sources}, {@code first_seen}, {@code last_seen} and {@code valid_until}.
 * Its id is derived from the tenant, the rule and the event, so matching the same event again stores nothing twice.
 *
 * <p>Confined to the thread that feeds it, like the scanner it holds; the index may be shared.
 */
public final class IocDetector implements EventDetector {
    private static final CommonColumn[] COLUMNS = {CommonColumn.SRC_IP, CommonColumn.DST_IP, CommonColumn.DOMAIN,
            CommonColumn.URL, CommonColumn.FILE_HASH};
    private static final int MAX_FIELDS_PER_HIT = 8;

    private final IndicatorIndex index;
    private final TenantId tenant;
    private final ObservableScanner scanner;
    private final String[] common = new String[COLUMNS.length];
    private final List<Hit> hits = new ArrayList<>();
    private final ObservableScanner.Hit onHit = this::hit;
    private String field;
    private String value;
    private long events;
    private long alerts;

    public IocDetector(IndicatorIndex index, TenantId tenant) {
        this.index = requireNonNull(index, "index is null");
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.scanner = new ObservableScanner(index);
    }

    /** One indicator an event matched, and the fields and values that carried it. */
    private static final class Hit {
        final int ordinal;
        final Map<String, String> fields = new LinkedHashMap<>();

        Hit(int ordinal) {
            this.ordinal = ordinal;
        }
    }

    @Override
    public List<Alert> detect(List<Event> batch) {
        List<Alert> out = new ArrayList<>();
        if (index.isEmpty()) {
            events += batch.size();
            return out;
        }
        for (Event event : batch) {
            events++;
            hits.clear();
            for (int c = 0; c < COLUMNS.length; c++) {
                String text = event.common(COLUMNS[c]);
                common[c] = text;
                if (text != null) {
                    if (COLUMNS[c] == CommonColumn.URL && text.indexOf("://") < 0 && text.indexOf('/') > 0) {
                        text = "http://" + text; // proxies log URLs without their scheme
                    }
                    scan(COLUMNS[c].columnName(), text);
                }
            }
            boolean windows = isWindows(event.table());
            int position = 0;
            for (Map.Entry<String, Object> entry : event.fields().entrySet()) {
                // the name first: a skipped field's value is never touched (it is not in the processor's cache)
                if ((!windows || !holdsNoObservable(entry.getKey(), position++)) && entry.getValue() instanceof String text
                        && !isCommon(text)) {
                    scan(entry.getKey(), text);
                }
            }
            for (Hit hit : hits) {
                out.add(alert(event, hit));
            }
        }
        alerts += out.size();
        return out;
    }

    /** Whether events of the table are Windows events, whose schema tells which fields hold no observable. */
    private static boolean isWindows(String table) {
        return table.equals("SecurityEvent") || table.equals("SysmonEvent") || table.equals("WindowsEvent");
    }

    /**
     * Fields of Windows events (Security, Sysmon and other channels, as evtx_dump, Winlogbeat and NXLog write them)
     * that the event schemas define as numbers, enumerations, GUIDs or times, or as renderings of other fields:
     * {@code Message} is the event data rendered as text, each of its values in a field of its own, and Sysmon's
     * {@code CallTrace} a stack of module paths and offsets. None holds an address, name, URL, digest or e-mail
     * address; together they are more than half the text of a Sysmon event.
     */
    static final Set<String> WINDOWS_FIELDS_WITHOUT_OBSERVABLES = Set.of("Message", "CallTrace", "Keywords",
            "Opcode", "OpcodeValue", "Task", "Level", "Version", "@version", "Channel", "Severity", "SeverityValue",
            "EventType", "Category", "SourceModuleName", "SourceModuleType", "RecordNumber", "EventRecordID",
            "ThreadID", "ExecutionProcessID", "ProcessId", "ParentProcessId", "SourceProcessId", "TargetProcessId",
            "NewProcessId", "LogonId", "TargetLogonId", "SubjectLogonId", "TerminalSessionId", "IntegrityLevel",
            "EventID", "GrantedAccess", "tags", "SourceThreadId", "ProcessID", "Correlation", "ActivityID");

    /** Names ending so hold GUIDs and times: ProcessGuid, LogonGuid, UtcTime, TimeCreated ... */
    private static final String[] WINDOWS_SUFFIXES_WITHOUT_OBSERVABLES = {"Guid", "GUID", "Time", "time",
            "Timestamp", "timestamp", "TimeCreated", "Created"};

    private final Map<String, Boolean> windowsFieldCache = new HashMap<>();
    /**
     * The decision for the field name last seen at each position: events of a source come with the same names in
     * the same order, as the same strings (the parser shares them), so one comparison usually decides.
     */
    private final String[] lastNames = new String[64];
    private final boolean[] lastDecisions = new boolean[64];

    /** Whether a field of a Windows event holds no observable (see {@link #WINDOWS_FIELDS_WITHOUT_OBSERVABLES}). */
    private boolean holdsNoObservable(String field, int position) {
        if (position < lastNames.length) {
            if (lastNames[position] == field) {
                return lastDecisions[position];
            }
            boolean decision = holdsNoObservable(field);
            lastNames[position] = field;
            lastDecisions[position] = decision;
            return decision;
        }
        return holdsNoObservable(field);
    }

    private boolean holdsNoObservable(String field) {
        Boolean known = windowsFieldCache.get(field);
        if (known != null) {
            return known;
        }
        boolean skip = WINDOWS_FIELDS_WITHOUT_OBSERVABLES.contains(field);
        for (String suffix : WINDOWS_SUFFIXES_WITHOUT_OBSERVABLES) {
            skip |= field.endsWith(suffix) || field.startsWith(suffix);
        }
        if (windowsFieldCache.size() < 4096) { // field names are few; a hostile input's many are not cached
            windowsFieldCache.put(field, skip);
        }
        return skip;
    }

    private boolean isCommon(String text) {
        for (String value : common) {
            if (value == text) { // the normalizer copies a native value into a column as the same string
                return true;
            }
        }
        return false;
    }

    private void scan(String name, String text) {
        field = name;
        value = text;
        scanner.scan(text, onHit);
    }

    private void hit(int ordinal, int from, int to) {
        Hit hit = null;
        for (Hit h : hits) {
            if (h.ordinal == ordinal) {
                hit = h;
                break;
            }
        }
        if (hit == null) {
            hit = new Hit(ordinal);
            hits.add(hit);
        }
        if (hit.fields.size() < MAX_FIELDS_PER_HIT) {
            hit.fields.putIfAbsent(field, value.substring(from, to));
        }
    }

    private Alert alert(Event event, Hit hit) {
        Indicator indicator = index.indicator(hit.ordinal);
        Provenance provenance = indicator.provenance();
        String ruleId = "ioc:" + indicator.key();
        List<EventId> ids = List.of(event.id());
        Map<String, String> matched = new LinkedHashMap<>(hit.fields);
        matched.put("indicator", indicator.key());
        matched.put("feeds", String.join(", ", provenance.feeds()));
        matched.put("confidence", Integer.toString(provenance.confidence()));
        putList(matched, "actor", provenance.actors());
        putList(matched, "campaign", provenance.campaigns());
        putList(matched, "tags", provenance.tags());
        putList(matched, "sources", provenance.sourceIds());
        putInstant(matched, "first_seen", provenance.firstSeen());
        putInstant(matched, "last_seen", provenance.lastSeen());
        putInstant(matched, "valid_until", provenance.validUntil());
        List<Alert.Entity> entities = new ArrayList<>(Alert.entitiesOf(event));
        String observed = hit.fields.values().iterator().next();
        if (entities.stream().noneMatch(e -> e.value().equalsIgnoreCase(observed))) {
            entities.add(new Alert.Entity(entityKind(indicator.type()), observed));
        }
        return new Alert(Alert.idFor(tenant, ruleId, ids), tenant, "ioc", ruleId, title(indicator),
                level(provenance.confidence()), "", event.timeMicros(), provenance.techniques(), matched, entities,
                ids, event.table());
    }

    /** {@code Known-bad ipv4 203.0.113.7 (feed)}, with at most three feeds named. */
    static String title(Indicator indicator) {
        List<String> feeds = indicator.provenance().feeds();
        String named = String.join(", ", feeds.subList(0, Math.min(3, feeds.size())))
                + (feeds.size() > 3 ? " +" + (feeds.size() - 3) : "");
        return "Known-bad " + indicator.type().id() + " " + indicator.value() + " (" + named + ")";
    }

    /** The alert level of a confidence: 95 critical, 75 high, 45 medium, 15 low, else informational. */
    public static String level(int confidence) {
        if (confidence >= 95) {
            return "critical";
        }
        if (confidence >= 75) {
            return "high";
        }
        if (confidence >= 45) {
            return "medium";
        }
        return confidence >= 15 ? "low" : "informational";
    }

    private static String entityKind(IndicatorType type) {
        return switch (type) {
            case IPV4, IPV6, CIDR -> "ip";
            case DOMAIN -> "domain";
            case URL -> "url";
            case MD5, SHA1, SHA256, SHA512 -> "file_hash";
            case EMAIL -> "email";
        };
    }

    private static void putList(Map<String, String> matched, String key, List<String> values) {
        if (!values.isEmpty()) {
            matched.put(key, String.join(", ", values.subList(0, Math.min(10, values.size())))
                    + (values.size() > 10 ? " +" + (values.size() - 10) : ""));
        }
    }

    private static void putInstant(Map<String, String> matched, String key, Instant instant) {
        if (instant != null) {
            matched.put(key, instant.toString());
        }
    }

    public IndicatorIndex index() {
        return index;
    }

    /** Events matched so far. */
    public long events() {
        return events;
    }

    /** Alerts raised so far. */
    public long alerts() {
        return alerts;
    }
}
