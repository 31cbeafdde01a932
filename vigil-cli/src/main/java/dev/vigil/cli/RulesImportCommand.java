package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.CompiledRule;
import dev.vigil.sigma.BuiltinRules;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import dev.vigil.sigma.SigmaRuleException;
import dev.vigil.store.RuleFile;
import dev.vigil.store.RuleRow;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil rules import PATH...}: reads Sigma rule files into the tenant's rule set. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import Sigma rules (files, or folders searched for .yml and .yaml files) into the tenant's rule"
                + " set.",
                "Each file is parsed and every rule compiled against Vigil's tables. A rule is 'loaded' when it"
                        + " compiled and a stored table holds events of its log source; it then runs on every ingest"
                        + " and with 'vigil detect'. 'inactive' rules are valid but have no table for their log source"
                        + " (yet); 'failed' ones are listed with the file, line and reason.",
                "Importing a file again replaces what it held; rules keep whether they were enabled."},
        footer = {"", "Exit codes: 0 every file imported, 7 some rules failed (the others are stored),"
                + " 2 every rule failed, 3 a path does not exist.",
                "", "Examples:", "  vigil rules import ./sigma/rules", "  vigil rules import my-rule.yml --json"})
final class RulesImportCommand implements Callable<Integer> {
    /** Bigger files are refused unread; the parser would refuse them anyway (see SigmaParser.MAX_FILE_CHARS). */
    private static final long MAX_FILE_BYTES = 4L * SigmaParser.MAX_FILE_CHARS;
    private static final int PROGRESS_EVERY = 500;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Sigma rule files, or folders to search for them.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--builtin", description = "Also import Vigil's own rule pack (shipped in the jar).")
    boolean builtin;

    @Option(names = "--json", description = "Print the summary as one JSON object on standard output.")
    boolean json;

    /** A rule file read and parsed: its documents, or nothing when it failed to parse. */
    private record ParsedFile(String source, String yaml, List<SigmaDocument> documents) {}

