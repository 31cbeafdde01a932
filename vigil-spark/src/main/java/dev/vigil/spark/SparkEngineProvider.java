package dev.vigil.spark;

import dev.vigil.lake.LakeHuntEngine;
import dev.vigil.lake.LakeLayout;
import dev.vigil.model.TenantId;
import dev.vigil.query.KqlCompiler;
import dev.vigil.store.HuntRunner;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark} hunt engine for {@link LakeHuntEngine#open}: a Spark session at the lake settings' master
 * ({@code spark.master}, {@code local[2]} by default), stopped when the engine is closed.
 */
public final class SparkEngineProvider implements LakeHuntEngine.Provider {
    @Override
    public String engine() {
        return "spark";
    }

    @Override
    public LakeHuntEngine open(LakeLayout layout, TenantId tenant, List<String> tables) {
        SparkSession spark = SparkHunts.session(layout.settings().sparkMaster(),
                SparkHunts.objectStorage(layout.settings(), System::getenv));
        spark.sparkContext().setLogLevel("WARN"); // a command's output is its answer, not Spark's progress
        SparkHunts hunts;
        try {
            hunts = new SparkHunts(spark, layout, tenant, tables);
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
        return new LakeHuntEngine() {
            @Override
            public String engine() {
                return "spark";
            }

            @Override
            public KqlCompiler.Compiled compile(String kql, Map<String, Object> parameters) {
                return hunts.compile(kql, parameters);
            }

            @Override
            public HuntRunner.Result run(String kql, Map<String, Object> parameters, HuntRunner.Limits limits) {
                return hunts.run(kql, parameters, limits);
            }

            @Override
            public void close() {
                hunts.close();
                spark.stop();
            }
        };
    }
}
