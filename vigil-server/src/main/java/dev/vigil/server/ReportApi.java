package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.report.TemplateSection;
import dev.vigil.report.build.RenderedReport;
import dev.vigil.report.build.ReportBuilder;
import dev.vigil.report.build.ReportParameters;
import dev.vigil.report.build.Reports;
import dev.vigil.report.build.TenantTemplates;
import dev.vigil.store.TenantStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The report routes: the templates a tenant can use, and a report made from one, as Markdown, HTML or PDF. Reports
 * are made by the same {@link Reports} as the command line and schedules, on the store the server holds, for the
 * caller's role; a logo file is never read for a request from the network.
 */
final class ReportApi {
    static final String REPORTS = Api.TENANT + "/reports";
    private static final Set<String> MEMBERS = members();

    private final VigilConfig config;
    private final TenantStores stores;
    private final List<Route> routes;

    ReportApi(VigilConfig config, TenantStores stores) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("format", "md");
        example.put("period", "30d");
        example.put("as-of", "2026-11-29");
        example.put("audience", "executive");
        this.routes = List.of(
                new Route("GET", REPORTS + "/templates", Role.READER, "The report templates of the tenant: the"
                        + " built-in ones and those imported, each with its sections", null, this::templates),
                new Route("POST", REPORTS + "/{template}", Role.READER, "Make a report from a template: the body"
                        + " holds the parameters (format md|html|pdf, period, as-of, audience, sections, without, org,"
                        + " colour, incident, actor, session, host, user, severity); the same data and parameters"
                        + " give the same bytes", example, "text/markdown, text/html, application/pdf", this::report));
    }

    List<Route> routes() {
        return routes;
    }

    private static Set<String> members() {
        Set<String> members = new LinkedHashSet<>(ReportParameters.NAMES);
        members.add("format");
        members.add("as_of");
        members.remove("logo");
        return members;
    }

    private Object templates(Call call) {
        List<TenantTemplates.Listed> all = withBuilder(call.tenant(), call.principal(), b -> b.templates().all());
        return Map.of("templates", all.stream().map(l -> {
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("name", l.template().name());
            template.put("title", l.template().title());
            template.put("description", l.template().description());
            template.put("audience", l.template().audience().word());
            template.put("period", l.template().period());
            template.put("requires", l.template().requires());
            template.put("from", l.builtIn() ? "built-in" : "tenant");
            template.put("sections", l.template().sections().stream().map(ReportApi::section).toList());
            return template;
        }).toList());
    }

    private static Map<String, Object> section(TemplateSection section) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", section.id());
        out.put("title", section.title());
        out.put("audience", section.audience().word());
        out.put("enabled", section.enabled());
        return out;
    }

    private Object report(Call call) {
        Map<String, Object> body = call.body(MEMBERS);
        Map<String, String> parameters = new LinkedHashMap<>();
        body.forEach((name, value) -> {
            if (!name.equals("format") && value != null) {
                parameters.put(name, value instanceof List<?> list ? String.join(",", list.stream()
                        .map(String::valueOf).toList()) : String.valueOf(value));
            }
        });
        String format = body.getOrDefault("format", "md").toString();
        Reports reports = new Reports(config, new Reports.StoreAccess() {
            @Override
            public <T> T with(TenantId tenant, Function<TenantStore, T> work) {
                return stores.read(tenant, work);
            }
        }, call.principal(), false, Clock.systemUTC());
        RenderedReport report = reports.make(call.tenant().value(), call.path("template"), parameters, format);
        return new Route.Bytes(report.mediaType(), report.fileName(), report.bytes());
    }

    private <T> T withBuilder(TenantId tenant, Principal principal, Function<ReportBuilder, T> work) {
        return stores.read(tenant, store -> work.apply(new ReportBuilder(new Workspace(config, store), principal)));
    }
}
