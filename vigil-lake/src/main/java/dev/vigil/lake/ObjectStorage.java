package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.LakeSettings;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake's files in an S3-compatible store, through the AWS SDK's S3 client: what the lake writer needs there
 * (put a finished file, list a partition, fetch a file) without DuckDB's httpfs extension. The endpoint, region, URL
 * style and TLS come from the {@code lake.s3.*} settings; the keys from the environment variables they name (none set:
 * anonymous requests). A PUT makes an object visible only once complete, so readers never see half a file.
 */
final class ObjectStorage implements AutoCloseable {
    /** An object's address: {@code s3://bucket/key}. */
    record Location(String bucket, String key) {
        static Location parse(String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("s3://")) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "the lake " + url + " is not an s3:// URL",
                        "Set lake.root to s3://BUCKET/PREFIX, or to a local folder.", null);
            }
            String rest = url.substring("s3://".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? new Location(rest, "") : new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }

        String url() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private final S3Client client;
    private final String description;

    private ObjectStorage(S3Client client, String description) {
        this.client = client;
        this.description = description;
    }

    /** A client for the layout's store, reading the keys' variables through {@code environment}. */
    static ObjectStorage open(LakeLayout layout, Function<String, String> environment) {
        LakeSettings.ObjectStorage s3 = layout.settings().objectStorage();
        var builder = S3Client.builder().region(Region.of(s3.region()))
                .forcePathStyle(s3.urlStyle().equals("path"))
                .credentialsProvider(credentials(s3, environment));
        String description = "AWS S3";
        if (!s3.endpoint().isEmpty()) {
            String endpoint = s3.endpoint().contains("://") ? s3.endpoint()
                    : (s3.useSsl() ? "https://" : "http://") + s3.endpoint();
            builder.endpointOverride(URI.create(endpoint));
            description = endpoint;
        }
        return new ObjectStorage(builder.build(), description);
    }

    private static AwsCredentialsProvider credentials(LakeSettings.ObjectStorage s3,
            Function<String, String> environment) {
        String keyId = environment.apply(s3.keyIdEnv());
        if (keyId == null || keyId.isEmpty()) {
            return AnonymousCredentialsProvider.create();
        }
        String secret = environment.apply(s3.secretEnv());
        if (secret == null || secret.isEmpty()) {
            throw new VigilException(ErrorCode.CONFIG_INVALID, "the S3 access key id is set in " + s3.keyIdEnv()
                    + " but its secret key is not in " + s3.secretEnv(),
                    "Set " + s3.secretEnv() + " (or name another variable with lake.s3.secret-access-key-env).", null);
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret));
    }

    /** Uploads the file as the object at {@code url}, replacing one of that name. */
    void put(String url, Path file) {
        requireNonNull(file, "file is null");
        Location location = Location.parse(url);
        try {
            client.putObject(b -> b.bucket(location.bucket()).key(location.key()), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failed("writing " + url, e);
        }
    }

    /** The URLs of the objects under the prefix whose names (after the last '/') match {@code keep}. */
    List<String> list(String prefixUrl, java.util.function.Predicate<String> keep) {
        Location prefix = Location.parse(prefixUrl.endsWith("/") ? prefixUrl : prefixUrl + "/");
        List<String> urls = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(prefix.bucket())
                    .prefix(prefix.key())).contents()) {
                String name = object.key().substring(object.key().lastIndexOf('/') + 1);
                if (keep.test(name)) {
                    urls.add(new Location(prefix.bucket(), object.key()).url());
                }
            }
        } catch (SdkException e) {
            throw failed("listing " + prefixUrl, e);
        }
        return urls;
    }

    /** Lists at most one object under the prefix: whether the store answers and the keys may read the bucket. */
    void probe(String prefixUrl) {
        Location prefix = Location.parse(prefixUrl.endsWith("/") ? prefixUrl : prefixUrl + "/");
        try {
            client.listObjectsV2(b -> b.bucket(prefix.bucket()).prefix(prefix.key()).maxKeys(1));
        } catch (SdkException e) {
            throw failed("listing " + prefixUrl, e);
        }
    }

    /** Downloads the object at {@code url} into {@code target}, which must not exist. */
    void download(String url, Path target) {
        Location location = Location.parse(url);
        try {
            client.getObject(b -> b.bucket(location.bucket()).key(location.key()), target);
        } catch (SdkException e) {
            throw failed("reading " + url, e);
        }
    }

    private VigilException failed(String what, SdkException e) {
        return new VigilException(ErrorCode.LAKE_FAILED, what + " at " + description + " failed: " + e.getMessage(),
                "Check lake.s3.endpoint, lake.s3.region and lake.s3.url-style, that the bucket exists, and that the"
                        + " keys in the variables lake.s3.access-key-id-env and lake.s3.secret-access-key-env name may"
                        + " write it.", e);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return description;
    }
}
