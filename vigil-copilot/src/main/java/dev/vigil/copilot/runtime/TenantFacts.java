package dev.vigil.copilot.runtime;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.incident.Incident;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.store.EntityValues;
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner knows of a tenant: its stored tables, the distinct host, user and process names its events hold
 * (the value dictionaries questions are linked against), and the candidates it offers when it asks back.
 *
 * <p>The dictionaries are read from the events once, then kept per database in this process: each commit of events
 * adds the names it brought ({@link TenantStore#valuesSince}), so that a question asked under steady ingest does not
 * scan every event table again. They are read again from the events when the tenant's rules changed, when the
 * store no longer knows what the commits since brought (another open of the database, or too many commits), and at
 * most every {@link #FULL_READ_AFTER} while events keep arriving, which also brings in changes that reach the store
 * by other paths (the inventory's assets).
 */
public final class TenantFacts implements Planner.Data {
    private static final int MAX_VALUES = 200_000;
    static final Duration FULL_READ_AFTER = Duration.ofMinutes(5);
    /**
     * Windows images analysts name in questions whether or not the tenant's events started them: targets of access
     * ("touching lsass"), parents ("what did winword spawn") and living-off-the-land binaries.
     */
    private static final List<String> WELL_KNOWN_IMAGES = List.of("lsass.exe", "winword.exe", "excel.exe",
            "powerpnt.exe", "outlook.exe", "powershell.exe", "pwsh.exe", "cmd.exe", "rundll32.exe", "regsvr32.exe",
            "mshta.exe", "wscript.exe", "cscript.exe", "certutil.exe", "bitsadmin.exe", "wmic.exe", "psexec.exe",
            "schtasks.exe", "svchost.exe", "explorer.exe", "mimikatz.exe", "procdump.exe", "msiexec.exe",
            "installutil.exe", "regasm.exe", "msbuild.exe", "wmiprvse.exe", "services.exe", "winlogon.exe",
            "csrss.exe", "taskhostw.exe", "conhost.exe", "chrome.exe", "msedge.exe", "firefox.exe", "w3wp.exe",
            "sqlservr.exe", "vssadmin.exe", "wevtutil.exe", "net.exe", "net1.exe", "whoami.exe", "nltest.exe",
            "reg.exe", "sc.exe", "curl.exe", "ntdsutil.exe", "sshd", "bash", "sudo");
    private static final Map<String, Cached> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /** The dictionaries as of a data version and rules fingerprint, and when they were last read in full. */
    private record Cached(TenantStore.DataVersion version, String rules, Instant read,
            Map<EntityType, List<String>> values) {}

    private final Workspace workspace;
    private final List<String> tables;
    private final Map<EntityType, List<String>> values;

    public TenantFacts(Workspace workspace) {
        this.workspace = workspace;
        TenantStore store = workspace.store();
        TenantStore.DataVersion version = store.dataVersion(); // before reading: what is read holds at least it
        this.tables = store.tableNames();
        String rules = withoutScaleOnly(store::rulesVersion, "");
        String key = store.file().toAbsolutePath().toString();
        Cached cached = CACHE.get(key);
        Instant now = Instant.now();
        if (cached == null || !cached.rules().equals(rules) || !cached.version().sameDatabase(version)) {
            cached = new Cached(version, rules, now, read());
        } else if (cached.version().commits() != version.commits()) {
            Optional<EntityValues> added = cached.read().isBefore(now.minus(FULL_READ_AFTER))
                    ? Optional.empty() : store.valuesSince(cached.version());
            cached = added.isPresent()
                    ? new Cached(version, rules, cached.read(), merged(cached.values(), added.get()))
                    : new Cached(version, rules, now, read());
        }
        CACHE.put(key, cached);
        this.values = cached.values();
    }

    private static Map<EntityType, List<String>> merged(Map<EntityType, List<String>> values, EntityValues added) {
        if (added.isEmpty()) {
            return values;
        }
        Map<EntityType, List<String>> out = new EnumMap<>(values);
        out.put(EntityType.HOST, plus(values.get(EntityType.HOST), added.hosts()));
        out.put(EntityType.USER, plus(values.get(EntityType.USER), added.users()));
        out.put(EntityType.PROCESS, plus(values.get(EntityType.PROCESS), added.processes()));
        return out;
    }

    private static List<String> plus(List<String> values, Set<String> added) {
        Set<String> all = new LinkedHashSet<>(values == null ? List.of() : values);
        return all.addAll(added) ? List.copyOf(all) : values;
    }

    /** The distinct values of one kind: HOST, USER, PROCESS or RULE. */
    public Map<EntityType, List<String>> values() {
        return values;
    }

    @Override
    public Collection<String> tables() {
        return tables;
    }

    @Override
    public List<Planner.Candidate> candidates(EntityType type, int limit) {
        List<Planner.Candidate> out = new ArrayList<>();
        switch (type) {
            case INCIDENT -> {
                Principal system = new Principal("copilot", Role.READER);
                List<Incident> open = withoutScaleOnly(() -> workspace.store().incidents().list(system,
                        Optional.empty(), Optional.empty(), 50), List.<Incident>of())
                        .stream().filter(Incident::open).limit(limit).toList();
                for (Incident incident : open) {
                    out.add(new Planner.Candidate(String.valueOf(incident.number()), "#" + incident.number() + " "
                            + incident.title() + " (" + incident.severity() + ", " + incident.status() + ")"));
                }
            }
            case HOST, USER -> values.getOrDefault(type, List.of()).stream().limit(limit)
                    .forEach(v -> out.add(new Planner.Candidate(v, v)));
            default -> { }
        }
        return out;
    }

    private Map<EntityType, List<String>> read() {
        Map<EntityType, Set<String>> found = new EnumMap<>(EntityType.class);
        for (EntityType type : List.of(EntityType.HOST, EntityType.USER, EntityType.PROCESS, EntityType.RULE)) {
            found.put(type, new LinkedHashSet<>());
        }
        List<String> hostParts = new ArrayList<>();
        List<String> userParts = new ArrayList<>();
        List<String> processParts = new ArrayList<>();
        for (String table : tables) {
            String name = '"' + table.replace("\"", "\"\"") + '"';
            hostParts.add("SELECT DISTINCT host AS v FROM " + name + " WHERE host IS NOT NULL");
            userParts.add("SELECT DISTINCT \"user\" AS v FROM " + name + " WHERE \"user\" IS NOT NULL");
            processParts.add("SELECT DISTINCT regexp_extract(process, '([^\\\\/]+)$', 1) AS v FROM " + name
                    + " WHERE process IS NOT NULL");
        }
        if (!tables.isEmpty()) {
            add(found.get(EntityType.HOST), "SELECT DISTINCT v FROM (" + String.join(" UNION ALL ", hostParts) + ")");
            add(found.get(EntityType.USER), "SELECT DISTINCT v FROM (" + String.join(" UNION ALL ", userParts) + ")");
            add(found.get(EntityType.PROCESS), "SELECT DISTINCT v FROM (" + String.join(" UNION ALL ", processParts)
                    + ") WHERE v <> ''");
        }
        found.get(EntityType.PROCESS).addAll(WELL_KNOWN_IMAGES);
        for (Asset asset : withoutScaleOnly(() -> workspace.store().posture().assets(), List.<Asset>of())) {
            if (asset.hostname() != null) {
                found.get(EntityType.HOST).add(asset.hostname());
            }
        }
        withoutScaleOnly(() -> workspace.store().rules(), List.<dev.vigil.store.RuleRow>of())
                .forEach(rule -> found.get(EntityType.RULE).add(rule.title()));
        Map<EntityType, List<String>> out = new EnumMap<>(EntityType.class);
        found.forEach((type, set) -> out.put(type, List.copyOf(set)));
        return out;
    }

    /**
     * What the store keeps besides events, as a hint for recognizing names in prompts: a store that holds only events
     * (a scale-mode node reads them from the lake) has none to give, and the prompt is then planned without them. A
     * skill that needs that state still fails with the store's error.
     */
    private static <T> T withoutScaleOnly(java.util.function.Supplier<T> read, T none) {
        try {
            return read.get();
        } catch (dev.vigil.model.VigilException e) {
            if (e.code() == dev.vigil.model.ErrorCode.SCALE_MODE_UNSUPPORTED) {
                return none;
            }
            throw e;
        }
    }

    private void add(Set<String> into, String sql) {
        QueryResult result = workspace.store().query(sql, MAX_VALUES);
        for (List<Object> row : result.rows()) {
            if (row.get(0) != null) {
                into.add(String.valueOf(row.get(0)));
            }
        }
    }
}
