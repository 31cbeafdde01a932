package dev.vigil.intel.ioc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Provenance: merging listings of one value across feeds, validity and expiry")
class ProvenanceTest {
    private static final Instant JAN = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant FEB = Instant.parse("2024-02-01T00:00:00Z");
    private static final Instant MAR = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant APR = Instant.parse("2024-04-01T00:00:00Z");

    private static Provenance provenance(String feed, int confidence, Instant first, Instant last, Instant from,
            Instant until, String tag, String source) {
        return new Provenance(List.of(feed), confidence, first, last, from, until, List.of(tag), List.of(),
                List.of(), List.of(), List.of(source));
    }

    @Test
    void a_merge_keeps_every_feed_the_highest_confidence_the_earliest_first_and_latest_last_sighting() {
        Provenance a = provenance("alpha", 40, FEB, MAR, JAN, MAR, "c2", "indicator--a");
        Provenance b = provenance("beta", 80, JAN, FEB, FEB, APR, "phishing", "b-uuid");
        Provenance merged = a.merge(b);
        assertThat(merged.feeds()).containsExactly("alpha", "beta");
        assertThat(merged.confidence()).isEqualTo(80);
        assertThat(merged.firstSeen()).isEqualTo(JAN);
        assertThat(merged.lastSeen()).isEqualTo(MAR);
        assertThat(merged.validFrom()).isEqualTo(JAN);
        assertThat(merged.validUntil()).isEqualTo(APR);
        assertThat(merged.tags()).containsExactly("c2", "phishing");
        assertThat(merged.sourceIds()).containsExactly("b-uuid", "indicator--a");
        assertThat(b.merge(a)).as("commutative").isEqualTo(merged);
        assertThat(merged.merge(a)).as("idempotent").isEqualTo(merged);
    }

    @Test
    void an_open_validity_end_stays_open_in_a_merge() {
        Provenance bounded = provenance("a", 50, null, null, FEB, MAR, "t", "s");
        Provenance open = provenance("b", 50, null, null, null, null, "t", "s");
        Provenance merged = bounded.merge(open);
        assertThat(merged.validFrom()).isNull();
        assertThat(merged.validUntil()).isNull();
    }

    @Test
    void activity_and_expiry() {
        Provenance p = provenance("a", 50, null, null, FEB, MAR, "t", "s");
        assertThat(p.isActiveAt(JAN)).isFalse();
        assertThat(p.isActiveAt(FEB)).isTrue();
        assertThat(p.isActiveAt(MAR)).as("valid until is exclusive").isFalse();
        assertThat(p.isExpiredAt(MAR)).isTrue();
        assertThat(p.isExpiredAt(JAN)).isFalse();
    }

    @Test
    void invalid_provenance_is_refused() {
        assertThatThrownBy(() -> provenance("a", 101, null, null, null, null, "t", "s"))
                .hasMessage("confidence must be 0 to 100, not 101");
        assertThatThrownBy(() -> provenance("a", 50, null, null, MAR, FEB, "t", "s"))
                .hasMessage("valid until 2024-02-01T00:00:00Z is not after valid from 2024-03-01T00:00:00Z");
        assertThatThrownBy(() -> new Provenance(List.of(), 50, null, null, null, null, List.of(), List.of(),
                List.of(), List.of(), List.of())).hasMessage("an indicator needs at least one feed");
    }

    @Test
    void deduplication_merges_listings_of_one_type_and_value_in_first_seen_order() {
        List<Indicator> merged = Indicators.deduplicate(List.of(
                Indicator.of(IndicatorType.DOMAIN, "evil.example", Provenance.of("a", 30)),
                Indicator.of(IndicatorType.IPV4, "203.0.113.7", Provenance.of("a", 30)),
                Indicator.of(IndicatorType.DOMAIN, "EVIL.EXAMPLE.", Provenance.of("b", 70))));
        assertThat(merged).extracting(Indicator::key).containsExactly("domain:evil.example", "ipv4:203.0.113.7");
        assertThat(merged.get(0).provenance().feeds()).containsExactly("a", "b");
        assertThat(merged.get(0).provenance().confidence()).isEqualTo(70);
    }
}
