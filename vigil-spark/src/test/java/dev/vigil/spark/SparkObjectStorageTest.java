package dev.vigil.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.LakeSettings;
import dev.vigil.ingest.EventSink;
import dev.vigil.lake.LakeLayout;
import dev.vigil.lake.LakeWriter;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import dev.vigil.store.HuntRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Spark over a lake in an S3-compatible store (S3Proxy in this JVM, in memory): the lake writer puts the files with
 * the S3 client, and Spark reads the tenant's files through S3A (hadoop-aws), configured from the lake's settings.
 */
@DisplayName("Spark over the lake in object storage")
class SparkObjectStorageTest {
    static final String KEY_ID = "vigil-test";
    static final String SECRET = "vigil-test-secret";
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId GLOBEX = TenantId.of("globex");

    @RegisterExtension
    final S3ProxyExtension s3 = S3ProxyExtension.builder().withCredentials(KEY_ID, SECRET)
            .withBlobStoreProvider("transient-nio2").build();

    @Test
    void huntsTheTenantsEventsThatTheLakeWriterPutThere() {
        try (S3Client client = S3Client.builder().endpointOverride(s3.getUri()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(KEY_ID, SECRET))).build()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        LakeSettings settings = new LakeSettings("s3://lake/events", 128L << 20, new LakeSettings.ObjectStorage(
                s3.getUri().getAuthority(), "us-east-1", "path", false, "TEST_KEY_ID", "TEST_SECRET"), "local[2]");
        Map<String, String> environment = Map.of("TEST_KEY_ID", KEY_ID, "TEST_SECRET", SECRET);
        LakeLayout layout = new LakeLayout(settings);
        try (LakeWriter writer = new LakeWriter(layout, environment::get)) {
            writer.append(new EventSink.Batch(processes(ACME, 0, 40), List.of()));
            writer.commit();
            writer.append(new EventSink.Batch(processes(ACME, 40, 100), List.of()));
            writer.append(new EventSink.Batch(processes(GLOBEX, 0, 7), List.of()));
            writer.commit();
        }

        SparkSession spark = SparkHunts.session("local[2]", SparkHunts.objectStorage(settings, environment::get));
        try (SparkHunts hunts = new SparkHunts(spark, layout, ACME, List.of("SysmonEvent"))) {
            HuntRunner.Limits limits = new HuntRunner.Limits(1_000, Duration.ofSeconds(120));
            assertThat(hunts.run("SysmonEvent | count", Map.of(), limits).rows().rows())
                    .as("the tenant's 100 events, written in two commits over two days")
                    .containsExactly(List.of(100L));
            assertThat(hunts.run("SysmonEvent | summarize n = count() by Computer | order by Computer asc", Map.of(),
                    limits).rows().rows()).containsExactly(List.of("WS0", 34L), List.of("WS1", 33L),
                            List.of("WS2", 33L));
            assertThat(hunts.run("SysmonEvent | summarize dcount(event_id)", Map.of(), limits).rows().rows())
                    .containsExactly(List.of(100L));
        } finally {
            spark.stop();
        }
    }

    /** Process events {@code from} to {@code to} (exclusive), one hour apart from 2024-05-01, on one host per 3. */
    static List<Event> processes(TenantId tenant, int from, int to) {
        List<Event> events = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("EventID", 1L);
            fields.put("Computer", "WS" + (i % 3));
            fields.put("CommandLine", "cmd.exe /c step " + i);
            long millis = 1_714_521_600_000L + i * 3_600_000L;
            String raw = "{\"seq\":" + i + "}";
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.HOST.ordinal()] = "WS" + (i % 3);
            events.add(new Event(EventId.derive(tenant, millis, raw.getBytes(StandardCharsets.UTF_8), 0), tenant,
                    "SysmonEvent", millis * 1000, common, fields, raw, new SourcePosition("test.jsonl", i, 0)));
        }
        return events;
    }
}
