package dev.vigil.store;

import static dev.vigil.store.StoreTesting.ACME;
import static dev.vigil.store.StoreTesting.batch;
import static dev.vigil.store.StoreTesting.event;
import static dev.vigil.store.StoreTesting.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.IndicatorValues;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indicators in the store: merged across imports, read back active at an instant, counted, expired, searched. */
@DisplayName("A tenant store's indicators")
class TenantStoreIndicatorTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant JUN = Instant.parse("2024-06-01T00:00:00Z");

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

    private static Provenance provenance(String feed, int confidence, Instant firstSeen, Instant lastSeen,
            Instant validUntil, String tag) {
        return new Provenance(List.of(feed), confidence, firstSeen, lastSeen, null, validUntil, List.of(tag),
                List.of("APT-" + feed), List.of(), List.of("T1071"), List.of(feed + "-id"));
    }

    @Test
    void anIndicatorComesBackAsItWasStored() {
        Indicator indicator = Indicator.of(IndicatorType.DOMAIN, "evil.example", new Provenance(
                List.of("a", "b"), 70, JAN, JUN, JAN, Instant.parse("2026-01-01T00:00:00Z"), List.of("c2", "x y"),
                List.of("APT-X"), List.of("Operation Y"), List.of("T1566.001"), List.of("indicator--1")));

        assertThat(store.putIndicators(List.of(indicator))).isEqualTo(new IndicatorUpsert(1, 0, 0));
        store.commit();

        assertThat(store.indicators(NOW)).containsExactly(indicator);
    }

    @Test
    void importingAValueAgainMergesItsProvenanceAndAnEqualImportChangesNothing() {
        Indicator first = Indicator.of(IndicatorType.IPV4, "203.0.113.7", provenance("alpha", 40, JUN, JUN, null,
                "c2"));
        Indicator second = Indicator.of(IndicatorType.IPV4, "203.0.113.7", provenance("beta", 90, JAN, JAN, null,
                "scanner"));
        store.putIndicators(List.of(first));
        store.commit();

        assertThat(store.putIndicators(List.of(second))).isEqualTo(new IndicatorUpsert(0, 1, 0));
        store.commit();
        assertThat(store.putIndicators(List.of(second, first))).isEqualTo(new IndicatorUpsert(0, 0, 1));
        store.commit();

        List<Indicator> stored = store.indicators(NOW);
        assertThat(stored).hasSize(1);
        Provenance merged = stored.get(0).provenance();
        assertThat(merged.feeds()).containsExactly("alpha", "beta");
        assertThat(merged.confidence()).isEqualTo(90);
        assertThat(merged.firstSeen()).isEqualTo(JAN);
        assertThat(merged.lastSeen()).isEqualTo(JUN);
        assertThat(merged.tags()).containsExactly("c2", "scanner");
        assertThat(merged.actors()).containsExactly("APT-alpha", "APT-beta");
        assertThat(merged.sourceIds()).containsExactly("alpha-id", "beta-id");
    }

    @Test
    void onlyIndicatorsActiveAtTheInstantAreRead_andExpiredOnesAreRemovedOnRequest() {
        Indicator active = Indicator.of(IndicatorType.DOMAIN, "active.example", provenance("f", 50, null, null,
                null, "t"));
        Indicator expired = Indicator.of(IndicatorType.DOMAIN, "expired.example", provenance("f", 50, null, null,
                JUN, "t"));
        Indicator pending = Indicator.of(IndicatorType.DOMAIN, "pending.example", new Provenance(List.of("g"), 50,
                null, null, Instant.parse("2026-01-01T00:00:00Z"), null, List.of(), List.of(), List.of(), List.of(),
                List.of()));
        store.putIndicators(List.of(active, expired, pending));
        store.commit();

        assertThat(store.indicators(NOW)).extracting(Indicator::value).containsExactly("active.example");
        IndicatorCounts counts = store.indicatorCounts(NOW);
        assertThat(counts.total()).isEqualTo(3);
        assertThat(counts.active()).isEqualTo(1);
        assertThat(counts.expired()).isEqualTo(1);
        assertThat(counts.pending()).isEqualTo(1);
        assertThat(counts.activeByType()).containsEntry("domain", 1L);
        assertThat(counts.activeByFeed()).containsExactly(Map.entry("f", 1L));

        assertThat(store.expireIndicators(NOW)).isEqualTo(1);
        store.commit();
        assertThat(store.indicatorCounts(NOW).total()).isEqualTo(2);
    }

    @Test
    void manyIndicatorsStreamIntoAnIndex() {
        List<Indicator> many = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            many.add(Indicator.of(IndicatorType.IPV4, "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255),
                    provenance("bulk", 50, null, null, null, "t")));
        }
        assertThat(store.putIndicators(many).added()).isEqualTo(25_000);
        store.commit();

        IndicatorIndex.Builder builder = IndicatorIndex.builder(NOW);
        store.scanIndicators(NOW, builder::add);
        IndicatorIndex index = builder.build();
        assertThat(index.size()).isEqualTo(25_000);
        assertThat(index.match("10.0.97.167")).extracting(Indicator::key).containsExactly("ipv4:10.0.97.167");
    }

    @Test
    void theIndicatorsThatMatchAValueAreFoundByTheirKeys() {
        store.putIndicators(List.of(
                Indicator.of(IndicatorType.CIDR, "203.0.113.0/24", provenance("a", 50, null, null, null, "t")),
                Indicator.of(IndicatorType.DOMAIN, "evil.example", provenance("b", 50, null, null, null, "t")),
                Indicator.of(IndicatorType.DOMAIN, "other.example", provenance("c", 50, null, null, null, "t"))));
        store.commit();

        assertThat(store.indicatorsByKey(IndicatorValues.matchingKeys(IndicatorValues.detect("203.0.113.7"))))
                .extracting(Indicator::key).containsExactly("cidr:203.0.113.0/24");
        assertThat(store.indicatorsByKey(IndicatorValues.matchingKeys(IndicatorValues.detect("a.evil.example"))))
                .extracting(Indicator::key).containsExactly("domain:evil.example");
    }

    @Test
    void sightingsFindTheEventsHostsUsersAndAlertsOfAValue() {
        Event seen = event("CommonSecurityLog", "1", 1, fields("DestinationIP", "203.0.113.7", "Message",
                "to cdn.evil.example"));
        Event again = event("Syslog", "1", 2, fields("SyslogMessage", "connect 203.0.113.7:443 ok"));
        Event lookAlike = event("Syslog", "1", 3, fields("SyslogMessage", "connect 203.0.113.70 and notevil.example"));
        store.append(batch(seen, again, lookAlike));
        IocDetector detector = new IocDetector(IndicatorIndex.of(List.of(Indicator.of(IndicatorType.IPV4,
                "203.0.113.7", Provenance.of("f", 50))), NOW), ACME);
        List<Alert> alerts = detector.detect(List.of(seen, again, lookAlike));
        store.appendAlerts(alerts);
        store.commit();

        Sightings ip = store.sightings(IndicatorType.IPV4, "203.0.113.7", 10);
        assertThat(ip.events()).isEqualTo(2);
        assertThat(ip.byTable()).containsOnlyKeys("CommonSecurityLog", "Syslog");
        assertThat(ip.hosts()).extracting(Sightings.Count::value).containsExactly("host-1", "host-2");
        assertThat(ip.users()).extracting(Sightings.Count::value).containsExactly("user-1", "user-2");
        assertThat(ip.firstSeen()).isBefore(ip.lastSeen());
        assertThat(ip.alerts()).isEqualTo(2);
        assertThat(ip.recentAlerts()).extracting(Sightings.AlertMention::ruleId).containsOnly("ioc:ipv4:203.0.113.7");

        Sightings domain = store.sightings(IndicatorType.DOMAIN, "evil.example", 10);
        assertThat(domain.events()).as("subdomains count, look-alikes do not").isEqualTo(1);

        Sightings network = store.sightings(IndicatorType.CIDR, "203.0.113.0/24", 10);
        assertThat(network.events()).as("by src_ip and dst_ip").isZero();
        Event normalized = withDestination(event("CommonSecurityLog", "1", 4, fields("x", "y")), "203.0.113.99");
        store.append(batch(normalized));
        store.commit();
        assertThat(store.sightings(IndicatorType.CIDR, "203.0.113.0/24", 10).events()).isEqualTo(1);
    }

    private static Event withDestination(Event event, String address) {
        String[] common = new String[CommonColumn.count()];
        for (CommonColumn column : CommonColumn.values()) {
            common[column.ordinal()] = event.common(column);
        }
        common[CommonColumn.DST_IP.ordinal()] = address;
        String raw = event.raw() + address;
        return new Event(EventId.derive(ACME, event.timeMicros() / 1000, raw.getBytes(StandardCharsets.UTF_8), 0),
                ACME, event.table(), event.timeMicros(), common, new LinkedHashMap<>(event.fields()), raw,
                new SourcePosition("test.json", 9, 0));
    }
}
