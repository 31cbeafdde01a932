package dev.vigil.copilot.plugins;

import dev.vigil.config.ConfigLoader;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.store.TenantStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small real tenant for the plugin specifications: a DuckDB store in a data directory holding a few Windows logons
 * (Sentinel's SecurityEvent shape, which Defender's DeviceLogonEvents view reads), and a workspace over it.
 *
 * <p>WS-01 is a workstation whose user alice logged on to two servers over SMB (type 3) and RDP (type 10); bob logged
 * on interactively at WS-02 and WS-01.
 */
final class PluginTenant implements AutoCloseable {
    static final Instant NOW = Instant.parse("2025-09-01T12:00:00Z");
    static final Principal ANALYST = new Principal("analyst", Role.ANALYST);
    static final String LOGONS = String.join("\n",
            logon("2025-09-01T08:00:00Z", "SRV-FILES", 3, "alice", "WS-01", "10.0.0.21"),
            logon("2025-09-01T08:05:00Z", "SRV-DB", 10, "alice", "WS-01", "10.0.0.21"),
            logon("2025-09-01T09:00:00Z", "WS-02", 2, "bob", "WS-02", "127.0.0.1"),
            logon("2025-09-01T09:30:00Z", "WS-01", 2, "bob", "WS-01", "127.0.0.1"));

    final Path data;
    final TenantId tenant;
    final TenantStore store;
    final Workspace workspace;

    private PluginTenant(Path data, String name, boolean withLogons) {
        this(data, name, withLogons, Map.of());
    }

    private PluginTenant(Path data, String name, boolean withLogons, Map<String, String> settings) {
        this.data = data;
        tenant = TenantId.of(name);
        if (withLogons) {
            ingest(data, tenant);
        }
        store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE);
        Map<String, String> flags = new LinkedHashMap<>(settings);
        flags.put("data-dir", data.toString());
        flags.put("tenant", name);
        workspace = new Workspace(ConfigLoader.load(null, Map.of(), flags), store);
    }

    /** The tenant with the logons above. */
    static PluginTenant withLogons(Path data, String name) {
        return new PluginTenant(data, name, true);
    }

    /** A tenant with no events. */
    static PluginTenant empty(Path data, String name) {
        return new PluginTenant(data, name, false);
    }

    /** A tenant with no events, configured with these settings ({@code store.state}: value) too. */
    static PluginTenant empty(Path data, String name, Map<String, String> settings) {
        return new PluginTenant(data, name, false, settings);
    }

    InstalledPlugins plugins() {
        return new InstalledPlugins(data, tenant);
    }

    /** Runs the skill as an analyst at {@link #NOW}; inputs are alternating names and values. */
    static SkillResult run(Skill skill, String... namesAndValues) {
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            inputs.computeIfAbsent(namesAndValues[i], k -> new ArrayList<>()).add(namesAndValues[i + 1]);
        }
        return skill.run(SkillCall.of(skill.spec().name(), inputs), new SkillContext(ANALYST, NOW, ZoneOffset.UTC,
                line -> {}));
    }

    private static String logon(String time, String computer, int type, String user, String workstation, String ip) {
        return "{\"Type\":\"SecurityEvent\",\"TimeGenerated\":\"" + time + "\",\"Computer\":\"" + computer
                + "\",\"EventID\":4624,\"Channel\":\"Security\",\"LogonType\":" + type + ",\"TargetUserName\":\"" + user
                + "\",\"TargetDomainName\":\"CORP\",\"WorkstationName\":\"" + workstation + "\",\"IpAddress\":\"" + ip
                + "\",\"AuthenticationPackageName\":\"NTLM\"}";
    }

    private static void ingest(Path data, TenantId tenant) {
        try {
            Path file = Files.createDirectories(data.resolve("input").resolve(tenant.value())).resolve("logons.json");
            Files.writeString(file, LOGONS + "\n");
            try (TenantStore store = TenantStore.open(data, tenant, TenantStore.Mode.READ_WRITE)) {
                Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
                new Ingestor(new Ingestor.Options(tenant, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                        IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), store,
                        Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]))
                        .ingest(List.of(file.toString()));
                store.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
