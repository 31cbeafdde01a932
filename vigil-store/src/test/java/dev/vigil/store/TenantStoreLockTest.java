package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A tenant store held by another process")
class TenantStoreLockTest {
    @TempDir
    Path data;

    @Test
    void cannotBeOpenedForWritingAndSaysWhoHoldsIt() throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", StoreTesting.unsafeMemoryAccessFlag(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), data.toString(), "acme"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String line = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                    return out.readLine();
                }
            });
            assertThat(line).as("the holder's first line").startsWith("opened ");

            VigilException error = catchThrowableOfType(VigilException.class,
                    () -> TenantStore.open(data, StoreTesting.ACME, TenantStore.Mode.READ_WRITE));

            assertThat(error).isNotNull();
            assertThat(error.code()).isEqualTo(ErrorCode.STORE_LOCKED);
            assertThat(error.getMessage()).contains("in use by another Vigil process").contains("" + holder.pid());
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    @Test
    void canBeOpenedAgainOnceTheHolderIsGone() throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", StoreTesting.unsafeMemoryAccessFlag(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), data.toString(), "acme"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(60), out::readLine)).startsWith("opened ");
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }

        try (TenantStore store = TenantStore.open(data, StoreTesting.ACME, TenantStore.Mode.READ_WRITE)) {
            assertThat(store.tables()).isEmpty();
        }
    }
}
