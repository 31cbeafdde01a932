package dev.vigil.ingest;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the shared data folder with public datasets (a checkout of OTRF/Security-Datasets among others): the system
 * property {@code vigil.shared.data}, else the environment variable {@code VIGIL_SHARED_DATA}, else
 * {@code ../shared/data} from the project root, which is {@code ../../shared/data} from a module.
 */
public final class SharedData {
    private SharedData() {}

    public static Optional<Path> folder() {
        return Stream.of(System.getProperty("vigil.shared.data"), System.getenv("VIGIL_SHARED_DATA"),
                        "../shared/data", "../../shared/data")
                .filter(candidate -> candidate != null && !candidate.isBlank())
                .map(Path::of)
                .filter(Files::isDirectory)
                .findFirst();
    }

    public static boolean onContinuousIntegration() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The dataset's folder inside the shared data. Where it is absent the test is skipped with a message naming the
     * public repository that holds it; under CI it fails instead, so that a broken checkout never passes silently.
     */
    public static Path require(String dataset, String publicRepository) {
        Optional<Path> found = folder().map(root -> root.resolve(dataset)).filter(Files::isDirectory);
        if (found.isEmpty()) {
            String message = "shared data folder '" + dataset + "' not found (set -Dvigil.shared.data or "
                    + "VIGIL_SHARED_DATA); it is a copy of " + publicRepository;
            if (onContinuousIntegration()) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        return found.get();
    }
}
