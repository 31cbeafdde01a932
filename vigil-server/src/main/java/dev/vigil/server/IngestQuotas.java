package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.ConfigKey;
import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many records each tenant may send over the ingest API per minute and per day (UTC), from
 * {@code server.ingest.events-per-minute}, {@code server.ingest.events-per-day} and the per-tenant overrides of
 * {@code server.ingest.tenant-quotas}. A request's records are counted when it is admitted, all or none: a request
 * that would pass a quota is refused whole (429 naming the quota and when its window ends), so that a client can
 * resend it unchanged later. The windows are fixed (the calendar minute and day), kept in memory.
 */
final class IngestQuotas {
    /** A tenant's quota; 0 means none. */
    record Quota(long perMinute, long perDay) {}

    private static final class Usage {
        long minute = -1;
        long inMinute;
        long day = -1;
        long inDay;
    }

    private final Quota defaults;
    private final Map<String, Quota> byTenant;
    private final Map<TenantId, Usage> usage = new ConcurrentHashMap<>();

    IngestQuotas(Quota defaults, Map<String, Quota> byTenant) {
        this.defaults = requireNonNull(defaults, "defaults is null");
        this.byTenant = Map.copyOf(byTenant);
    }

    static IngestQuotas from(VigilConfig config) {
        Quota defaults = new Quota((Integer) config.value(ConfigKey.SERVER_INGEST_EVENTS_PER_MINUTE),
                (Integer) config.value(ConfigKey.SERVER_INGEST_EVENTS_PER_DAY));
        return new IngestQuotas(defaults, parse((String) config.value(ConfigKey.SERVER_INGEST_TENANT_QUOTAS)));
    }

    /** Parses {@code TENANT=PER_MINUTE/PER_DAY[,...]}, with errors that name the entry. */
    static Map<String, Quota> parse(String text) {
        Map<String, Quota> quotas = new HashMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([^=\\s]+)\\s*=\\s*(\\d{1,12})\\s*/\\s*"
                    + "(\\d{1,12})\\s*").matcher(entry);
            if (!m.matches()) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "server.ingest.tenant-quotas: '" + entry.strip()
                        + "' is not TENANT=PER_MINUTE/PER_DAY", "Write e.g. acme=1000/500000,globex=0/100000000 (0:"
                        + " no quota)", null);
            }
            quotas.put(TenantId.of(m.group(1)).value(), new Quota(Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3))));
        }
        return quotas;
    }

    Quota quotaOf(TenantId tenant) {
        return byTenant.getOrDefault(tenant.value(), defaults);
    }

    /**
     * Counts {@code records} against the tenant's quotas, or refuses them all with {@code QUOTA_EXCEEDED}; the
     * exception's message names the quota, and {@code retryAfter[0]} is set to the seconds until its window ends.
     */
    void admit(TenantId tenant, long records, Instant now, long[] retryAfter) {
        Quota quota = quotaOf(tenant);
        if (quota.perMinute() == 0 && quota.perDay() == 0) {
            return;
        }
        long epochSecond = now.getEpochSecond();
        long minute = Math.floorDiv(epochSecond, 60);
        long day = Math.floorDiv(epochSecond, 86_400);
        Usage used = usage.computeIfAbsent(tenant, t -> new Usage());
        synchronized (used) {
            if (used.minute != minute) {
                used.minute = minute;
                used.inMinute = 0;
            }
            if (used.day != day) {
                used.day = day;
                used.inDay = 0;
            }
            if (quota.perMinute() > 0 && used.inMinute + records > quota.perMinute()) {
                retryAfter[0] = (minute + 1) * 60 - epochSecond;
                throw refused(tenant, records, quota.perMinute(), used.inMinute, "minute",
                        "server.ingest.events-per-minute");
            }
            if (quota.perDay() > 0 && used.inDay + records > quota.perDay()) {
                retryAfter[0] = (day + 1) * 86_400 - epochSecond;
                throw refused(tenant, records, quota.perDay(), used.inDay, "day (UTC)",
                        "server.ingest.events-per-day");
            }
            used.inMinute += records;
            used.inDay += records;
        }
    }

    private VigilException refused(TenantId tenant, long records, long quota, long used, String window,
            String key) {
        String setting = byTenant.containsKey(tenant.value()) ? "server.ingest.tenant-quotas" : key;
        return new VigilException(ErrorCode.QUOTA_EXCEEDED, "tenant '" + tenant + "' may send " + quota
                + " records per " + window + " (" + setting + "); " + used + " were sent in this one, and this"
                + " request has " + records + ": nothing of it was stored");
    }
}
