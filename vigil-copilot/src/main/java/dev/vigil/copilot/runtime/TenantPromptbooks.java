package dev.vigil.copilot.runtime;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.promptbook.PromptbookJson;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The promptbooks a tenant can run: the built-in ones, then those imported into {@code DATA/promptbooks/TENANT/}
 * (one Vigil-shaped JSON file per promptbook). The CLI and the server read and write them here.
 */
public final class TenantPromptbooks {
    /** A promptbook's name as a file name: no separators, no leading dot. */
    private static final Pattern FILE_SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}");

    private final Path folder;
    private final TenantId tenant;

    public TenantPromptbooks(Path dataDirectory, TenantId tenant) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.folder = requireNonNull(dataDirectory, "dataDirectory is null").resolve("promptbooks")
                .resolve(tenant.value());
    }

    public Path folder() {
        return folder;
    }

    /** The built-in promptbooks, then the tenant's; a tenant's promptbook replaces a built-in one of its name. */
    public List<Promptbook> all() {
        List<Promptbook> books = new ArrayList<>(Promptbooks.builtIn());
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
                        .forEach(f -> books.addAll(PromptbookJson.read(f)));
            } catch (IOException e) {
                throw new VigilException(ErrorCode.STORE_FAILED, "cannot list " + folder + ": " + e.getMessage(), e);
            }
        }
        return books;
    }

    /** The promptbook of this name (any case); the tenant's when it has one of the name. */
    public Optional<Promptbook> find(String name) {
        return all().stream().filter(b -> b.name().equalsIgnoreCase(name.strip())).reduce((a, b) -> b);
    }

    /** Keeps the promptbooks for the tenant, each written beside and moved over, so a listing never reads half a file. */
    public void save(List<Promptbook> books) {
        for (Promptbook book : books) {
            if (!FILE_SAFE_NAME.matcher(book.name()).matches() || book.name().contains("..")) {
                throw new VigilException(ErrorCode.PROMPTBOOK_INVALID, "promptbook '" + book.name() + "' cannot be"
                        + " stored under that name: a name is 1 to 100 letters, digits, spaces, '.', '_' and '-',"
                        + " starting with a letter or digit", "Rename it, e.g. to '" + book.name()
                        .replaceAll("[^A-Za-z0-9 ._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "") + "'", null);
            }
        }
        try {
            Files.createDirectories(folder);
            for (Promptbook book : books) {
                Path temporary = Files.createTempFile(folder, ".import-", ".tmp");
                Files.writeString(temporary, PromptbookJson.write(book, PromptbookJson.Shape.VIGIL));
                Files.move(temporary, folder.resolve(book.name() + ".json"), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write to " + folder + " for tenant '" + tenant
                    + "': " + e.getMessage(), e);
        }
    }
}
