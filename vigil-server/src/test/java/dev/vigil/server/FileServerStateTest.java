package dev.vigil.server;

import dev.vigil.model.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/** The server's state in the data directory: users.json, tokens.json and audit.jsonl (one chain for all tenants). */
@DisplayName("Server state in the data directory")
class FileServerStateTest extends ServerStateContract {
    @TempDir
    Path data;

    private AuditLog audit;

    @Override
    UserRepository userRepository() {
        return UserRepository.inDataDirectory(data);
    }

    @Override
    TokenRepository tokenRepository() {
        return TokenRepository.inDataDirectory(data);
    }

    @Override
    AuditTrail audit() {
        if (audit == null) {
            audit = AuditLog.in(data);
        }
        return audit;
    }

    @Override
    void tamper(TenantId tenant, long seq, String find, String replace) {
        Path file = AuditLog.file(data);
        try {
            List<String> lines = Files.readAllLines(file);
            String edited = lines.stream().map(line -> line.startsWith("{\"seq\":" + seq + ",")
                    ? line.replace(find, replace) : line).collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(file, edited);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
