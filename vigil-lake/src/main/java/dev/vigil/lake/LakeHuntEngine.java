package dev.vigil.lake;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.query.KqlCompiler;
import dev.vigil.store.HuntRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * An engine that runs hunts over one tenant's part of the lake: DuckDB ({@link LakeHunts}) always, Spark when the
 * {@code vigil-spark} module is on the class path (found through {@link Provider} by {@link ServiceLoader}, so that
 * nothing else carries Spark's weight).
 */
public interface LakeHuntEngine extends AutoCloseable {
    /** The engine's name: {@code duckdb}, {@code spark}. */
    String engine();

    KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters);

    HuntRunner.Result run(String kql, Map<String, Object> parameters, HuntRunner.Limits limits);

    @Override
    void close();

    /** Opens an engine over a tenant's tables; registered in {@code META-INF/services}. */
    interface Provider {
        String engine();

        /** @param tables the tables to read, or null for all of the tenant's (a local lake only) */
        LakeHuntEngine open(LakeLayout layout, TenantId tenant, List<String> tables);
    }

    /** The named engine over the tenant's tables. */
    static LakeHuntEngine open(String engine, LakeLayout layout, TenantId tenant, List<String> tables) {
        if (engine.equals("duckdb")) {
            return new LakeHunts(layout, tenant, tables);
        }
        List<String> known = new ArrayList<>(List.of("duckdb"));
        for (Provider provider : ServiceLoader.load(Provider.class)) {
            if (provider.engine().equals(engine)) {
                return provider.open(layout, tenant, tables);
            }
            known.add(provider.engine());
        }
        throw new VigilException(ErrorCode.USAGE, "no hunt engine '" + engine + "' here; available: "
                + String.join(", ", known), engine.equals("spark")
                ? "Put the vigil-spark module and its libraries on the class path (mvn -pl vigil-spark package copies"
                        + " them to vigil-spark/target/lib; see docs/SCALE-OUT.md), or use --engine duckdb."
                : "Use --engine duckdb or spark.", null);
    }
}
