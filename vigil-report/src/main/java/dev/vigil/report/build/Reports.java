package dev.vigil.report.build;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.report.Branding;
import dev.vigil.report.Report;
import dev.vigil.report.ReportTemplate;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link ReportMaker} of a Vigil process: opens the tenant's store through the caller's access (the CLI opens it,
 * the server lends its open store), finds the template, builds and renders the report.
 *
 * <p>A {@code logo} parameter names a file; it is read only when the maker is allowed to read files (the command
 * line and schedules an owner set up), never for a request from the network.
 */
public final class Reports implements ReportMaker {
    /** Lends a tenant's open store for the length of some work. */
    @FunctionalInterface
    public interface StoreAccess {
        <T> T with(TenantId tenant, Function<TenantStore, T> work);
    }

    private final VigilConfig config;
    private final StoreAccess stores;
    private final Principal principal;
    private final boolean readsFiles;
    private final Clock clock;

    /**
     * @param principal who the reports are made for; sections read with this role
     * @param readsFiles whether a {@code logo} parameter may name a file to read
     * @param clock gives the day a report without {@code as-of} is made for
     */
    public Reports(VigilConfig config, StoreAccess stores, Principal principal, boolean readsFiles, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.principal = requireNonNull(principal, "principal is null");
        this.readsFiles = readsFiles;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public RenderedReport make(String tenant, String template, Map<String, String> params, String format) {
        if (!ReportBuilder.FORMATS.contains(format.strip().toLowerCase(java.util.Locale.ROOT))) {
            throw new VigilException(ErrorCode.FORMAT_UNKNOWN, "'" + format + "' is not a report format",
                    "Use md, html or pdf.", null);
        }
        ReportParameters parameters = ReportParameters.parse(params, LocalDate.now(clock));
        Branding branding = branding(parameters);
        Report report = stores.with(TenantId.of(tenant), store -> {
            ReportBuilder builder = new ReportBuilder(new Workspace(config, store), principal);
            ReportTemplate found = builder.templates().find(template);
            return builder.build(found, parameters);
        });
        return ReportBuilder.render(report, branding, format);
    }

    /** The branding the parameters ask for: organization, logo file and colour. */
    public Branding branding(ReportParameters parameters) {
        Branding branding = Branding.defaults().withOrganization(parameters.organization());
        if (!parameters.colour().isBlank()) {
            branding = branding.withColour(parameters.colour());
        }
        if (parameters.logo().isPresent()) {
            if (!readsFiles) {
                throw new VigilException(ErrorCode.USAGE, "a logo file cannot be read for a request from the"
                        + " network", "Leave out 'logo', or make the report with `vigil report ... --logo FILE`.",
                        null);
            }
            branding = logo(branding, Path.of(parameters.logo().get()));
        }
        return branding;
    }

    /** The branding with the logo of a file. */
    public static Branding logo(Branding branding, Path file) {
        try {
            if (Files.size(file) > Branding.MAX_LOGO_BYTES) {
                throw new VigilException(ErrorCode.USAGE, "the logo " + file + " has " + Files.size(file)
                        + " bytes, more than the " + Branding.MAX_LOGO_BYTES + " a report embeds",
                        "Pass a smaller logo (a PNG of a few hundred pixels).", null);
            }
            return branding.withLogo(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "cannot read the logo " + file + ": " + e.getMessage(),
                    "Check the path of --logo.", e);
        }
    }
}
