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
import dev.vigil.store.QueryResult;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil demo}: generates the Kestrel Freight demo telemetry, ingests it into the {@code demo} tenant and shows
 * what was stored, with a few questions answered from it by SQL. There is no server yet, so the command always exits
 * after seeding; {@code --no-serve} is accepted for scripts written against later versions.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Seed a demo tenant with two days of telemetry from a fictional company (Windows Security,"
                + " Sysmon, sign-ins, firewall CEF, sshd syslog) that hides three attacks, and show what was stored."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--no-serve", description = "Seed and exit (the default until the server exists).")
    boolean noServe;

    @Option(names = "--json", description = "Print the ingest summary as JSON.")
    boolean json;

    @Option(names = "--as-of", paramLabel = "DATE", description = {"Generate the demo as of this day (yyyy-mm-dd) "
            + "instead of today: the same day always gives the same data, for scripts and golden answers."})
    LocalDate asOf;

    @Override
    public Integer call() {
        if (common.tenant == null) {
            common.tenant = "demo";
        }
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalDate today = asOf != null ? asOf : LocalDate.now(ZoneOffset.UTC);
        Path directory = config.dataDirectory().resolve("demo-input").resolve(today.toString());
        List<Path> files;
        try {
            files = new DemoOrganization(today).writeTo(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo data to " + directory, e);
        }
        if (!json) {
            out.println("Generated Kestrel Freight telemetry for " + today.minusDays(2) + " to " + today + " in " + directory);
        }
        TenantId tenant = config.tenant();
        try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant, TenantStore.Mode.READ_WRITE)) {
            Seeded seeded = seed(config, store, files, err);
            IngestSummary summary = seeded.summary();
            Long alerts = seeded.alerts();
            if (json) {
                Map<String, Object> body = IngestCommand.toJson(config, summary, alerts);
                body.put("incidents", seeded.correlated());
                out.println(Output.json(body));
                return 0;
            }
            out.println("Loaded Vigil's " + seeded.rules() + " built-in detection rules and a partner threat feed of "
                    + seeded.indicators() + " indicators into tenant '" + tenant + "'");
            out.println(seeded.attack());
            IngestCommand.printSummary(out, config, summary, alerts);
            List<dev.vigil.model.Alert> raised = store.alerts(new dev.vigil.store.AlertQuery(List.of(), Long.MIN_VALUE,
                    "low", 10_000));
            if (!raised.isEmpty()) {
                out.println();
                out.println("What the rules and the threat feed found (alerts of level low and above, by what raised"
                        + " them; 'vigil alerts --tenant " + tenant + "' lists each):");
                AlertsCommand.printSummary(out, raised);
            }
            printIncidents(out, store, config);
            out.println();
            out.println("Ask Vigil: the copilot plans, runs and answers with evidence (no language model needed).");
            dev.vigil.copilot.runtime.Copilot copilot = CopilotSession.copilot(config, store,
                    CopilotSession.embedder(true, err));
            dev.vigil.model.Principal analyst = new dev.vigil.model.Principal("demo", dev.vigil.model.Role.ANALYST);
            java.time.Instant at = asOf == null ? java.time.Instant.now()
                    : asOf.atTime(23, 59).toInstant(ZoneOffset.UTC);
            for (String question : List.of("top 5 source addresses of failed sign-ins",
                    "which processes accessed lsass", "what did WINWORD.EXE spawn")) {
                dev.vigil.copilot.Answer answer = copilot.ask(question, dev.vigil.copilot.plan.SessionContext.empty(),
                        analyst, at, java.time.ZoneId.of("UTC"), step -> { }).answer();
                out.println();
                out.println("> vigil ask \"" + question + "\"");
                out.println(answer.markdown().lines().findFirst().orElse(""));
                if (!answer.tables().isEmpty()) {
                    dev.vigil.copilot.Table table = answer.tables().get(0);
                    out.print(Output.table(table.columns(), table.rows().stream().limit(5).toList()));
                }
                answer.queries().stream().findFirst().ifPresent(q -> out.println("  (query: "
                        + q.text().replaceAll("\\s*\\n\\s*", " ") + ")"));
            }
        }
        out.println();
        out.println("Ask your own: vigil ask --tenant " + tenant + " \"summarize incident 2 and tell me how to contain it\""
                + "   |   vigil chat --tenant " + tenant + "   |   vigil promptbook run incident-investigation --tenant "
                + tenant + " --input IncidentId=2");
        return 0;
    }

    /** What seeding a tenant with the demo organization did. */
    record Seeded(int rules, int indicators, String attack, IngestSummary summary, Long alerts,
            CorrelationSummary correlated) {}

    /**
     * Seeds the store with the demo organization's files as {@code vigil demo} does: the built-in rules, the partner
     * feed, ATT&CK when a copy is at hand, then ingest with detection, correlation into incidents and a checkpoint.
     * Ingest progress goes to {@code err}.
     */
    static Seeded seed(VigilConfig config, TenantStore store, List<Path> files, PrintWriter err) {
        int rules = RulesImportCommand.importBuiltin(store);
        int indicators = importDemoFeed(store);
        String attack = importAttackIfFound(config);
        IngestCommand.Progress progress = new IngestCommand.Progress(err);
        DetectingSink<TenantStore> detecting = IngestCommand.detecting(config, store, err);
        Ingestor ingestor = IngestCommand.ingestor(config, detecting != null ? detecting : store, Format.AUTO,
                config.defaultTable(), progress);
        IngestSummary summary = ingestor.ingest(files.stream().map(Path::toString).toList());
        progress.finish();
        Long alerts = IngestCommand.detected(store, detecting);
        CorrelationSummary correlated = Incidents.correlate(store, config, err);
        store.checkpoint();
        return new Seeded(rules, indicators, attack, summary, alerts, correlated);
    }

    /**
     * ATT&CK knowledge gives incidents their tactics, actor hypotheses and mitigations. Vigil does not ship MITRE's
     * bundle; the demo imports it when the data directory lacks it and a copy is at hand (VIGIL_ATTACK_BUNDLE, or the
     * shared data beside this checkout).
     */
    private static String importAttackIfFound(VigilConfig config) {
        if (Files.exists(KnowledgeCommands.attackFile(config))) {
            return "Using the ATT&CK knowledge already in " + config.dataDirectory();
        }
        List<Path> candidates = new ArrayList<>();
        String fromEnvironment = System.getenv("VIGIL_ATTACK_BUNDLE");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            candidates.add(Path.of(fromEnvironment));
        }
        candidates.add(Path.of("..", "shared", "data", "mitre-attack", "enterprise-attack.json"));
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // vigil-cli/target/vigil.jar -> the checkout's parent
            Path checkout = jar.getParent() == null ? null : jar.getParent().getParent();
            if (checkout != null && checkout.getParent() != null && checkout.getParent().getParent() != null) {
                candidates.add(checkout.getParent().getParent().resolve(Path.of("shared", "data", "mitre-attack",
                        "enterprise-attack.json")));
            }
        } catch (URISyntaxException | SecurityException e) {
            // no code location: the other candidates remain
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                var summary = KnowledgeCommands.importAttack(config, candidate);
                return "Imported MITRE ATT&CK (" + summary.techniques() + " techniques, " + summary.groups()
                        + " groups) from " + candidate.normalize();
            }
        }
        return "No ATT&CK bundle found: incidents show no tactics or actor hypotheses until you run"
                + " 'vigil intel import enterprise-attack.json' (or set VIGIL_ATTACK_BUNDLE)";
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
