package dev.vigil.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the shared data folder with public datasets (a checkout of OTRF/Security-Datasets among others): the system
 * property {@code vigil.shared.data}, else the environment variable {@code VIGIL_SHARED_DATA}, else
 * {@code ../shared/data} from the project root, which is {@code ../../shared/data} from a module.
 */
final class SharedData {
    private SharedData() {}

    static Optional<Path> folder() {
        return Stream.of(System.getProperty("vigil.shared.data"), System.getenv("VIGIL_SHARED_DATA"),
                        "../shared/data", "../../shared/data")
                .filter(candidate -> candidate != null && !candidate.isBlank())
                .map(Path::of)
                .filter(Files::isDirectory)
                .findFirst();
    }

    static boolean onContinuousIntegration() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
