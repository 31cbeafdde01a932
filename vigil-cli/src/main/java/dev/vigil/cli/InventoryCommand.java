package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.InventoryFiles;
import dev.vigil.posture.inventory.InventoryImport;
import dev.vigil.store.PostureStore;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil inventory ...}: the tenant's assets, software, identities and listening services. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "The inventory posture is computed over: assets, their software and listening services, and"
                + " identities. Import it from files; hosts, users and programs seen in events are added as observed.",
        subcommands = {InventoryCommand.Import.class, InventoryCommand.ListSources.class},
        footer = {"", "Examples:", "  vigil inventory import assets.csv software.csv identities.csv",
                "  vigil inventory import sbom.cdx.json --host app-01", "  vigil inventory import osquery-results.log",
                "  vigil inventory list"})
final class InventoryCommand extends CommandGroup {

    /** {@code vigil inventory import FILE...}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import inventory files; each format is recognized by its content:",
                    "  Vigil JSON: {\"assets\": [{hostname, addresses, os, os_version, owner, criticality"
                            + " (low|medium|high|critical), internet_facing, tags, software: [{name, vendor, version,"
                            + " purl, cpe}], services: [{port, protocol, address, process}]}], \"identities\": [{name,"
                            + " groups, admin_roles, mfa_methods, last_sign_in, enabled, password_never_expires}]}",
                    "  Vigil CSV, one kind per file, told by the header: assets (hostname,os,os_version,owner,"
                            + "criticality,internet_facing,tags,addresses), software (hostname,name,vendor,version,purl,"
                            + "cpe), services (hostname,port,protocol,address,process), identities (user,groups,"
                            + "admin_roles,mfa_methods,last_sign_in,enabled,password_never_expires); lists use ';'",
                    "  CycloneDX SBOMs (JSON): components on the asset named by --host or the SBOM's device",
                    "  osquery results (daemon result log or osqueryi --json): os_version, programs, deb_packages,"
                            + " rpm_packages, listening_ports, users",
                    "Importing a file again replaces what it gave before."},
            footer = {"", "Exit codes: 0 imported, 7 some records were rejected (the others are stored), 2 no file"
                    + " could be read, 3 a path does not exist."})
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Inventory files, or folders of them.")
        List<Path> paths = new ArrayList<>();

        @Option(names = "--host", paramLabel = "HOST",
                description = "The asset an SBOM or osquery output without host names describes.")
        String host;

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            List<Path> files = FileArguments.files(paths, file -> true, new int[1],
                    "Check the path; pass inventory files (CSV, JSON, CycloneDX, osquery) or folders of them.");
            StatusLine status = new StatusLine(err);
            List<Map<String, Object>> results = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            int failed = 0;
            try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                    TenantStore.Mode.READ_WRITE)) {
                PostureStore posture = store.posture();
                for (Path file : files) {
                    status.update(() -> "inventory import: " + StatusLine.shorten(file.toString()));
                    InventoryImport result = FileArguments.read(file,
                            content -> InventoryFiles.read(file.toString(), content, host),
                            problem -> new InventoryImport(file.toString(), null, Inventory.empty(), List.of(),
                                    problem));
                    if (result.problem() == null && result.inventory().isEmpty() && !result.rejected().isEmpty()) {
                        // Storing nothing would erase what an earlier import of the file gave: refuse it instead.
                        result = new InventoryImport(result.source(), result.format(), result.inventory(),
                                result.rejected(), "all " + result.rejected().size() + " records were rejected (the"
                                + " first: " + result.rejected().get(0) + "); nothing was stored");
                    }
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("file", file.toString());
                    row.put("format", result.format());
                    if (result.problem() != null) {
                        failed++;
                        row.put("problem", result.problem());
                    } else {
                        PostureStore.Replaced replaced = posture.replace(file.toString(), result.inventory());
                        row.put("assets", result.inventory().assets().size());
                        row.put("software", result.inventory().software().size());
                        row.put("identities", result.inventory().identities().size());
                        row.put("services", result.inventory().services().size());
                        row.put("replaced", replaced.removed());
                    }
                    row.put("rejected", result.rejected().size());
                    rejected.addAll(result.rejected());
                    results.add(row);
                }
                store.commit();
            } finally {
                status.finish();
            }
            if (json) {
                out.println(Output.json(Map.of("files", results, "rejected", rejected)));
            } else {
                List<List<Object>> rows = new ArrayList<>();
                for (Map<String, Object> row : results) {
                    rows.add(List.of(row.get("file"), row.get("format") == null ? "-" : row.get("format"),
                            row.getOrDefault("assets", 0), row.getOrDefault("software", 0),
                            row.getOrDefault("identities", 0), row.getOrDefault("services", 0), row.get("rejected"),
                            row.getOrDefault("problem", "")));
                }
                out.print(Output.table(List.of("file", "format", "assets", "software", "identities", "services",
                        "rejected", "problem"), rows));
                rejected.stream().limit(20).forEach(r -> out.println("  rejected: " + r));
                if (rejected.size() > 20) {
                    out.println("  ... and " + (rejected.size() - 20) + " more (--json lists all)");
                }
            }
            out.flush();
            if (failed == files.size()) {
                throw new VigilException(ErrorCode.INVENTORY_INVALID, "no file could be read as an inventory: "
                        + results.get(0).get("file") + ": " + results.get(0).get("problem"));
            }
            if (failed > 0 || !rejected.isEmpty()) {
                return Output.partial(err, ErrorCode.INVENTORY_INVALID, failed + " file(s) refused, "
                        + rejected.size() + " record(s) rejected; the rest is stored");
            }
            return 0;
        }
    }

    /** {@code vigil inventory list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "What the inventory holds, per source.")
    static final class ListSources implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            try (TenantStore store = CommonOptions.open(config, TenantStore.Mode.READ_WRITE, () -> new VigilException(
                    ErrorCode.POSTURE_NOT_FOUND, "tenant '" + config.tenant() + "' has no inventory"))) {
                List<Map<String, Object>> sources = store.posture().sources();
                if (json) {
                    out.println(Output.json(sources));
                } else {
                    List<List<Object>> rows = new ArrayList<>();
                    for (Map<String, Object> source : sources) {
                        rows.add(List.of(source.get("source"), source.get("kind"), source.get("records"),
                                source.get("updated_at")));
                    }
                    out.print(Output.table(List.of("source", "kind", "records", "updated"), rows));
                }
            }
            out.flush();
            return 0;
        }
    }
}
