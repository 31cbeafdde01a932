package dev.vigil.copilot.skills;

import static dev.vigil.copilot.skills.Grounding.assertGrounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.SkillResult;
import dev.vigil.intel.ioc.Indicator;
import dev.vigil.intel.ioc.IndicatorType;
import dev.vigil.intel.ioc.Provenance;
import dev.vigil.model.Alert;
import dev.vigil.model.Event;
import dev.vigil.model.VigilException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("indicator-reputation")
class IndicatorReputationSkillTest {
    private static final String BAD_IP = "45.137.21.9";

    @TempDir
    Path data;

    SkillTenant tenant;
    IndicatorReputationSkill skill;

    @BeforeEach
    void open() {
        tenant = SkillTenant.bare(data);
        skill = new IndicatorReputationSkill(tenant.workspace);
    }

    @AfterEach
    void close() {
        tenant.close();
    }

    private static Provenance feed(String name, int confidence, Instant validUntil) {
        return new Provenance(List.of(name), confidence, Instant.parse("2025-06-01T00:00:00Z"),
                Instant.parse("2025-08-20T00:00:00Z"), null, validUntil, List.of("c2"), List.of("FIN7"), List.of(),
                List.of("T1071.001"), List.of(name + "-1"));
    }

    @Test
    void aListedAddressIsKnownMaliciousWithItsFeedSightingsAndAlerts() {
        tenant.indicators(Indicator.of(IndicatorType.IPV4, BAD_IP, feed("abuse-feed", 80, null)));
        Event first = tenant.event("Firewall", "ws5", "alice", "allow tcp 10.0.0.5:51000 -> " + BAD_IP + ":443");
        tenant.event("Firewall", "ws6", "bob", "allow tcp 10.0.0.6:52000 -> " + BAD_IP + ":443");
        tenant.event("Firewall", "ws6", "bob", "allow tcp 10.0.0.6:52000 -> 45.137.21.90:443");
        Alert alert = tenant.alert(first, "ioc:ipv4:" + BAD_IP, "Connection to a known-bad address", List.of(),
                Map.of("dst_ip", BAD_IP));

        SkillResult result = tenant.run(skill, "ip", BAD_IP);

        assertThat(result.status()).isEqualTo(SkillResult.Status.OK);
        assertThat(result.markdown()).startsWith(BAD_IP + " is known malicious: the threat intelligence of tenant"
                + " 'acme' lists it (feed abuse-feed, confidence 80");
        assertThat(result.markdown()).contains("linked to FIN7").contains("It appears in 2 events")
                .contains("1 alert involves it");
        assertThat(result.facts()).containsEntry("verdict", "known-malicious").containsEntry("matches", 1L)
                .containsEntry("sightings", 2L).containsEntry("alerts", 1L);
        assertThat(refs(result)).contains("indicator:ipv4:" + BAD_IP, "alert:" + alert.id(), "query:0")
                .anyMatch(ref -> ref.startsWith("event:Firewall:"));
        assertThat(result.subjects()).extracting(Object::toString).containsExactly("ip:" + BAD_IP);
        assertThat(result.followUps()).hasSizeBetween(2, 4);
        assertGrounded(result);
    }

    @Test
    void aDefangedSubdomainMatchesTheListedParentDomain() {
        tenant.indicators(Indicator.of(IndicatorType.DOMAIN, "evil-cdn.net", feed("phish-feed", 70, null)));

        SkillResult result = tenant.run(skill, "domain", "login.evil-cdn[.]net");

        assertThat(result.markdown()).startsWith("login.evil-cdn.net is known malicious: the threat intelligence of"
                + " tenant 'acme' lists its parent domain evil-cdn.net");
        assertThat(result.facts()).containsEntry("verdict", "known-malicious");
        assertGrounded(result);
    }

