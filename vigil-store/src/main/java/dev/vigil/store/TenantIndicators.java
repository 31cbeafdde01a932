package dev.vigil.store;

import dev.vigil.config.VigilConfig;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IocDetector;
import java.time.Instant;
import org.slf4j.LoggerFactory;

/** A tenant's active indicators as ingest and retro-hunts match them, loaded from its store. */
public final class TenantIndicators {
    private TenantIndicators() {}

    /** The index of the indicators active at the instant, streamed from the store into the compact index. */
    public static IndicatorIndex load(TenantStore store, Instant at) {
        IndicatorIndex.Builder builder = IndicatorIndex.builder(at);
        store.scanIndicators(at, builder::add);
        return builder.build();
    }

    /**
     * Indicator matching over the tenant's active indicators, or null when it has none, so that a tenant without
     * intelligence costs ingest nothing.
     */
    public static IocDetector detector(VigilConfig config, TenantStore store) {
        long start = System.nanoTime();
        IndicatorIndex index = load(store, Instant.now());
        if (index.isEmpty()) {
            return null;
        }
        LoggerFactory.getLogger(TenantIndicators.class).atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("indicators", index.size())
                .addKeyValue("seconds", (System.nanoTime() - start) / 1e9).log("indicator matching on ingest");
        return new IocDetector(index, config.tenant());
    }
}
