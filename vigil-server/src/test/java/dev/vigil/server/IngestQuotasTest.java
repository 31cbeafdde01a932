package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-tenant ingest quotas per calendar minute and day. */
class IngestQuotasTest {
    static final TenantId ACME = TenantId.of("acme");

    @Test
    void aRequestIsAdmittedWholeOrRefusedWholeAndTheWindowEndsOnTheMinute() {
        IngestQuotas quotas = new IngestQuotas(new IngestQuotas.Quota(10, 0), Map.of());
        Instant at = Instant.parse("2026-11-29T10:00:15Z");
        long[] retry = {0};
        quotas.admit(ACME, 6, at, retry);
        assertThatThrownBy(() -> quotas.admit(ACME, 5, at.plusSeconds(10), retry))
                .isInstanceOf(VigilException.class)
                .hasMessage("tenant 'acme' may send 10 records per minute (server.ingest.events-per-minute); 6 were"
                        + " sent in this one, and this request has 5: nothing of it was stored");
        assertThat(retry[0]).isEqualTo(35);
        quotas.admit(ACME, 4, at.plusSeconds(10), retry);
        quotas.admit(ACME, 10, Instant.parse("2026-11-29T10:01:00Z"), retry);
    }

    @Test
    void aTenantsOwnQuotaOverridesTheDefaultsAndTheDayCountsToo() {
        IngestQuotas quotas = new IngestQuotas(new IngestQuotas.Quota(0, 0), IngestQuotas.parse("acme=0/20"));
        long[] retry = {0};
        Instant morning = Instant.parse("2026-11-29T08:00:00Z");
        quotas.admit(ACME, 15, morning, retry);
        assertThatThrownBy(() -> quotas.admit(ACME, 6, morning.plusSeconds(3600), retry))
                .hasMessageContaining("20 records per day (UTC) (server.ingest.tenant-quotas)");
        assertThat(retry[0]).isEqualTo(15 * 3600);
        quotas.admit(TenantId.of("globex"), 1_000_000, morning, retry);
        quotas.admit(ACME, 20, Instant.parse("2026-11-30T00:00:00Z"), retry);
    }

    @Test
    void aMalformedOverrideNamesTheEntry() {
        assertThatThrownBy(() -> IngestQuotas.parse("acme=10/20, globex:5"))
                .hasMessage("server.ingest.tenant-quotas: 'globex:5' is not TENANT=PER_MINUTE/PER_DAY");
    }
}
