package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.demo.DemoOrganization;
import dev.vigil.incident.CorrelationSummary;
import dev.vigil.incident.Incident;
import dev.vigil.incident.IncidentView;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.sigma.DetectingSink;
import dev.vigil.connectors.GraphSecurityPages;
import dev.vigil.connectors.RunSummary;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import dev.vigil.posture.Confidence;
import dev.vigil.posture.Finding;
import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.inventory.InventoryFiles;
import dev.vigil.posture.inventory.InventoryImport;
import dev.vigil.posture.vuln.VulnFiles;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import dev.vigil.posture.vuln.VulnKnowledgeFile;
import dev.vigil.server.ApiToken;
import dev.vigil.server.ApiTokens;
import dev.vigil.server.Users;
import dev.vigil.server.VigilServer;
import dev.vigil.store.PostureStore;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: generates the Kestrel Freight demo organization (its inventory, three weeks of telemetry with
 * five attacks, and Defender incidents as the Graph Security API pages them), seeds the {@code demo} tenant with it
 * (Vigil's rules, a partner feed, ATT&amp;CK, CISA's KEV catalog and SigmaHQ's psexec rules when at hand, ingest
 * with detection, the inventory, the Graph pages through the connector's mapping, correlation), shows what Vigil
 * found and then serves it, as {@code vigil serve} does, with a web UI sign-in (user {@code demo}) and an owner token
 * for the tenant.
 * {@code --no-serve} seeds and exits.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Seed a demo tenant with a fictional haulier (300 staff, 100 hosts, software and identities) and"
                + " three weeks of its telemetry (Windows Security, Sysmon, sign-ins, firewall and proxy CEF, Zeek DNS"
                + " and HTTP, Linux syslog, Defender incidents) hiding five attacks; show what Vigil found, then serve"
                + " it (--no-serve: seed and exit)."},
        footer = {"", "Examples:", "  vigil demo                      seed, then serve on http://127.0.0.1:8470",
                "  vigil demo --no-serve --scale 0.05   a small demo for scripts and tests",
                "  vigil demo --no-serve --scale 50     about nine million events (streamed; takes a while)"})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-serve", description = "Seed and exit instead of serving the demo (for scripts and tests).")
    boolean noServe;

    @Option(names = "--json", description = "Print the seeding summary as JSON.")
    boolean json;

    @Option(names = "--as-of", paramLabel = "DATE", description = {"Generate the demo as of this day (yyyy-mm-dd) "
            + "instead of today: the same day always gives the same data, for scripts and golden answers."})
    LocalDate asOf;

    @Option(names = "--scale", paramLabel = "X", defaultValue = "1",
            description = "Size of the background telemetry (default: ${DEFAULT-VALUE}, about 180,000 events over"
                    + " three weeks; 0.05 for tests; 50 for about nine million). The attacks are the same at every"
                    + " scale.")
    double scale;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8470",
            description = "Port to serve on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to serve on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        if (common.tenant == null) {
            common.tenant = "demo";
        }
        if (!(scale > 0) || scale > 10_000) {
            throw new VigilException(ErrorCode.USAGE, "--scale " + scale + " is out of range",
                    "Use a number above 0 and up to 10000, e.g. --scale 0.05 for a small demo or 1 (the default).",
                    null);
        }
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        LocalDate today = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
        Path directory = config.dataDirectory().resolve("demo-input").resolve(today.toString());
        DemoOrganization organization = new DemoOrganization(today, scale);
        DemoOrganization.Files files = generate(organization, directory, err);
        if (!json) {
            out.printf(Locale.ROOT, "Kestrel Freight: %d staff, %d hosts; %s events from %s to %s written to %s%n",
                    organization.company().people().size(), organization.company().hosts().size(),
                    Output.count(files.events()), organization.firstDay(), today.minusDays(1), directory);
            out.flush();
        }
        TenantId tenant = config.tenant();
        try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant, TenantStore.Mode.READ_WRITE)) {
            Seeded seeded = seed(config, store, files, err);
            IngestSummary summary = seeded.summary();
            Long alerts = seeded.alerts();
            PostureReport posture = posture(config, store);
            if (json) {
                Map<String, Object> body = IngestCommand.toJson(config, summary, alerts);
                body.put("sigmahq_rules", seeded.sigmaHq());
                body.put("incidents", seeded.correlated());
                body.put("graph_security", seeded.graph());
                body.put("inventory", seeded.inventory());
                Map<String, Object> postureJson = new LinkedHashMap<>();
                postureJson.put("organization_score", posture.organizationScore());
                postureJson.put("counts", posture.counts());
                postureJson.put("known_exploited", posture.findings().stream().filter(Finding::knownExploited)
                        .map(f -> f.assetId() + " " + f.subject()).toList());
                body.put("posture", postureJson);
                body.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
                out.println(Output.json(body));
                out.flush();
            } else {
                printSummary(out, config, store, seeded, posture, started);
            }
        }
        if (noServe) {
            if (!json) {
                out.println();
                out.println("Next: vigil incidents --tenant " + tenant + "   |   vigil posture --tenant " + tenant
                        + "   |   vigil promptbook run incident-investigation --tenant " + tenant
                        + " --input IncidentId=2   |   vigil serve");
            }
            return 0;
        }
        return serve(config, out);
    }

    private DemoOrganization.Files generate(DemoOrganization organization, Path directory, PrintWriter err) {
        StatusLine status = new StatusLine(err);
        try {
            return organization.write(directory, (file, events) -> status.update(() -> "demo: generating "
                    + file + " (" + Output.count(events) + " events so far)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo data to " + directory, e);
        } finally {
            status.finish();
        }
    }

    /**
     * Serves the seeded data directory as {@code vigil serve} does, with a fresh owner token for the demo tenant
     * (earlier demo tokens are revoked, so only the printed one works).
     */
    private int serve(VigilConfig config, PrintWriter out) throws InterruptedException {
        VigilServer server = open(config, bind, port, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "vigil-demo-stop"));
        stopped.await();
        return 0;
    }

    /**
     * Gives the demo tenant a web UI sign-in (user {@value #DEMO_USER}, owner, a fresh password each run) and a fresh
     * owner token (earlier demo tokens revoked), starts the server and prints where it listens with both: what
     * {@code vigil demo} shows before it waits for Ctrl-C. The caller closes the server.
     */
    static VigilServer open(VigilConfig config, String bind, int port, PrintWriter out) {
        ApiTokens tokens = ApiTokens.in(config.dataDirectory());
        Instant now = Instant.now();
        for (ApiToken token : tokens.list()) {
            if (token.name().equals(DEMO_TOKEN_NAME) && token.revoked() == null
                    && token.tenant().equals(config.tenant().value())) {
                tokens.revoke(token.id(), now);
            }
        }
        ApiTokens.Created created = tokens.create(config.tenant(), Role.OWNER, DEMO_TOKEN_NAME, null, now);
        byte[] random = new byte[15];
        new java.security.SecureRandom().nextBytes(random);
        char[] password = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        Users users = Users.in(config.dataDirectory());
        if (users.find(DEMO_USER).isPresent()) {
            users.setPassword(DEMO_USER, password, false, now);
            users.grant(DEMO_USER, config.tenant(), Role.OWNER);
        } else {
            users.add(DEMO_USER, password, false, Map.of(config.tenant(), Role.OWNER), now);
        }
        VigilServer server = VigilServer.start(config, bind, port);
        String base = "http://" + bind + ":" + server.port();
        out.println();
        out.println("Vigil is serving the demo (Ctrl-C stops it).");
        out.println("  Web UI:  " + base + "/   user '" + DEMO_USER + "', password " + new String(password)
                + "   (owner of tenant '" + config.tenant() + "'; a new password each run)");
        java.util.Arrays.fill(password, '\0');
        out.println("  API:     " + base + "/api/v1   owner token for tenant '" + config.tenant() + "' (shown once):");
        out.println("           " + created.token());
        out.println("Try:");
        out.println("  curl -H \"Authorization: Bearer " + created.token() + "\" " + base + "/api/v1/tenants/"
                + config.tenant() + "/incidents");
        out.flush();
        return server;
    }

    static final String DEMO_TOKEN_NAME = "demo-owner";
    static final String DEMO_USER = "demo";

    /** What seeding a tenant with the demo organization did. */
    record Seeded(int rules, String sigmaHq, int indicators, String attack, String kev, IngestSummary summary,
            Long alerts, Map<String, Object> inventory, Map<String, Object> graph, CorrelationSummary correlated) {}

    /** Seeds the store with the demo's telemetry only (no inventory, no Graph pages), as the copilot benchmark does. */
    static Seeded seed(VigilConfig config, TenantStore store, List<Path> telemetry, PrintWriter err) {
        return seed(config, store, new DemoOrganization.Files(telemetry, null, null, null, 0), err);
    }

    /**
     * Seeds the store with the demo organization's files as {@code vigil demo} does: the built-in rules, the partner
     * feed, ATT&CK and CISA's KEV catalog when a copy is at hand, ingest with detection, the inventory, the Defender
     * incidents through the Graph Security connector's mapping, then correlation into incidents and a checkpoint.
     * Progress goes to {@code err}.
     */
    static Seeded seed(VigilConfig config, TenantStore store, DemoOrganization.Files files, PrintWriter err) {
        int rules = RulesImportCommand.importBuiltin(store);
        String sigmaHq = importSigmaHqIfFound(store);
        int indicators = importDemoFeed(store);
        String attack = importAttackIfFound(config);
        String kev = importVulnerabilityKnowledge(config);
        IngestCommand.Progress progress = new IngestCommand.Progress(err);
        DetectingSink<TenantStore> detecting = IngestCommand.detecting(config, store, err);
        Ingestor ingestor = IngestCommand.ingestor(config, detecting != null ? detecting : store, Format.AUTO,
                config.defaultTable(), progress);
        IngestSummary summary = ingestor.ingest(files.telemetry().stream().map(Path::toString).toList());
        progress.finish();
        Long alerts = IngestCommand.detected(store, detecting);
        Map<String, Object> inventory = new LinkedHashMap<>();
        if (files.inventory() != null) {
            InventoryImport imported = FileArguments.read(files.inventory(),
                    content -> InventoryFiles.read(INVENTORY_SOURCE, content, null),
                    problem -> { throw new VigilException(ErrorCode.INTERNAL, "the demo inventory "
                            + files.inventory() + " cannot be read: " + problem); });
            store.posture().replace(INVENTORY_SOURCE, imported.inventory());
            store.commit();
            inventory.put("assets", imported.inventory().assets().size());
            inventory.put("software", imported.inventory().software().size());
            inventory.put("identities", imported.inventory().identities().size());
            inventory.put("services", imported.inventory().services().size());
        }
        Map<String, Object> graph = new LinkedHashMap<>();
        if (files.graphIncidents() != null) {
            RunSummary incidents = storeGraphPage(config, store, GraphSecurityPages.Kind.INCIDENTS,
                    files.graphIncidents());
            RunSummary alertsPage = storeGraphPage(config, store, GraphSecurityPages.Kind.ALERTS, files.graphAlerts());
            graph.put("records", incidents.read() + alertsPage.read());
            graph.put("stored", incidents.storedNew() + alertsPage.storedNew());
            graph.put("alerts_new", incidents.alertsNew() + alertsPage.alertsNew());
        }
        CorrelationSummary correlated = Incidents.correlate(store, config, err);
        store.checkpoint();
        return new Seeded(rules, sigmaHq, indicators, attack, kev, summary, alerts, inventory, graph, correlated);
    }

    /** The inventory's source name in the store: importing it again replaces what it gave before. */
    static final String INVENTORY_SOURCE = "demo:kestrel-inventory.json";

    private static RunSummary storeGraphPage(VigilConfig config, TenantStore store, GraphSecurityPages.Kind kind,
            Path page) {
        try {
            return GraphSecurityPages.store(config.tenant(), store, kind, page.getFileName().toString(),
                    Files.readString(page), java.time.Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + page, e);
        }
    }

    /** The tenant's posture over the imported inventory and the knowledge at hand, recorded as the posture command does. */
    private static PostureReport posture(VigilConfig config, TenantStore store) {
        dev.vigil.store.Knowledge.Vulnerabilities vulns = dev.vigil.store.Knowledge.vulnerabilities(config.dataDirectory());
        PostureStore posture = store.posture();
        posture.observe();
        store.commit();
        PostureReport report = new PostureAnalyzer(vulns.knowledge(), vulns.matcher(),
                KnowledgeCommands.loadIfPresent(config).orElse(null), config.posturePolicy())
                .analyze(posture.inventory(), Instant.now());
        posture.record(report);
        store.commit();
        return report;
    }

    private void printSummary(PrintWriter out, VigilConfig config, TenantStore store, Seeded seeded,
            PostureReport posture, long started) {
        TenantId tenant = config.tenant();
        IngestSummary summary = seeded.summary();
        out.printf(Locale.ROOT, "Seeded tenant '%s' in %.0f s: %s events in %d tables, %s Defender records through the"
                        + " Graph Security connector's mapping, %s assets and %s identities in the inventory%n", tenant,
                (System.nanoTime() - started) / 1e9, Output.count(summary.stored() + summary.alreadyStored()),
                summary.tables().size(), seeded.graph().getOrDefault("records", 0),
                seeded.inventory().getOrDefault("assets", 0), seeded.inventory().getOrDefault("identities", 0));
        out.println("Knowledge: Vigil's " + seeded.rules() + " built-in rules; " + seeded.sigmaHq()
                + "; a partner feed of " + seeded.indicators()
                + " indicators; " + seeded.attack() + "; " + seeded.kev());
        List<dev.vigil.model.Alert> raised = store.alerts(new dev.vigil.store.AlertQuery(List.of(), Long.MIN_VALUE,
                "low", 10_000));
        if (!raised.isEmpty()) {
            out.println();
            out.println("What the rules, the threat feed and Defender found ('vigil alerts --tenant " + tenant
                    + "' lists each):");
            AlertsCommand.printSummary(out, raised);
        }
        printIncidents(out, store, config);
        printPosture(out, posture, tenant);
        out.println();
        out.println("Ask Vigil: the copilot plans, runs and answers with evidence (no language model needed).");
        dev.vigil.copilot.runtime.Copilot copilot = CopilotSession.copilot(config, store,
                CopilotSession.embedder(true, spec.commandLine().getErr()));
        Principal analyst = new Principal("demo", Role.ANALYST);
        Instant at = asOf == null ? Instant.now() : asOf.atTime(23, 59).toInstant(ZoneOffset.UTC);
        for (String question : List.of("top 5 source addresses of failed sign-ins", "which processes accessed lsass",
                "what did WINWORD.EXE spawn")) {
            dev.vigil.copilot.Answer answer = copilot.ask(question, dev.vigil.copilot.plan.SessionContext.empty(),
                    analyst, at, java.time.ZoneId.of("UTC"), step -> { }).answer();
            out.println();
            out.println("> vigil ask \"" + question + "\"");
            out.println(answer.markdown().lines().findFirst().orElse(""));
            if (!answer.tables().isEmpty()) {
                dev.vigil.copilot.Table table = answer.tables().get(0);
                out.print(Output.table(table.columns(), table.rows().stream().limit(3).toList()));
            }
        }
    }

    private static void printPosture(PrintWriter out, PostureReport report, TenantId tenant) {
        out.println();
        List<Finding> exploited = report.findings().stream().filter(Finding::knownExploited).toList();
        Map<String, Long> weaknesses = new java.util.TreeMap<>();
        report.findings().stream().filter(f -> !f.isVulnerability())
                .forEach(f -> weaknesses.merge(f.kind(), 1L, Long::sum));
        int unverified = report.counts().get("known_exploited_unverified");
        out.printf(Locale.ROOT, "Posture ('vigil posture --tenant %s'): score %.0f of 100; %d findings, %d of them"
                        + " known-exploited vulnerabilities (CISA KEV): %d version-checked, %d matched by product name"
                        + " only; weaknesses: %s%n", tenant,
                report.organizationScore(), report.findings().size(), exploited.size(),
                exploited.size() - unverified, unverified, weaknesses.isEmpty() ? "none"
                        : weaknesses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
        // one row per asset, the most exposed first: version-checked exposures lead, product-name leads follow
        Map<String, List<Finding>> byAsset = new LinkedHashMap<>();
        exploited.stream().sorted(java.util.Comparator.comparing((Finding f) -> f.confidence() == Confidence.LOW)
                        .thenComparing(java.util.Comparator.comparingDouble(Finding::risk).reversed())
                        .thenComparing(Finding::subject))
                .forEach(f -> byAsset.computeIfAbsent(f.assetId(), k -> new ArrayList<>()).add(f));
        List<List<Object>> rows = new ArrayList<>();
        byAsset.entrySet().stream().limit(4).forEach(e -> rows.add(List.of(e.getKey(),
                e.getValue().get(0).software() == null ? "" : e.getValue().get(0).software(),
                String.join(", ", e.getValue().stream().filter(f -> f.confidence() != Confidence.LOW)
                        .map(Finding::subject).distinct().toList()),
                e.getValue().stream().filter(f -> f.confidence() == Confidence.LOW).count())));
        if (!rows.isEmpty()) {
            out.print(Output.table(List.of("asset", "software", "known-exploited, version checked",
                    "by product name only"), rows));
        }
    }

    /**
     * ATT&CK knowledge gives incidents their tactics, actor hypotheses and mitigations. Vigil does not ship MITRE's
     * bundle; the demo imports it when the data directory lacks it and a copy is at hand (VIGIL_ATTACK_BUNDLE, or the
     * shared data beside this checkout).
     */
    private static String importAttackIfFound(VigilConfig config) {
        if (Files.exists(KnowledgeCommands.attackFile(config))) {
            return "using the ATT&CK knowledge already in " + config.dataDirectory();
        }
        Optional<Path> bundle = sharedData("VIGIL_ATTACK_BUNDLE", Path.of("mitre-attack", "enterprise-attack.json"));
        if (bundle.isPresent()) {
            var summary = KnowledgeCommands.importAttack(config, bundle.get());
            return "imported MITRE ATT&CK (" + summary.techniques() + " techniques, " + summary.groups()
                    + " groups) from " + bundle.get().normalize();
        }
        return "no ATT&CK bundle found: incidents show no tactics or actor hypotheses until you run"
                + " 'vigil intel import enterprise-attack.json' (or set VIGIL_ATTACK_BUNDLE)";
    }

    /**
     * CISA's KEV catalog lets posture tell which of the inventory's vulnerabilities are known to be exploited. Vigil
     * does not ship it; the demo imports it, as {@code vigil vulns import} would, when the data directory's
     * knowledge has no KEV catalog yet and a copy is at hand (VIGIL_KEV_CATALOG, or the shared data beside this
     * checkout).
     */
    private static String importKevIfFound(VulnKnowledge knowledge, VigilConfig config) {
        if (!knowledge.kevCatalogVersion().isEmpty()) {
            return "using KEV catalog " + knowledge.kevCatalogVersion() + " already in " + config.dataDirectory();
        }
        Optional<Path> catalog = sharedData("VIGIL_KEV_CATALOG",
                Path.of("cisa-kev", "known_exploited_vulnerabilities.json"));
        if (catalog.isEmpty()) {
            return "no KEV catalog found: posture cannot tell known-exploited vulnerabilities until you run"
                    + " 'vigil vulns import known_exploited_vulnerabilities.json' (or set VIGIL_KEV_CATALOG)";
        }
        Path file = catalog.get();
        VulnImport result = FileArguments.read(file, content -> VulnFiles.read(file.toString(), content),
                problem -> VulnImport.problem(file.toString(), null, problem));
        if (result.problem() != null) {
            return "the KEV catalog at " + file + " cannot be read: " + result.problem();
        }
        knowledge.merge(result);
        return "imported CISA's KEV catalog " + knowledge.kevCatalogVersion() + " from " + file.normalize();
    }

    /**
     * The tenant's vulnerability knowledge for the demo, read and written once: CISA's KEV catalog when at hand, and
     * the CVE records of the flaws the demo company carries. Returns what happened to the KEV catalog.
     */
    private static String importVulnerabilityKnowledge(VigilConfig config) {
        Path target = VulnsCommand.knowledgeFile(config);
        VulnKnowledge knowledge = VulnKnowledgeFile.load(target);
        String kevVersion = knowledge.kevCatalogVersion();
        String kev = importKevIfFound(knowledge, config);
        boolean recordsAdded = importDemoVulnerabilityRecords(knowledge);
        if (recordsAdded || !kevVersion.equals(knowledge.kevCatalogVersion())) {
            VulnKnowledgeFile.save(knowledge, target);
        }
        return kev;
    }

    /** The CVE records, with affected versions, of the two flaws the demo company carries (from the vendors' advisories). */
    static final List<String> DEMO_CVE_RECORDS = List.of("CVE-2023-22527", "CVE-2021-44228");

    /**
     * Adds the CVE JSON 5 records of the flaws the demo organization carries (Confluence on wiki01, Log4j on APP01), so
     * posture checks their versions instead of matching KEV by product name alone, as it would after
     * {@code vigil vulns import} of the same records. Records already known are left as they are; returns whether any
     * was added.
     */
    private static boolean importDemoVulnerabilityRecords(VulnKnowledge knowledge) {
        boolean changed = false;
        for (String cve : DEMO_CVE_RECORDS) {
            if (!knowledge.recordsOf(cve).isEmpty()) {
                continue;
            }
            String resource = "demo/" + cve + ".json";
            byte[] content;
            try (var in = DemoCommand.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new VigilException(ErrorCode.INTERNAL, "the demo's CVE record " + resource + " is missing"
                            + " from the jar; rebuild Vigil");
                }
                content = in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new VigilException(ErrorCode.INTERNAL, "the demo's CVE record " + resource + " cannot be read: "
                        + e.getMessage());
            }
            VulnImport result = VulnFiles.read(resource, content);
            if (result.problem() != null) {
                throw new VigilException(ErrorCode.INTERNAL, "the demo's CVE record " + resource + ": "
                        + result.problem());
            }
            knowledge.merge(result);
            changed = true;
        }
        return changed;
    }

    /**
     * Public data Vigil does not ship, looked for where the environment variable names it, then in the shared data
     * folder beside the checkout (from the working directory, then from the jar's location).
     */
    private static Optional<Path> sharedData(String variable, Path relative) {
        return sharedCandidates(variable, relative).stream().filter(Files::isRegularFile).findFirst();
    }

    /** A folder of public data Vigil does not ship, looked for as {@link #sharedData} looks for a file. */
    private static Optional<Path> sharedFolder(String variable, Path relative) {
        return sharedCandidates(variable, relative).stream().filter(Files::isDirectory).findFirst();
    }

    private static List<Path> sharedCandidates(String variable, Path relative) {
        List<Path> candidates = new ArrayList<>();
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            candidates.add(Path.of(fromEnvironment));
        }
        candidates.add(Path.of("..", "shared", "data").resolve(relative));
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // vigil-cli/target/vigil.jar -> the checkout's parent
            Path checkout = jar.getParent() == null ? null : jar.getParent().getParent();
            if (checkout != null && checkout.getParent() != null && checkout.getParent().getParent() != null) {
                candidates.add(checkout.getParent().getParent().resolve("shared").resolve("data").resolve(relative));
            }
        } catch (URISyntaxException | SecurityException e) {
            // no code location: the other candidates remain
        }
        return candidates;
    }

    /**
     * The SigmaHQ rules the demo runs beside Vigil's pack, by their path in SigmaHQ's repository: the ones that see
     * the intrusion's move to the file server as Impacket's psexec makes it (the service it installs, with its
     * random eight-letter binary in %systemroot%, and RemCom's named pipes over IPC$). They are SigmaHQ's rules as
     * published, not rewritten for the demo; the demo's telemetry is what the tool leaves on a real server.
     *
     * <p>Not the whole corpus: over the demo's synthetic background (whose process trees are simpler than a real
     * fleet's) SigmaHQ's three thousand rules raise about two thousand alerts, which would bury the demo's story.
     */
    static final List<String> DEMO_SIGMAHQ_RULES = List.of(
            "rules/windows/builtin/security/win_security_metasploit_or_impacket_smb_psexec_service_install.yml",
            "rules/windows/builtin/security/win_security_impacket_psexec.yml");

    /**
     * SigmaHQ's rules (Detection Rule License 1.1) are imported by the user, never shipped with Vigil; the demo imports
     * {@link #DEMO_SIGMAHQ_RULES} from a copy of SigmaHQ's repository at hand (VIGIL_SIGMAHQ, or the shared data
     * beside this checkout), as {@code vigil rules import} would. Returns what happened, for the summary.
     */
    static String importSigmaHqIfFound(TenantStore store) {
        Optional<Path> repository = sharedFolder("VIGIL_SIGMAHQ", Path.of("sigma"));
        if (repository.isEmpty()) {
            return "no copy of SigmaHQ's rules found: the move to the file server goes undetected until you run"
                    + " 'vigil rules import' on SigmaHQ's repository (or set VIGIL_SIGMAHQ)";
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String rule : DEMO_SIGMAHQ_RULES) {
            Path file = repository.get().resolve(rule);
            if (!Files.isRegularFile(file)) {
                return "the copy of SigmaHQ's rules at " + repository.get().normalize() + " lacks " + rule
                        + ": the move to the file server goes undetected";
            }
            try {
                files.put("sigmahq:" + rule, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        int loaded = RulesImportCommand.importQuietly(store, files, "the SigmaHQ rules at "
                + repository.get().normalize());
        return loaded + " SigmaHQ rules for lateral movement from " + repository.get().normalize();
    }

    /** The incidents the alerts formed, and the summary of the most severe, as an analyst would open it first. */
    private static void printIncidents(PrintWriter out, TenantStore store, VigilConfig config) {
        Principal demo = new Principal("demo", Role.OWNER);
        List<Incident> incidents = store.incidents().list(demo, Optional.empty(),
                Optional.of("medium"), 20);
        if (incidents.isEmpty()) {
            return;
        }
        out.println();
        out.println("The alerts correlate into these incidents (medium and above; 'vigil incidents --tenant "
                + config.tenant() + "' lists all):");
        List<List<Object>> rows = new ArrayList<>();
        for (Incident incident : incidents) {
            rows.add(List.of(incident.number(), incident.severity(), incident.title(), incident.alertCount()));
        }
        out.print(Output.table(List.of("#", "severity", "title", "alerts"), rows));
        // the incident that matters most, by its impact score, as an analyst would open it first
        dev.vigil.store.IncidentCase loaded = null;
        for (Incident incident : incidents) {
            dev.vigil.store.IncidentCase candidate = IncidentsCommand.Loaded.load(store, config, demo, incident.number());
            if (loaded == null || candidate.view().impact().score() > loaded.view().impact().score()) {
                loaded = candidate;
            }
        }
        Incident worst = loaded.view().incident();
        out.println();
        out.println("Incident " + worst.number() + " in brief ('vigil incidents show " + worst.number() + " --tenant "
                + config.tenant() + "' has the timeline, entities, impact, source and response):");
        for (IncidentView.Sentence sentence : loaded.view().summary()) {
            out.println("  " + sentence.text());
        }
    }

    /**
     * The demo's threat feed, as a partner would share it: a plain list naming the attackers' infrastructure, so that
     * ingest matches it and raises indicator alerts beside the rules' alerts.
     */
    private static int importDemoFeed(TenantStore store) {
        String feed = "# Kestrel Freight partner feed: infrastructure seen in recent intrusions against freight companies\n"
                + DemoOrganization.C2_ADDRESS + "\n" + DemoOrganization.SSH_ATTACKER_IP + "\n"
                + "update-kestrel-freight.example\n";
        dev.vigil.intel.ioc.IndicatorImport imported = dev.vigil.intel.ioc.IndicatorFiles.read("demo-partner-feed.txt",
                feed.getBytes(java.nio.charset.StandardCharsets.UTF_8), dev.vigil.intel.ioc.IntelFormat.PLAIN,
                new dev.vigil.intel.ioc.ImportOptions("partner-feed", 80, java.time.Instant.now()));
        store.putIndicators(imported.indicators());
        store.commit();
        return imported.indicators().size();
    }
}