    /** A document or file that could not be used; {@code rule} is null when the whole file failed to parse. */
    private record Failure(String source, String rule, String reason) {}

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        int[] skipped = new int[1];
        if (paths.isEmpty() && !builtin) {
            throw new VigilException(ErrorCode.USAGE, "no rules named", "Name rule files or folders, e.g."
                    + " 'vigil rules import ../shared/data/sigma/rules', or pass --builtin for Vigil's own pack", null);
        }
        List<Path> files = paths.isEmpty() ? List.of() : ruleFiles(paths, skipped);
        StatusLine status = new StatusLine(err);
        List<ParsedFile> read = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<SigmaDocument> documents = new ArrayList<>();
        Classified classified;
        try {
            for (int i = 0; i < files.size(); i++) {
                ParsedFile ruleFile = parse(files.get(i), failures);
                if (ruleFile != null) {
                    read.add(ruleFile);
                    documents.addAll(ruleFile.documents());
                }
                if ((i + 1) % PROGRESS_EVERY == 0) {
                    status.show(String.format(Locale.ROOT, "rules import: %s of %s files read, %s documents, %s failed"
                            + "  %s", Output.count(i + 1), Output.count(files.size()), Output.count(documents.size()),
                            Output.count(failures.size()), StatusLine.shorten(files.get(i).toString())));
                }
            }
            if (builtin) {
                for (BuiltinRules.File file : BuiltinRules.files()) {
                    ParsedFile ruleFile = parse(file.source(), file.yaml(), failures);
                    if (ruleFile != null) {
                        read.add(ruleFile);
                        documents.addAll(ruleFile.documents());
                    }
                }
            }
            RuleSet compiled = RuleSet.compile(documents, LogSourceMap.builtIn(), config.placeholders());
            classified = classify(read, compiled, failures);
            if (!classified.rowsByFile().isEmpty()) {
                if (files.size() >= PROGRESS_EVERY) {
                    status.show("rules import: storing " + Output.count(classified.rowsByFile().size()) + " files");
                }
                try (TenantStore store = TenantStore.open(config.dataDirectory(), config.tenant(),
                        TenantStore.Mode.READ_WRITE)) {
                    List<RuleFile> stored = new ArrayList<>();
                    for (ParsedFile file : read) {
                        List<RuleRow> rows = classified.rowsByFile().get(file.source());
                        if (rows != null) {
                            stored.add(new RuleFile(file.source(), file.yaml(), rows));
                        }
                    }
                    store.putRuleFiles(stored);
                    store.commit();
                }
            }
            status.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            Summary summary = new Summary(config.tenant().value(), read.size() + (int) failures.stream()
                    .filter(f -> f.rule() == null).map(Failure::source).distinct().count(), skipped[0], documents.size(),
                    classified, failures, seconds);
            Logging.logger().atInfo().addKeyValue("tenant", config.tenant().value()).addKeyValue("files", files.size())
                    .addKeyValue("loaded", classified.loaded()).addKeyValue("inactive", classified.inactive())
                    .addKeyValue("failed", failures.size()).log("rules imported");
            if (json) {
                out.println(Output.json(summary.toJson()));
            } else {
                summary.print(out);
            }
            out.flush();
        } finally {
            status.finish();
        }
        if (failures.isEmpty()) {
            return 0;
        }
        boolean usable = classified.loaded() + classified.inactive() > 0;
        String message = failures.size() + " rule file(s) or document(s) could not be used"
                + (usable ? "; the others are stored" : ", and no other rule was imported");
        if (!usable) {
            throw new VigilException(ErrorCode.RULE_INVALID, message);
        }
        return Output.partial(err, ErrorCode.RULE_INVALID, message);
    }

    /**
     * Imports Vigil's own rule pack into the store, quietly, as {@code vigil demo} does for its tenant; rules
     * imported before keep their enabled flag and statistics.
     *
     * @return the number of rules and correlations that run
     */
    static int importBuiltin(TenantStore store) {
        Map<String, String> files = new LinkedHashMap<>();
        for (BuiltinRules.File file : BuiltinRules.files()) {
            files.put(file.source(), file.yaml());
        }
        return importQuietly(store, files, "the built-in rule pack");
    }

    /**
     * Imports rule files into the store, quietly, as {@code vigil rules import} would; rules imported before keep
     * their enabled flag and statistics. Every file must load: the callers import content they vouch for.
     *
     * @param files the files' YAML by their source name (as the store keeps it)
     * @param what the files as an error message names them
     * @return the number of rules and correlations that run
     */
    static int importQuietly(TenantStore store, Map<String, String> files, String what) {
        List<Failure> failures = new ArrayList<>();
        List<ParsedFile> read = new ArrayList<>();
        List<SigmaDocument> documents = new ArrayList<>();
        files.forEach((source, yaml) -> {
            ParsedFile ruleFile = parse(source, yaml, failures);
            if (ruleFile != null) {
                read.add(ruleFile);
                documents.addAll(ruleFile.documents());
            }
        });
        if (!failures.isEmpty()) {
            throw new VigilException(ErrorCode.INTERNAL, what + " does not load: " + failures);
        }
        Classified classified = classify(read, RuleSet.compile(documents, LogSourceMap.builtIn(),
                Placeholders.none()), failures);
        List<RuleFile> stored = new ArrayList<>();
        for (ParsedFile file : read) {
            stored.add(new RuleFile(file.source(), file.yaml(), classified.rowsByFile().get(file.source())));
        }
        store.putRuleFiles(stored);
        store.commit();
        return classified.loaded();
    }

    /** The .yml and .yaml files under the paths, in name order; a file named directly is taken whatever its name. */
    static List<Path> ruleFiles(List<Path> paths, int[] skipped) {
        List<Path> files = FileArguments.files(paths, RulesImportCommand::isRuleFile, skipped,
                "Check the path; pass Sigma rule files or folders that hold them.");
        if (files.isEmpty()) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no .yml or .yaml files in " + paths.stream()
                    .map(Path::toString).toList(), "Point at Sigma rule files or at folders that hold them,"
                    + " e.g. vigil rules import ./sigma/rules", null);
        }
        return files;
    }

    private static boolean isRuleFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yml") || name.endsWith(".yaml");
    }

    /** Reads and parses one file; a failure is recorded and null returned. */
    private static ParsedFile parse(Path file, List<Failure> failures) {
        String source = file.toString();
        String yaml;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                failures.add(new Failure(source, null, "the file has " + Files.size(file) + " bytes, more than a"
                        + " rule file may have (" + MAX_FILE_BYTES + ")"));
                return null;
            }
            yaml = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            failures.add(new Failure(source, null, "the file is not UTF-8 text"));
            return null;
        } catch (IOException e) {
            failures.add(new Failure(source, null, "cannot read the file: " + e.getMessage()));
            return null;
        }
        return parse(source, yaml, failures);
    }

    private static ParsedFile parse(String source, String yaml, List<Failure> failures) {
        try {
            return new ParsedFile(source, yaml, SigmaParser.parse(yaml, source));
        } catch (SigmaRuleException e) {
            for (String problem : e.problems()) {
                failures.add(new Failure(source, null, problem));
            }
            return null;
        } catch (RuntimeException e) {
            Logging.logger().error("parsing {} failed", source, e);
            failures.add(new Failure(source, null, "the parser failed (a bug in Vigil, see the log): " + e));
            return null;
        }
    }

    /**
     * The rows to store, by file, and the counts of the summary.
     *
     * @param inactiveReasons how many documents are inactive for each reason
     */
    record Classified(Map<String, List<RuleRow>> rowsByFile, int loaded, int inactive,
            Map<String, Integer> inactiveReasons, int correlations, int filters) {}

    /** Gives every document its state; documents that failed to compile or repeat a ref become failures. */
    private static Classified classify(List<ParsedFile> files, RuleSet compiled, List<Failure> failures) {
        Map<SigmaDocument, CompiledRule> active = new IdentityHashMap<>();
        compiled.rules().forEach(r -> active.put(r.rule(), r));
        Map<SigmaDocument, String> inactiveReasons = new IdentityHashMap<>();
        compiled.inactive().forEach(i -> inactiveReasons.put(i.rule(), i.reason()));
        Map<String, String> compileFailures = new HashMap<>();
        compiled.failures().forEach(f -> compileFailures.put(f.source() + "\u0000" + f.reference(), f.reason()));
        Set<String> loadedRefs = new HashSet<>();
        for (CompiledRule rule : compiled.rules()) {
            SigmaDocument.Meta meta = rule.rule().meta();
            loadedRefs.add(meta.reference());
            if (meta.id() != null) {
                loadedRefs.add(meta.id());
            }
            if (meta.name() != null) {
                loadedRefs.add(meta.name());
            }
        }
        Map<String, List<RuleRow>> rowsByFile = new LinkedHashMap<>();
        Map<String, String> refOwners = new HashMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        int loaded = 0;
        int inactive = 0;
        int correlations = 0;
        int filters = 0;
        for (ParsedFile file : files) {
            List<RuleRow> rows = new ArrayList<>();
            for (SigmaDocument document : file.documents()) {
                SigmaDocument.Meta meta = document.meta();
                String ref = meta.reference();
                if (ref == null || ref.isBlank()) {
                    failures.add(new Failure(meta.source(), null, "the document has no id, name or title"));
                    continue;
                }
                String owner = refOwners.putIfAbsent(ref, meta.source());
                if (owner != null) {
                    failures.add(new Failure(meta.source(), ref, "the id is also used by " + owner
                            + "; ids must be unique, so this document was not imported"));
                    continue;
                }
                String failure = compileFailures.get(meta.source() + "\u0000" + ref);
                RuleRow.Kind kind;
                RuleRow.State state;
                String reason = "";
                List<String> tables = List.of();
                switch (document) {
                    case SigmaDocument.Rule rule -> {
                        kind = RuleRow.Kind.RULE;
                        if (failure != null) {
                            state = RuleRow.State.FAILED;
                            reason = failure;
                            failures.add(new Failure(meta.source(), ref, failure));
                        } else if (active.containsKey(rule)) {
                            state = RuleRow.State.ACTIVE;
                            tables = active.get(rule).tables();
                            loaded++;
                        } else {
                            state = RuleRow.State.INACTIVE;
                            reason = inactiveReasons.getOrDefault(rule, "no stored table holds its events");
                        }
                    }
                    case SigmaDocument.Filter filter -> {
                        kind = RuleRow.Kind.FILTER;
                        filters++;
                        if (filter.rules().stream().anyMatch(loadedRefs::contains)) {
                            state = RuleRow.State.ACTIVE;
                        } else {
                            state = RuleRow.State.INACTIVE;
                            reason = "it names no rule that runs here";
                        }
                    }
                    case SigmaDocument.Correlation correlation -> {
                        kind = RuleRow.Kind.CORRELATION;
                        correlations++;
                        if (failure != null) {
                            state = RuleRow.State.FAILED;
                            reason = failure;
                            failures.add(new Failure(meta.source(), ref, failure));
                        } else if (correlation.rules().stream().anyMatch(loadedRefs::contains)) {
                            state = RuleRow.State.ACTIVE;
                            loaded++;
                        } else {
                            state = RuleRow.State.INACTIVE;
                            reason = "it names no rule that runs here";
                        }
                    }
                }
                if (state == RuleRow.State.INACTIVE) {
                    inactive++;
                    reasons.merge(reason, 1, Integer::sum);
                }
                rows.add(RuleRow.imported(ref, kind, meta.title(), meta.level(), meta.status(), file.source(), tables,
                        state, reason));
            }
            if (!rows.isEmpty()) {
                rowsByFile.put(file.source(), rows);
            }
        }
        return new Classified(rowsByFile, loaded, inactive, reasons, correlations, filters);
    }

    private record Summary(String tenant, int files, int skipped, int documents, Classified classified,
            List<Failure> failures, double seconds) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tenant", tenant);
            json.put("files", files);
            json.put("skipped_files", skipped);
            json.put("documents", documents);
            json.put("loaded", classified.loaded());
            json.put("inactive", classified.inactive());
            json.put("inactive_reasons", classified.inactiveReasons());
            json.put("correlations", classified.correlations());
            json.put("filters", classified.filters());
            json.put("failed", failures.stream().map(f -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("source", f.source());
                entry.put("rule", f.rule());
                entry.put("reason", f.reason());
                return entry;
            }).toList());
            json.put("seconds", Math.round(seconds * 1000) / 1000.0);
            return json;
        }

        void print(PrintWriter out) {
            out.printf(Locale.ROOT, "Read %s rule files (%s documents) for tenant '%s' in %.1f s%n", Output.count(files),
                    Output.count(documents), tenant, seconds);
            out.printf(Locale.ROOT, "  loaded    %8s  compiled; they run on ingest and with 'vigil detect'%n",
                    Output.count(classified.loaded()));
            out.printf(Locale.ROOT, "  inactive  %8s  valid, but nothing here can run them%n",
                    Output.count(classified.inactive()));
            classified.inactiveReasons().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                    .forEach(e -> out.printf(Locale.ROOT, "    %6s  %s%n", Output.count(e.getValue()),
                            Output.cell(e.getKey())));
            if (classified.inactiveReasons().size() > 10) {
                out.printf(Locale.ROOT, "    (%d more reasons: vigil rules list --all)%n",
                        classified.inactiveReasons().size() - 10);
            }
            out.printf(Locale.ROOT, "  failed    %8s%n", Output.count(failures.size()));
            if (skipped > 0) {
                out.printf(Locale.ROOT, "  skipped   %8s  files that are not .yml or .yaml%n", Output.count(skipped));
            }
            if (!failures.isEmpty()) {
                out.println();
                out.println("Failed:");
                for (Failure failure : failures) {
                    String where = failure.reason().startsWith(failure.source()) ? "" : failure.source()
                            + (failure.rule() == null ? "" : " (" + failure.rule() + ")") + ": ";
                    out.println("  " + where + failure.reason());
                }
            }
            out.println();
            out.println("See them with 'vigil rules list' (--all for inactive and failed ones).");
        }
    }
}
