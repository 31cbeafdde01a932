package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.posture.vuln.VulnKnowledgeFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil vulns ...}: vulnerability knowledge. It is public, so it is kept once per data directory
 * ({@code DATA/knowledge/vulns/}), like ATT&amp;CK, and shared by its tenants.
 */
@Command(name = "vulns", mixinStandardHelpOptions = true,
        description = "Vulnerability knowledge: CVE JSON 5 records, OSV entries, CISA's KEV catalog and EPSS scores,"
                + " kept for every tenant of the data directory.",
        subcommands = {VulnsCommand.Import.class},
        footer = {"", "Examples:", "  vigil vulns import cvelistV5/cves/2024", "  vigil vulns import"
                + " known_exploited_vulnerabilities.json epss_scores-2025-08-25.csv.gz", "  vigil vulns import osv/"})
final class VulnsCommand extends CommandGroup {

    static Path knowledgeFile(VigilConfig config) {
        return dev.vigil.store.Knowledge.vulnerabilityFile(config.dataDirectory());
    }

    /** {@code vigil vulns import FILE|DIR...}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import vulnerability files (or folders of them, such as a cvelistV5 or OSV checkout);"
                    + " the format of each is recognized: CVE JSON 5 (cveMetadata), OSV (id, modified, affected; one"
                    + " entry or an array), KEV as JSON or CSV, EPSS as CSV (optionally .gz).",
                    "Updates are incremental: a record replaces the stored one only when it is at least as recent"
                            + " (dateUpdated / modified), KEV entries replace theirs, EPSS scores replace older ones,"
                            + " and rejected or withdrawn records are removed."},
            footer = {"", "Exit codes: 0 imported, 7 some entries or files could not be read (the rest is kept), 2 no"
                    + " file held vulnerability knowledge, 3 a path does not exist."})
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Files or folders.")
        List<Path> paths = new ArrayList<>();

        @Option(names = "--json", description = "Print the summary as JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            long start = System.nanoTime();
            int[] skipped = new int[1];
            List<Path> files = FileArguments.files(paths, file -> {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                return name.endsWith(".json") || name.endsWith(".csv") || name.endsWith(".csv.gz")
                        || name.endsWith(".json.gz");
            }, skipped, "Check the path; pass CVE JSON 5, OSV, KEV or EPSS files or folders of them.");
            Path target = knowledgeFile(config);
            VulnKnowledge knowledge = VulnKnowledgeFile.load(target);
            StatusLine status = new StatusLine(err);
            Map<String, Integer> formats = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            List<String> rejected = new ArrayList<>();
            VulnKnowledge.MergeCounts total = new VulnKnowledge.MergeCounts(0, 0, 0, 0, 0);
            int read = 0;
            try {
                for (int i = 0; i < files.size(); i++) {
                    Path file = files.get(i);
                    int done = i;
                    status.update(() -> "vulns import: " + Output.count(done) + " of " + Output.count(files.size())
                            + " files, " + StatusLine.shorten(file.toString()));
                    VulnImport result = FileArguments.read(file, content -> VulnFiles.read(file.toString(), content),
                            problem -> VulnImport.problem(file.toString(), null, problem));
                    if (result.problem() != null) {
                        problems.add(file + ": " + result.problem());
                        continue;
                    }
                    read++;
                    formats.merge(result.format(), 1, Integer::sum);
                    rejected.addAll(result.rejected());
                    VulnKnowledge.MergeCounts counts = knowledge.merge(result);
                    total = new VulnKnowledge.MergeCounts(total.added() + counts.added(), total.updated()
                            + counts.updated(), total.unchanged() + counts.unchanged(), total.older() + counts.older(),
                            total.removed() + counts.removed());
                }
                if (read > 0) {
                    status.show("vulns import: writing " + target);
                    VulnKnowledgeFile.save(knowledge, target);
                }
            } finally {
                status.finish();
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("files", files.size());
            summary.put("skipped_files", skipped[0]);
            summary.put("formats", formats);
            summary.put("added", total.added());
            summary.put("updated", total.updated());
            summary.put("unchanged", total.unchanged());
            summary.put("older_ignored", total.older());
            summary.put("removed", total.removed());
            summary.put("knowledge", knowledge.counts());
            summary.put("kev_catalog", knowledge.kevCatalogVersion());
            summary.put("problems", problems);
            summary.put("rejected", rejected);
            summary.put("seconds", Math.round((System.nanoTime() - start) / 1e7) / 100.0);
            if (json) {
                out.println(Output.json(summary));
            } else {
                out.printf(Locale.ROOT, "%s files read (%s)%s: %s added, %s updated, %s unchanged, %s older ignored,"
                                + " %s removed%n", Output.count(read), formats, skipped[0] > 0 ? ", " + skipped[0]
                                + " other files skipped" : "", Output.count(total.added()), Output.count(total.updated()),
                        Output.count(total.unchanged()), Output.count(total.older()), Output.count(total.removed()));
                out.println("knowledge in " + target + ": " + knowledge.counts()
                        + (knowledge.kevCatalogVersion().isEmpty() ? "" : ", KEV catalog "
                        + knowledge.kevCatalogVersion()));
                problems.stream().limit(20).forEach(p -> out.println("  refused: " + p));
                rejected.stream().limit(20).forEach(r -> out.println("  rejected: " + r));
            }
            out.flush();
            if (read == 0) {
                throw new VigilException(ErrorCode.VULNS_INVALID, problems.isEmpty() ? "no vulnerability file among"
                        + " the paths" : "no file held vulnerability knowledge: " + problems.get(0));
            }
            if (!problems.isEmpty() || !rejected.isEmpty()) {
                return Output.partial(err, ErrorCode.VULNS_INVALID, problems.size() + " file(s) refused, "
                        + rejected.size() + " entries rejected; the rest is kept");
            }
            return 0;
        }
    }
}
