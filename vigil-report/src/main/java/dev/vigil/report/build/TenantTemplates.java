package dev.vigil.report.build;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.report.ReportTemplate;
import dev.vigil.report.ReportTemplates;
import dev.vigil.report.TemplateCheck;
import dev.vigil.report.TemplateParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The report templates a tenant can use: the built-in ones, then those imported into
 * {@code DATA/report-templates/TENANT/NAME.yaml}; an imported template replaces a built-in one of its name. Imports
 * are checked against the tenant's skills and tables before they are kept, and written beside and moved over, so a
 * listing never reads half a file.
 */
public final class TenantTemplates {
    private final Path folder;
    private final TenantId tenant;
    private final TemplateCheck check;

    /**
     * @param check what templates are checked against: the tenant's skills and its hunting catalog
     */
    public TenantTemplates(Path dataDirectory, TenantId tenant, TemplateCheck check) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.folder = requireNonNull(dataDirectory, "dataDirectory is null").resolve("report-templates")
                .resolve(tenant.value());
        this.check = requireNonNull(check, "check is null");
    }

    public Path folder() {
        return folder;
    }

    /** A template and where it comes from. */
    public record Listed(ReportTemplate template, boolean builtIn) {}

    /** The built-in templates, then the tenant's, by name; a tenant's template replaces a built-in one. */
    public List<Listed> all() {
        List<Listed> all = new ArrayList<>();
        List<ReportTemplate> own = own();
        for (ReportTemplate builtIn : ReportTemplates.builtIn()) {
            if (own.stream().noneMatch(t -> t.name().equalsIgnoreCase(builtIn.name()))) {
                all.add(new Listed(builtIn, true));
            }
        }
        own.forEach(t -> all.add(new Listed(t, false)));
        return all;
    }

    /**
     * The template of this name (any case).
     *
     * @throws VigilException {@link ErrorCode#REPORT_TEMPLATE_NOT_FOUND} naming the templates there are
     */
    public ReportTemplate find(String name) {
        return all().stream().map(Listed::template).filter(t -> t.name().equalsIgnoreCase(name.strip()))
                .findFirst().orElseThrow(() -> new VigilException(ErrorCode.REPORT_TEMPLATE_NOT_FOUND,
                        "there is no report template '" + name + "' for tenant '" + tenant + "'", "Use one of "
                                + String.join(", ", all().stream().map(l -> l.template().name()).toList())
                                + ", or import one with `vigil report templates import FILE`.", null));
    }

    /** The YAML text of a template: the tenant's file, else the built-in resource. */
    public String text(String name) {
        ReportTemplate template = find(name);
        Optional<Path> file = file(template.name());
        if (file.isPresent()) {
            try {
                return Files.readString(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new VigilException(ErrorCode.STORE_FAILED, "cannot read " + file.get() + ": " + e.getMessage(),
                        e);
            }
        }
        return ReportTemplates.text(template.name());
    }

    /**
     * Checks a template and keeps it for the tenant under its name.
     *
     * @param source the file name errors name
     * @throws dev.vigil.report.TemplateException with every problem, each at its line and column
     */
    public ReportTemplate save(String source, String yaml) {
        ReportTemplate template = TemplateParser.parse(source, yaml, check);
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".import-", ".tmp");
            Files.writeString(temporary, yaml, StandardCharsets.UTF_8);
            // the name is checked by the parser: letters, digits, '-' and '_', so it is a safe file name
            Files.move(temporary, folder.resolve(template.name() + ".yaml"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write to " + folder + " for tenant '" + tenant
                    + "': " + e.getMessage(), e);
        }
        return template;
    }

    private List<ReportTemplate> own() {
        List<ReportTemplate> own = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return own;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                // kept templates were checked on import; a skill removed since shows when the section runs
                own.add(TemplateParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
                        TemplateCheck.syntaxOnly()));
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot list " + folder + ": " + e.getMessage(), e);
        }
        return own;
    }

    private Optional<Path> file(String name) {
        Path file = folder.resolve(name + ".yaml");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}
