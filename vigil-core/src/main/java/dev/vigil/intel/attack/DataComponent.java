package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a sensor records that reveals techniques ({@code x-mitre-data-component}), such as Process Access
 * ({@code DC0035}). Up to ATT&amp;CK v17 a component detects techniques directly; from v18 detection strategies' analytics
 * name the components and the log sources they read.
 *
 * @param dataSource the name of its data source (e.g. {@code Process}); empty when the bundle names none, as in v18
 * @param logSources where the component is found: {@code x_mitre_log_sources} (v18 and later)
 */
public record DataComponent(String id, String stixId, String name, String description, String dataSource,
        List<LogSource> logSources, String url, boolean deprecated, boolean revoked, Optional<String> revokedBy)
        implements AttackObject {

    public DataComponent {
        requireNonNull(id, "id is null");
        requireNonNull(stixId, "stixId is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(dataSource, "dataSource is null");
        logSources = List.copyOf(logSources);
        requireNonNull(url, "url is null");
        requireNonNull(revokedBy, "revokedBy is null");
    }

    /**
     * A log and the part of it that holds the data: {@code WinEventLog:Security} and {@code EventCode=4769},
     * {@code auditd:SYSCALL} and {@code socket/connect}.
     */
    public record LogSource(String name, String channel) {
        public LogSource {
            requireNonNull(name, "name is null");
            requireNonNull(channel, "channel is null");
        }
    }

    DataComponent withLinks(String dataSource, Optional<String> revokedBy) {
        return new DataComponent(id, stixId, name, description, dataSource, logSources, url, deprecated, revoked,
                revokedBy);
    }
}
