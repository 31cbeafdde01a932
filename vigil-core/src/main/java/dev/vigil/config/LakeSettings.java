package dev.vigil.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Where the scale-out event lake lives and how to reach it: the typed form of the {@code lake.*} and
 * {@code spark.master} keys.
 *
 * @param root a local folder, or an object-storage URL ({@code s3://bucket/prefix}); never a wildcard
 * @param targetFileBytes compaction merges a partition's files smaller than this into files of about this size
 * @param objectStorage how to reach an object-storage root (unused for a local one)
 * @param sparkMaster the Spark master of hunts run on Spark: {@code local[N]} or a cluster URL
 */
public record LakeSettings(String root, long targetFileBytes, ObjectStorage objectStorage, String sparkMaster) {
    public LakeSettings {
        requireNonNull(root, "root is null");
        requireNonNull(objectStorage, "objectStorage is null");
        requireNonNull(sparkMaster, "sparkMaster is null");
        if (targetFileBytes < 1) {
            throw new IllegalArgumentException("targetFileBytes must be positive, not " + targetFileBytes);
        }
    }

    /**
     * An S3-compatible store. The credentials are named by environment variables, so that no configuration file ever
     * holds a key.
     *
     * @param endpoint host[:port] of an S3-compatible store, or empty for AWS S3
     * @param urlStyle {@code vhost} or {@code path}
     */
    public record ObjectStorage(String endpoint, String region, String urlStyle, boolean useSsl, String keyIdEnv,
            String secretEnv) {
        public ObjectStorage {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(region, "region is null");
            requireNonNull(urlStyle, "urlStyle is null");
            requireNonNull(keyIdEnv, "keyIdEnv is null");
            requireNonNull(secretEnv, "secretEnv is null");
        }

        /** AWS S3 in us-east-1, credentials from the default variables. */
        public static ObjectStorage defaults() {
            return new ObjectStorage("", "us-east-1", "vhost", true, "VIGIL_S3_ACCESS_KEY_ID", "VIGIL_S3_SECRET_ACCESS_KEY");
        }
    }

    /** A local lake at the folder, with the default file size and Spark in {@code local[2]}. */
    public static LakeSettings local(String folder) {
        return new LakeSettings(folder, 128L * 1024 * 1024, ObjectStorage.defaults(), "local[2]");
    }

    /** Whether the root is an object-storage URL rather than a local folder. */
    public boolean isObjectStorage() {
        return root.toLowerCase(Locale.ROOT).matches("[a-z0-9]+://.*");
    }
}
