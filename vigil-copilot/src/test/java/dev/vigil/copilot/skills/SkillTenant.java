package dev.vigil.copilot.skills;

import dev.vigil.config.ConfigLoader;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.SharedData;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.posture.vuln.VulnKnowledgeFile;
import dev.vigil.store.Knowledge;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A small real tenant for the skills' specifications: a DuckDB store in a data directory, filled with the events,
 * alerts, indicators, rules and inventory a test names, and a workspace over it.
 *
 * <p>{@link #withKnowledge()} opens the tenant in a data directory shared by the test run, into which the public
 * knowledge of {@code shared/data} is imported the way {@code vigil intel import} and {@code vigil vulns import} do it:
 * MITRE ATT&amp;CK (linked, not copied, since it is large) and the CISA KEV catalog. Each tenant has a name of its own,
 * so tests do not see each other's data. {@link #bare(Path)} opens one in an empty directory: no knowledge at all.
 */
final class SkillTenant implements AutoCloseable {
    /** The instant skills run at: after the KEV catalog of 2025-08-25, so its due dates have passed. */
    static final Instant NOW = Instant.parse("2025-09-01T12:00:00Z");
    static final Principal ANALYST = new Principal("analyst", Role.ANALYST);

    private static final AtomicInteger TENANTS = new AtomicInteger();
    private static Path sharedDirectory;

    final TenantId tenant;
    final TenantStore store;
    final Workspace workspace;
    private int sequence;

    private SkillTenant(Path data, String name) {
        tenant = TenantId.of(name);
        store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE);
        workspace = new Workspace(ConfigLoader.load(null, Map.of(), Map.of("data-dir", data.toString(), "tenant",
                name)), store);
    }

    /** A tenant in an empty data directory: no ATT&amp;CK, no vulnerability knowledge. */
    static SkillTenant bare(Path data) {
        return new SkillTenant(data, "acme");
    }

    /** A fresh tenant in the run's data directory, where ATT&amp;CK and KEV are imported when shared data has them. */
    static SkillTenant withKnowledge() {
        return new SkillTenant(sharedDirectory(), "acme" + TENANTS.incrementAndGet());
    }

    /** Skips the test (fails it under CI) when shared data lacks MITRE ATT&amp;CK. */
    static void requireAttack() {
        SharedData.require("mitre-attack", "github.com/mitre-attack/attack-stix-data");
    }

    /** Skips the test (fails it under CI) when shared data lacks the CISA KEV catalog. */
    static void requireKev() {
        SharedData.require("cisa-kev", "github.com/cisagov/kev-data");
    }

    /**
     * The run's data directory with ATT&amp;CK and KEV imported (when shared data has them), for fixtures that seed a
     * tenant of their own there; name it apart from the {@code acme<n>} tenants of {@link #withKnowledge()}.
     */
    static Path knowledgeDirectory() {
        return sharedDirectory();
    }

    private static synchronized Path sharedDirectory() {
        if (sharedDirectory != null) {
            return sharedDirectory;
        }
        try {
            Path data = Files.createTempDirectory("vigil-skills-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(data)));
            Path shared = SharedData.folder().orElse(null);
            Path bundle = shared == null ? null : shared.resolve("mitre-attack").resolve("enterprise-attack.json");
            if (bundle != null && Files.isRegularFile(bundle)) {
                Path target = Knowledge.attackFile(data);
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, bundle.toAbsolutePath());
            }
            Path kev = shared == null ? null : shared.resolve("cisa-kev").resolve("known_exploited_vulnerabilities.json");
            if (kev != null && Files.isRegularFile(kev)) {
                VulnKnowledge knowledge = new VulnKnowledge();
                knowledge.merge(VulnFiles.read(kev.toString(), Files.readAllBytes(kev)));
                Path target = Knowledge.vulnerabilityFile(data);
                Files.createDirectories(target.getParent());
                VulnKnowledgeFile.save(knowledge, target);
            }
            sharedDirectory = data;
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }

    // --- running ------------------------------------------------------------------------------------------------

    /** Runs the skill as an analyst at {@link #NOW}; inputs are alternating names and values. */
    SkillResult run(Skill skill, String... namesAndValues) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            inputs.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return skill.run(SkillCall.of(skill.spec().name(), inputs), new SkillContext(ANALYST, NOW, ZoneOffset.UTC,
                line -> {}));
    }

    // --- filling --------------------------------------------------------------------------------------------------

    /** Stores an event of the table whose raw record is the text, on the host and for the user, an hour before now. */
    Event event(String table, String host, String user, String raw) {
        int n = ++sequence;
        long millis = NOW.toEpochMilli() - 3_600_000L + n * 1000L;
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.EVENT_CODE.ordinal()] = "1";
        common[CommonColumn.HOST.ordinal()] = host;
        common[CommonColumn.USER.ordinal()] = user;
        Event event = new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant, table,
                millis * 1000, common, new LinkedHashMap<>(Map.of("Message", raw)), raw,
                new SourcePosition("test.json", n, 0));
        store.append(new EventSink.Batch(List.of(event), List.of()));
        store.commit();
        return event;
    }

    /** Stores an alert of a rule over the event, naming the techniques and the value among its matched fields. */
    Alert alert(Event event, String ruleId, String title, List<String> techniques, Map<String, String> matched) {
        Alert alert = new Alert(Alert.idFor(tenant, ruleId, List.of(event.id())), tenant, "sigma", ruleId, title,
                "high", "stable", event.timeMicros(), techniques, matched, Alert.entitiesOf(event),
                List.of(event.id()), event.table());
        store.appendAlerts(List.of(alert));
        store.commit();
        return alert;
    }

    void indicators(Indicator... indicators) {
        store.putIndicators(List.of(indicators));
        store.commit();
    }

    void inventory(Inventory inventory) {
        store.posture().replace("inventory.json", inventory);
        store.commit();
    }

    /** Stores a Sigma rule file of one enabled, active rule, whose id is derived from its title; returns the id. */
    String rule(String title, String... tags) {
        String id = java.util.UUID.nameUUIDFromBytes(title.getBytes(StandardCharsets.UTF_8)).toString();
        String yaml = "title: " + title + "\nid: " + id + "\nstatus: stable\nlevel: high\ntags:\n"
                + String.join("", Stream.of(tags).map(t -> "  - " + t + "\n").toList())
                + "logsource:\n  product: windows\n  category: process_creation\n"
                + "detection:\n  selection:\n    Image|endswith: '\\procdump.exe'\n  condition: selection\n";
        store.putRuleFile(id + ".yml", yaml, List.of(RuleRow.imported(id, RuleRow.Kind.RULE, title, "high", "stable",
                id + ".yml", List.of("SecurityEvent"), RuleRow.State.ACTIVE, "")));
        store.commit();
        return id;
    }

    @Override
    public void close() {
        store.close();
    }
}
