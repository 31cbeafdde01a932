package dev.vigil.lake;

import static dev.vigil.lake.LakeFixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake in an S3-compatible store (S3Proxy in this JVM, in memory): the writer puts each finished file with the S3
 * client, under the same partition keys as a local lake, and finds the ids it wrote there.
 */
@DisplayName("The lake in object storage")
class LakeObjectStorageTest {
    static final String KEY_ID = "vigil-test";
    static final String SECRET = "vigil-test-secret";

    @RegisterExtension
    final S3ProxyExtension s3 = S3ProxyExtension.builder().withCredentials(KEY_ID, SECRET)
            .withBlobStoreProvider("transient-nio2").build();

    @TempDir
    Path folder;

    /** A lake at s3://lake/events on the proxy, keys read from a stand-in environment. */
    static LakeLayout layout(String endpoint) {
        return new LakeLayout(new LakeSettings("s3://lake/events", 128L << 20, new LakeSettings.ObjectStorage(
                endpoint, "us-east-1", "path", false, "TEST_KEY_ID", "TEST_SECRET"), "local[2]"));
    }

    static Map<String, String> environment() {
        return Map.of("TEST_KEY_ID", KEY_ID, "TEST_SECRET", SECRET);
    }

    private S3Client client() {
        return S3Client.builder().endpointOverride(s3.getUri()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                .build();
    }

    @Test
    void writesEachFileWithOnePutUnderTheTenantTableAndDayOfALocalLake() throws Exception {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        LakeLayout layout = layout(s3.getUri().getAuthority());
        List<LakeFile> written;
        try (LakeWriter writer = new LakeWriter(layout, environment()::get)) {
            writer.append(LakeEvents.processes(ACME, 0, 3));
            writer.append(LakeEvents.processes(ACME, 43_200, 43_202));
            written = writer.flush();
        }

        assertThat(written).extracting(LakeFile::location).allSatisfy(location -> assertThat(location)
                .matches("s3://lake/events/tenant=acme/table=SysmonEvent/day=2024-05-0[12]/part-\\d{13}-[0-9a-f-]{36}"
                        + "\\.parquet"));
        assertThat(written).extracting(LakeFile::rows).containsExactly(3L, 2L);
        List<String> keys = new ArrayList<>();
        try (S3Client client = client()) {
            client.listObjectsV2Paginator(b -> b.bucket("lake")).contents().forEach(o -> keys.add(o.key()));
            assertThat(keys).hasSize(2).allMatch(key -> key.startsWith("events/tenant=acme/table=SysmonEvent/day="));
            Path copy = folder.resolve("copy.parquet");
            client.getObject(b -> b.bucket("lake").key(keys.getFirst()), copy);
            try (var duckdb = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = duckdb.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM read_parquet("
                            + LakeDuckDb.literal(copy.toString()) + ")")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(rows.getLong(2)).isIn(2L, 3L);
            }
        }
    }

    @Test
    void findsTheIdsItWroteThereSoThatASinkDoesNotWriteThemTwice() {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        LakeLayout layout = layout(s3.getUri().getAuthority());
        List<Event> earlier = LakeEvents.processes(ACME, 0, 5).events();
        List<Event> later = LakeEvents.processes(ACME, 5, 8).events();
        try (LakeWriter writer = new LakeWriter(layout, environment()::get)) {
            writer.append(new dev.vigil.ingest.EventSink.Batch(earlier, List.of()));
            writer.commit();
            List<Event> both = new ArrayList<>(earlier.subList(3, 5));
            both.addAll(later);

            assertThat(writer.alreadyStored(both)).containsExactlyInAnyOrder(earlier.get(3).id().toString(),
                    earlier.get(4).id().toString());
        }
    }

    @Test
    void storesOverTheLakeReadATenantsEventsThroughALocalCopyOfItsObjectsOnly() throws Exception {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        LakeLayout layout = layout(s3.getUri().getAuthority());
        try (LakeWriter writer = new LakeWriter(layout, environment()::get)) {
            writer.append(LakeEvents.processes(ACME, 0, 5));
            writer.append(LakeEvents.processes(TenantId.of("globex"), 0, 7));
            writer.commit();
        }
        Path copy = folder.resolve("copy");
        try (LakeStores stores = new LakeStores(layout, copy, environment()::get)) {
            stores.check();
            try (TenantStore acme = stores.open(ACME)) {
                assertThat(acme.query("SELECT count(*), count(DISTINCT event_id) FROM SysmonEvent", 1).rows())
                        .containsExactly(List.of(5L, 5L));
                assertThat(acme.query("SELECT DISTINCT tenant FROM SysmonEvent", 10).rows())
                        .containsExactly(List.of("acme"));
            }
            assertThat(copy.resolve("tenant=globex")).as("no other tenant's objects are copied").doesNotExist();
            try (var files = Files.walk(copy.resolve("tenant=acme"))) {
                assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                        .singleElement().satisfies(name -> assertThat(LakeLayout.isDataFile(name)).isTrue());
            }
        }
    }

    @Test
    void aCopyTakesTheFilesWrittenSinceAndDropsThoseNoLongerListed() throws Exception {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket("lake"));
        }
        LakeLayout layout = layout(s3.getUri().getAuthority());
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic
                .AtomicReference<>(java.time.Instant.parse("2026-11-30T08:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        try (LakeWriter writer = new LakeWriter(layout, environment()::get);
                LakeMirror mirror = new LakeMirror(layout, folder.resolve("copy"), environment()::get,
                        java.time.Duration.ofSeconds(5), clock)) {
            writer.append(LakeEvents.processes(ACME, 0, 3));
            writer.commit();
            assertThat(mirror.sync(ACME)).isEqualTo(1);

            writer.append(LakeEvents.processes(ACME, 3, 6));
            writer.commit();
            assertThat(mirror.sync(ACME)).as("listed less than 5 s ago").isZero();
            now.set(now.get().plusSeconds(5));
            assertThat(mirror.sync(ACME)).as("the file written since").isEqualTo(1);
            assertThat(mirror.sync(ACME)).isZero();

            List<String> keys = new ArrayList<>();
            try (S3Client client = client()) {
                client.listObjectsV2Paginator(b -> b.bucket("lake")).contents().forEach(o -> keys.add(o.key()));
                client.deleteObject(b -> b.bucket("lake").key(keys.getFirst()));
                client.putObject(b -> b.bucket("lake").key("events/tenant=acme/elsewhere/part-1.parquet"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("not a lake file"));
            }
            now.set(now.get().plusSeconds(5));
            mirror.sync(ACME);
            try (var files = Files.walk(folder.resolve("copy"))) {
                assertThat(files.filter(Files::isRegularFile).map(f -> folder.resolve("copy").relativize(f)
                        .toString().replace('\\', '/'))).as("the deleted object's copy is gone; a key outside the"
                        + " layout is not copied").containsExactly(keys.get(1).substring("events/".length()));
            }
        }
    }

    @Test
    void aBucketThatDoesNotExistIsNamedWithTheFix() {
        LakeLayout layout = layout(s3.getUri().getAuthority());
        try (LakeWriter writer = new LakeWriter(layout, environment()::get)) {
            writer.append(LakeEvents.processes(ACME, 0, 1));

            assertThatThrownBy(writer::flush).isInstanceOfSatisfying(VigilException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.LAKE_FAILED);
                assertThat(e.getMessage()).contains("s3://lake/events/tenant=acme/table=SysmonEvent/day=2024-05-01/")
                        .contains(s3.getUri().getAuthority());
                assertThat(e.fix()).contains("the bucket exists");
            });
        }
    }
}
