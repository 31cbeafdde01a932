package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.BASE_MILLIS;
import static dev.vigil.store.StoreTesting.GLOBEX;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.posture.Decision;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PosturePolicy;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.VulnerabilityMatcher;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Criticality;
import dev.vigil.posture.inventory.Identity;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.inventory.Service;
import dev.vigil.posture.inventory.Software;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's posture data in a real store: inventory imports that replace only what their own file gave, the
 * inventory observed in ingested events (added, marked observed, never overriding an import), findings that persist,
 * an exposure history that grows with each run, and tenants that see only their own.
 */
@DisplayName("A tenant store's posture")
class PostureStoreTest {
    static final Instant NOW = Instant.parse("2024-05-03T12:00:00Z");

    @TempDir
    Path data;

    TenantStore store;

    @BeforeEach
    void open() {
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void reopen() {
        store.close();
        store = TenantStore.open(data, ACME, TenantStore.Mode.READ_WRITE);
    }

    PostureStore posture() {
        return store.posture();
    }

    // --- building ---------------------------------------------------------------------------------------------

    static Asset asset(String hostname, String os, String version, Criticality criticality, Boolean internetFacing,
            String source) {
        return new Asset(Asset.key(hostname), hostname, List.of("10.0.0.5"), os, version, "it", criticality,
                internetFacing, List.of("prod"), Origin.IMPORTED, source, null);
    }

    static Inventory assets(Asset... assets) {
        return new Inventory(List.of(assets), List.of(), List.of(), List.of());
    }

    static Software software(String assetId, String name, String version, String source) {
        return new Software(assetId, name, "", version, null, null, Origin.IMPORTED, source);
    }

    /** An imported identity with what an identity export says about it. */
    static Identity identity(String name, List<String> adminRoles, List<String> mfa, String source) {
        return new Identity(name, name, List.of(), adminRoles, mfa, NOW.minusSeconds(3_600), true, false,
                Origin.IMPORTED, source);
    }

    /** A Sysmon-like event on a host, by a user, running a program, {@code minute} after the base time. */
    static Event event(TenantId tenant, int n, int minute, String host, String user, String process) {
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.HOST.ordinal()] = host;
        common[CommonColumn.USER.ordinal()] = user;
        common[CommonColumn.PROCESS.ordinal()] = process;
        common[CommonColumn.EVENT_CODE.ordinal()] = "1";
        long millis = BASE_MILLIS + minute * 60_000L;
        String raw = "event " + n + " of " + tenant.value();
        return new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant,
                "SysmonEvent", millis * 1000, common, new LinkedHashMap<>(), raw, new SourcePosition("sysmon.json", n,
                0));
    }

    static Asset assetOf(Inventory inventory, String id) {
        return inventory.assets().stream().filter(a -> a.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no asset " + id + " in " + inventory.assets()));
    }

    static Identity identityOf(Inventory inventory, String key) {
        return inventory.identities().stream().filter(i -> Identity.key(i.name()).equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no identity " + key + " in " + inventory.identities()));
    }

    /** The analyzer over no vulnerability knowledge: its findings are the weakness checks'. */
    static PostureReport analyze(Inventory inventory, Instant now) {
        VulnKnowledge knowledge = new VulnKnowledge();
        return new PostureAnalyzer(knowledge, VulnerabilityMatcher.build(knowledge), null, PosturePolicy.defaults())
                .analyze(inventory, now);
    }

    // --- imports ----------------------------------------------------------------------------------------------

    @Test
    void reImportingAFileReplacesWhatThatFileGaveAndKeepsWhatOtherFilesGave() {
        PostureStore.Replaced first = posture().replace("assets.csv", assets(
                asset("web-01.corp.example", "Ubuntu", "22.04", Criticality.HIGH, true, "assets.csv:2"),
                asset("db-01", "Debian GNU/Linux", "11", Criticality.CRITICAL, false, "assets.csv:3")));
        posture().replace("software.csv", new Inventory(List.of(), List.of(
                software("web-01", "nginx", "1.24.0", "software.csv:2")), List.of(), List.of()));
        store.commit();
        assertThat(first).isEqualTo(new PostureStore.Replaced(2, 0));

        reopen();
        PostureStore.Replaced again = posture().replace("assets.csv", assets(
                asset("web-01.corp.example", "Ubuntu", "24.04", Criticality.HIGH, true, "assets.csv:2")));
        store.commit();

        assertThat(again).as("the earlier import of the file is removed, one row per record")
                .isEqualTo(new PostureStore.Replaced(1, 2));
        Inventory inventory = posture().inventory();
        assertThat(inventory.assets()).extracting(Asset::id).containsExactly("web-01");
        assertThat(assetOf(inventory, "web-01").osVersion()).isEqualTo("24.04");
        assertThat(assetOf(inventory, "web-01").hostname()).isEqualTo("web-01.corp.example");
        assertThat(inventory.software()).singleElement().satisfies(item -> {
            assertThat(item.name()).isEqualTo("nginx");
            assertThat(item.source()).isEqualTo("software.csv:2");
        });
        assertThat(posture().sources()).extracting(s -> s.get("source") + " " + s.get("kind") + " " + s.get("records"))
                .containsExactly("assets.csv asset 1", "software.csv software 1");
    }

    @Test
    void aReplacementStoresEveryKindOfRecordAndReadsItBackEqual() {
        Asset web = asset("web-01", "Windows Server", "2012 R2", Criticality.CRITICAL, true, "inventory.json: /assets/0");
        Software openssl = new Software("web-01", "openssl", "OpenSSL", "1.0.1e", null,
                "cpe:2.3:a:openssl:openssl:1.0.1e:*:*:*:*:*:*:*", Origin.IMPORTED, "inventory.json: /assets/0/software/0");
        Service rdp = new Service("web-01", "0.0.0.0", 3389, "tcp", "svchost.exe", Origin.IMPORTED,
                "inventory.json: /assets/0/services/0");
        Identity alice = identity("alice", List.of("Global Administrator"), List.of(), "inventory.json: /identities/0");

        posture().replace("inventory.json", new Inventory(List.of(web), List.of(openssl), List.of(alice),
                List.of(rdp)));
        store.commit();
        reopen();

        Inventory read = posture().inventory();
        assertThat(read.assets()).containsExactly(web);
        assertThat(read.software()).containsExactly(openssl);
        assertThat(read.identities()).containsExactly(alice);
        assertThat(read.services()).containsExactly(rdp);
        assertThat(alice.mfaMethods()).as("empty means none registered, not unknown").isEmpty();
    }

    // --- observed inventory -----------------------------------------------------------------------------------

    @Test
    void hostsUsersAndProgramsSeenInEventsAreAddedAsObservedWithTheTimeTheyWereLastSeen() {
        store.append(batch(event(ACME, 1, 0, "WS-7.corp.local", "CORP\\bob", "C:\\Windows\\System32\\cmd.exe"),
                event(ACME, 2, 30, "ws-7", "CORP\\bob", "C:\\Program Files\\PuTTY\\putty.exe"),
                event(ACME, 3, 5, "srv-2", null, "/usr/sbin/sshd")));
        store.commit();

        Inventory observed = posture().observe();
        store.commit();

        assertThat(observed.assets()).extracting(Asset::id).containsExactlyInAnyOrder("ws-7", "srv-2");
        Inventory inventory = posture().inventory();
        Asset ws7 = assetOf(inventory, "ws-7");
        assertThat(ws7.origin()).isEqualTo(Origin.OBSERVED);
        assertThat(ws7.lastSeen()).isEqualTo(Instant.ofEpochMilli(BASE_MILLIS + 30 * 60_000L));
        assertThat(ws7.source()).startsWith("events: host ");
        assertThat(ws7.os()).as("events say nothing of the OS").isNull();
        assertThat(identityOf(inventory, "bob").origin()).isEqualTo(Origin.OBSERVED);
        assertThat(inventory.software()).filteredOn(s -> s.assetId().equals("ws-7")).extracting(Software::name)
                .containsExactlyInAnyOrder("cmd.exe", "putty.exe");
        assertThat(inventory.software()).filteredOn(s -> s.assetId().equals("srv-2")).singleElement()
                .satisfies(sshd -> {
                    assertThat(sshd.name()).isEqualTo("sshd");
                    assertThat(sshd.origin()).isEqualTo(Origin.OBSERVED);
                    assertThat(sshd.version()).isEmpty();
                    assertThat(sshd.source()).isEqualTo("events: 1 events ran /usr/sbin/sshd");
                });
        assertThat(posture().sources()).extracting(s -> s.get("source")).containsOnly(PostureStore.OBSERVED_SOURCE);
    }

    @Test
    void anObservationNeverOverridesWhatAnImportSaysAndOnlyAddsWhenTheHostWasLastSeen() {
        posture().replace("assets.csv", assets(
                asset("WEB-01.corp.example", "Ubuntu", "22.04", Criticality.HIGH, true, "assets.csv:2")));
        posture().replace("identities.csv", new Inventory(List.of(), List.of(), List.of(
                identity("alice", List.of("Global Administrator"), List.of("fido2"), "identities.csv:2")), List.of()));
        store.commit();
        store.append(batch(event(ACME, 1, 10, "web-01", "CORP\\alice", "/usr/sbin/nginx")));
        store.commit();

        posture().observe();
        store.commit();
        reopen();

        Inventory inventory = posture().inventory();
        assertThat(inventory.assets()).singleElement().satisfies(web -> {
            assertThat(web.id()).isEqualTo("web-01");
            assertThat(web.origin()).isEqualTo(Origin.IMPORTED);
            assertThat(web.hostname()).isEqualTo("WEB-01.corp.example");
            assertThat(web.os()).isEqualTo("Ubuntu");
            assertThat(web.osVersion()).isEqualTo("22.04");
            assertThat(web.criticality()).isEqualTo(Criticality.HIGH);
            assertThat(web.internetFacing()).isTrue();
            assertThat(web.source()).isEqualTo("assets.csv:2");
            assertThat(web.lastSeen()).isEqualTo(Instant.ofEpochMilli(BASE_MILLIS + 10 * 60_000L));
        });
        assertThat(inventory.identities()).singleElement().satisfies(alice -> {
            assertThat(alice.origin()).isEqualTo(Origin.IMPORTED);
            assertThat(alice.adminRoles()).containsExactly("Global Administrator");
            assertThat(alice.mfaMethods()).containsExactly("fido2");
            assertThat(alice.enabled()).isTrue();
            assertThat(alice.source()).isEqualTo("identities.csv:2");
        });
        assertThat(inventory.software()).singleElement().satisfies(nginx -> {
            assertThat(nginx.assetId()).isEqualTo("web-01");
            assertThat(nginx.origin()).isEqualTo(Origin.OBSERVED);
        });
    }

    @Test
    void aNewObservationReplacesThePreviousOneAndLeavesImportsAlone() {
        posture().replace("assets.csv", assets(asset("db-01", "Debian GNU/Linux", "11", Criticality.HIGH, false,
                "assets.csv:2")));
        store.append(batch(event(ACME, 1, 0, "ws-1", "carol", "notepad.exe")));
        store.commit();
        posture().observe();
        store.commit();
        store.append(batch(event(ACME, 2, 60, "ws-1", "carol", "notepad.exe")));
        store.commit();

        posture().observe();
        store.commit();

        assertThat(single(store, "SELECT count(*) FROM vigil_inventory WHERE source_file = 'events'"))
                .as("ws-1, carol and notepad.exe once each").isEqualTo(3L);
        assertThat(single(store, "SELECT count(*) FROM vigil_inventory WHERE origin = 'observed'")).isEqualTo(3L);
        assertThat(single(store, "SELECT count(*) FROM vigil_inventory WHERE source_file = 'assets.csv'")).isEqualTo(1L);
        Inventory inventory = posture().inventory();
        assertThat(assetOf(inventory, "ws-1").lastSeen()).isEqualTo(Instant.ofEpochMilli(BASE_MILLIS + 60 * 60_000L));
        assertThat(inventory.software()).singleElement()
                .satisfies(s -> assertThat(s.source()).isEqualTo("events: 2 events ran notepad.exe"));
    }

    @Test
    void aTenantWithoutEventsObservesNothingAndKeepsItsImports() {
        posture().replace("assets.csv", assets(asset("db-01", "Debian GNU/Linux", "11", Criticality.HIGH, false,
                "assets.csv:2")));
        store.commit();

        assertThat(posture().observe().isEmpty()).isTrue();
        store.commit();

        assertThat(posture().inventory().assets()).extracting(Asset::id).containsExactly("db-01");
    }

    // --- findings and history ---------------------------------------------------------------------------------

    @Test
    void findingsPersistAcrossARestartAndTheLatestRunReplacesThem() {
        Inventory inventory = new Inventory(List.of(asset("web-01", "Windows Server", "2012 R2", Criticality.CRITICAL,
                true, "assets.csv:2")), List.of(), List.of(identity("alice", List.of("Global Administrator"), List.of(),
                "identities.csv:2")), List.of(new Service("web-01", "0.0.0.0", 3389, "tcp", "svchost.exe",
                Origin.IMPORTED, "services.csv:2")));
        PostureReport report = analyze(inventory, NOW);
        assertThat(report.findings()).extracting(Finding::kind)
                .contains("admin-without-mfa", "exposed-service", "end-of-life-os");

        posture().record(report);
        store.commit();
        reopen();

        assertThat(single(store, "SELECT count(*) FROM vigil_findings")).isEqualTo((long) report.findings().size());
        assertThat(StoreTesting.rows(store, "SELECT kind, asset_id, subject, decision FROM vigil_findings"
                + " WHERE kind = 'exposed-service'")).containsExactly(List.of("exposed-service", "web-01", "tcp/3389",
                Decision.ACT.label()));
        assertThat(single(store, "SELECT finding->>'$.subject' FROM vigil_findings WHERE kind = 'admin-without-mfa'"))
                .isEqualTo("alice");
        assertThat(single(store, "SELECT count(DISTINCT analyzed_at) FROM vigil_findings")).isEqualTo(1L);

        Inventory fixed = new Inventory(inventory.assets(), List.of(), List.of(identity("alice",
                List.of("Global Administrator"), List.of("fido2"), "identities.csv:2")), inventory.services());
        PostureReport later = analyze(fixed, NOW.plusSeconds(3_600));
        posture().record(later);
        store.commit();

        assertThat(single(store, "SELECT count(*) FROM vigil_findings")).isEqualTo((long) later.findings().size());
        assertThat(single(store, "SELECT count(*) FROM vigil_findings WHERE kind = 'admin-without-mfa'")).isEqualTo(0L);
    }

    @Test
    void theExposureHistoryAccumulatesOverRunsForTheOrganizationAndEachAsset() {
        Inventory exposed = new Inventory(List.of(asset("web-01", "Ubuntu", "22.04", Criticality.CRITICAL, true,
                "assets.csv:2")), List.of(), List.of(), List.of(new Service("web-01", "0.0.0.0", 3389, "tcp", "",
                Origin.IMPORTED, "services.csv:2"), new Service("web-01", "0.0.0.0", 23, "tcp", "", Origin.IMPORTED,
                "services.csv:3")));
        Inventory closed = new Inventory(exposed.assets(), List.of(), List.of(), List.of());
        PostureReport first = analyze(exposed, NOW);
        PostureReport second = analyze(closed, NOW.plusSeconds(86_400));
        PostureReport third = analyze(exposed, NOW.plusSeconds(2 * 86_400));

        posture().record(first);
        store.commit();
        reopen();
        posture().record(second);
        store.commit();
        reopen();
        posture().record(third);
        store.commit();

        List<PostureStore.HistoryPoint> organization = posture().history("organization", 30);
        assertThat(organization).extracting(PostureStore.HistoryPoint::at)
                .containsExactly(NOW, NOW.plusSeconds(86_400), NOW.plusSeconds(2 * 86_400));
        assertThat(organization.get(0).score()).isEqualTo(first.organizationScore()).isPositive();
        assertThat(organization.get(0).findings()).isEqualTo(2);
        assertThat(organization.get(0).act()).isEqualTo((int) first.findings().stream()
                .filter(f -> f.decision() == Decision.ACT).count());
        assertThat(organization.get(1).score()).isLessThan(organization.get(0).score());
        assertThat(organization.get(1).findings()).isZero();
        assertThat(organization.get(2).score()).isEqualTo(third.organizationScore());

        assertThat(posture().history("organization", 2)).as("the latest points, oldest first")
                .extracting(PostureStore.HistoryPoint::at)
                .containsExactly(NOW.plusSeconds(86_400), NOW.plusSeconds(2 * 86_400));
        assertThat(posture().history("asset:web-01", 30)).hasSize(3).first()
                .satisfies(point -> {
                    assertThat(point.score()).isEqualTo(first.assetScores().get("web-01"));
                    assertThat(point.findings()).isEqualTo(2);
                });
        assertThat(posture().history("asset:nowhere", 30)).isEmpty();
    }

    // --- tenants ----------------------------------------------------------------------------------------------

    @Test
    void anotherTenantSeesNoneOfTheInventoryFindingsOrHistory() {
        posture().replace("assets.csv", assets(asset("web-01", "Windows Server", "2012 R2", Criticality.CRITICAL,
                true, "assets.csv:2")));
        store.append(batch(event(ACME, 1, 0, "ws-acme", "acme-user", "cmd.exe")));
        store.commit();
        posture().observe();
        posture().record(analyze(posture().inventory(), NOW));
        store.commit();

        try (TenantStore globex = TenantStore.open(data, GLOBEX, TenantStore.Mode.READ_WRITE)) {
            globex.append(batch(event(GLOBEX, 1, 0, "ws-globex", "globex-user", "calc.exe")));
            globex.commit();
            PostureStore theirs = globex.posture();
            assertThat(theirs.inventory().isEmpty()).isTrue();
            assertThat(theirs.sources()).isEmpty();
            assertThat(theirs.history("organization", 30)).isEmpty();
            assertThat(single(globex, "SELECT count(*) FROM vigil_findings")).isEqualTo(0L);

            Inventory observed = theirs.observe();
            globex.commit();
            assertThat(observed.assets()).extracting(Asset::id).containsExactly("ws-globex");
            assertThat(observed.identities()).extracting(Identity::name).containsExactly("globex-user");
        }

        Inventory ours = posture().inventory();
        assertThat(ours.assets()).extracting(Asset::id).containsExactlyInAnyOrder("web-01", "ws-acme");
        assertThat(ours.identities()).extracting(Identity::name).containsExactly("acme-user");
        assertThat(posture().history("organization", 30)).hasSize(1);
    }
}