    @Test
    void anExpiredListingIsReportedAsFormerlyListedNotMalicious() {
        tenant.indicators(Indicator.of(IndicatorType.DOMAIN, "old-c2.org", feed("phish-feed", 60,
                Instant.parse("2025-07-01T00:00:00Z"))));

        SkillResult result = tenant.run(skill, "domain", "old-c2.org");

        assertThat(result.markdown()).startsWith("old-c2.org was listed by threat intelligence (feed phish-feed,"
                + " confidence 60, first seen 2025-06-01T00:00:00Z, last seen 2025-08-20T00:00:00Z, linked to FIN7),"
                + " but the listing is not valid now: it expired 2025-07-01T00:00:00Z.");
        assertThat(result.facts()).containsEntry("verdict", "formerly-listed");
        assertGrounded(result);
    }

    @Test
    void aValueOnlyInTheTenantsDataIsSeenButHasNoReputation() {
        tenant.event("DnsEvents", "ws5", "alice", "query updates.quiet-host.io A");

        SkillResult result = tenant.run(skill, "domain", "quiet-host.io");

        assertThat(result.markdown()).startsWith("Vigil has no reputation for quiet-host.io: no threat-intelligence"
                + " indicator of tenant 'acme' matches it, but it is in your data. It appears in 1 event");
        assertThat(result.facts()).containsEntry("verdict", "seen-in-data").containsEntry("sightings", 1L);
        assertGrounded(result);
    }

    @Test
    void anUnknownValueSaysVigilHasNoReputationAndWhichDataWouldTell() {
        SkillResult result = tenant.run(skill, "hash", "44d88612fea8a8f36de82e1278abb02f");

        assertThat(result.status()).isEqualTo(SkillResult.Status.EMPTY);
        assertThat(result.markdown()).startsWith("Vigil has no reputation for 44d88612fea8a8f36de82e1278abb02f: no"
                + " threat-intelligence indicator of tenant 'acme' matches it, and none of your events or alerts"
                + " mention it.");
        assertThat(result.markdown()).contains("A threat-intelligence feed that covers it would tell")
                .contains("`vigil intel import FILE`").contains("has 0 active threat-intelligence indicators");
        assertThat(result.facts()).containsEntry("verdict", "unknown").containsEntry("matches", 0L);
        assertThat(result.evidence()).isEmpty();
        assertGrounded(result);
    }

    @Test
    void aPrivateOrDocumentationAddressIsNamedAsSuch() {
        SkillResult result = tenant.run(skill, "ip", "10.20.30.40", "ip", "198.51.100.23");

        assertThat(result.markdown()).contains("10.20.30.40 is a private address (RFC 1918)")
                .contains("198.51.100.23 is a documentation address (RFC 5737)");
        assertThat(result.facts().get("special_ranges")).isEqualTo(List.of("10.20.30.40", "198.51.100.23"));
        assertGrounded(result);
    }

    @Test
    void severalIndicatorsAreSummarizedByVerdictFirst() {
        tenant.indicators(Indicator.of(IndicatorType.IPV4, BAD_IP, feed("abuse-feed", 80, null)));

        SkillResult result = tenant.run(skill, "ip", BAD_IP, "domain", "example.org", "url",
                "hxxps://files.example.net/a.zip");

        assertThat(result.markdown()).startsWith("Of the 3 indicators, 1 is known malicious (" + BAD_IP + ") and 2"
                + " are unknown to Vigil (example.org and https://files.example.net/a.zip).");
        assertThat(result.facts().get("verdicts")).isEqualTo(Map.of(BAD_IP, "known-malicious", "example.org",
                "unknown", "https://files.example.net/a.zip", "unknown"));
        assertThat(result.tables().get(0).column("verdict")).containsExactly("known-malicious", "unknown",
                "unknown");
        assertGrounded(result);
    }

    @Test
    void aCallWithoutIndicatorsOrWithAMalformedOneIsRefusedWithHowToFixIt() {
        assertThatThrownBy(() -> tenant.run(skill)).isInstanceOf(VigilException.class)
                .hasMessageContaining("needs at least one indicator");
        assertThatThrownBy(() -> tenant.run(skill, "hash", "abc123def"))
                .isInstanceOf(VigilException.class).hasMessageContaining("abc123def");
    }

    static List<String> refs(SkillResult result) {
        return result.evidence().stream().map(Evidence::refs).flatMap(List::stream).toList();
    }
}
