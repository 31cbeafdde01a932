package dev.vigil.connectors;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The connectors of one tenant and their checkpoints, kept as JSON files under
 * {@code DATA/connectors/TENANT/}: {@code connectors.json} (settings, secrets sealed by {@link SecretBox}) and
 * {@code checkpoints/NAME.json}. Every file is replaced atomically (written beside it, then moved over it), so a crash
 * leaves the old or the new content, never a mix.
 */
public final class ConnectorRegistry {
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(tools.jackson.databind.cfg.DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS).build();

    private final Path directory;
    private final TenantId tenant;

    public ConnectorRegistry(Path dataDirectory, TenantId tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.directory = dataDirectory.resolve("connectors").resolve(tenant.value());
    }

    public TenantId tenant() {
        return tenant;
    }

    /** The file holding the tenant's connector settings. */
    public Path file() {
        return directory.resolve("connectors.json");
    }

    /** The tenant's connectors, by name. */
    public List<ConnectorConfig> list() {
        if (!Files.exists(file())) {
            return List.of();
        }
        try {
            List<ConnectorConfig> all = new ArrayList<>(JSON.readValue(file().toFile(),
                    new TypeReference<List<ConnectorConfig>>() { }));
            all.sort(Comparator.comparing(ConnectorConfig::name));
            return List.copyOf(all);
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.CONNECTOR_INVALID, "cannot read " + file() + ": " + e.getMessage(),
                    "Restore the file from its backup, or remove it and add the connectors again.", e);
        }
    }

    public Optional<ConnectorConfig> find(String name) {
        return list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The named connector, or an error that lists the ones there are. */
    public ConnectorConfig get(String name) {
        return find(name).orElseThrow(() -> new VigilException(ErrorCode.CONNECTOR_NOT_FOUND, "tenant '" + tenant
                + "' has no connector '" + name + "'" + (list().isEmpty() ? "" : "; it has: "
                + String.join(", ", list().stream().map(ConnectorConfig::name).toList()))));
    }

    /** Adds the connector, or replaces the one of the same name (its checkpoint stays). */
    public void put(ConnectorConfig config) {
        List<ConnectorConfig> all = new ArrayList<>(list());
        all.removeIf(c -> c.name().equals(config.name()));
        all.add(config);
        all.sort(Comparator.comparing(ConnectorConfig::name));
        writeAtomically(file(), JSON.writeValueAsBytes(all));
    }

    public Checkpoint checkpoint(String name) {
        Path path = checkpointFile(name);
        if (!Files.exists(path)) {
            return Checkpoint.initial();
        }
        try {
            return JSON.readValue(path.toFile(), Checkpoint.class);
        } catch (RuntimeException e) {
            throw new VigilException(ErrorCode.CONNECTOR_INVALID, "cannot read the checkpoint " + path + ": "
                    + e.getMessage(), "Remove the file: the next run then starts again from the connector's lookback,"
                    + " and stores nothing twice.", e);
        }
    }

    /** Replaces the checkpoint; call it only once what it describes is committed to the store. */
    public void saveCheckpoint(String name, Checkpoint checkpoint) {
        writeAtomically(checkpointFile(name), JSON.writeValueAsBytes(checkpoint));
    }

    private Path checkpointFile(String name) {
        return directory.resolve("checkpoints").resolve(name + ".json");
    }

    private static void writeAtomically(Path target, byte[] content) {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(temporary, content);
                try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
