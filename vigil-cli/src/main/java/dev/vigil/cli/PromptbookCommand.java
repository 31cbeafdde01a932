package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.promptbook.PromptbookJson;
import dev.vigil.copilot.promptbook.PromptbookPrompt;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.PromptbookRun;
import dev.vigil.copilot.runtime.TenantPromptbooks;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
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

/** {@code vigil promptbook ...}: ordered prompts with inputs, run as one session. */
@Command(name = "promptbook", mixinStandardHelpOptions = true,
        description = {"Promptbooks are ordered prompts with <Inputs>, run as one copilot session: six are built in"
                + " (incident investigation, script analysis, threat actor profile, vulnerability impact, user analysis,"
                + " threat article impact); import your own, or make one from a session.",
                "Import and export use JSON, in Vigil's shape or Security Copilot's (prompts[].content,"
                        + " promptbookinputs[])."},
        subcommands = {PromptbookCommand.ListBooks.class, PromptbookCommand.Show.class, PromptbookCommand.Run.class,
                PromptbookCommand.Import.class, PromptbookCommand.Export.class, PromptbookCommand.FromSession.class})
final class PromptbookCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** A tenant's own promptbooks live in DATA/promptbooks/TENANT/NAME.json. */
    static TenantPromptbooks promptbooks(VigilConfig config) {
        return new TenantPromptbooks(config.dataDirectory(), config.tenant());
    }

    static List<Promptbook> all(VigilConfig config) {
        return promptbooks(config).all();
    }

    static Promptbook find(VigilConfig config, String name) {
        List<Promptbook> books = all(config);
        return promptbooks(config).find(name)
                .orElseThrow(() -> new VigilException(ErrorCode.USAGE, "there is no promptbook '" + name + "'",
                        "'vigil promptbook list' shows them: " + String.join(", ",
                                books.stream().map(Promptbook::name).toList()), null));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The built-in and the tenant's promptbooks.")
    static final class ListBooks implements Callable<Integer> {
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
            List<Promptbook> books = all(config);
            if (json) {
                out.println(Output.json(books));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (Promptbook b : books) {
                rows.add(List.of(b.name(), String.join(", ", b.inputs().stream().map(i -> i.name()).toList()),
                        b.prompts().size(), Promptbooks.BUILT_IN.contains(b.name()) ? "built-in" : "tenant",
                        b.description()));
            }
            out.print(Output.table(List.of("NAME", "INPUTS", "PROMPTS", "FROM", "DESCRIPTION"), rows));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A promptbook's inputs and prompts.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Promptbook book = find(common.load(), name);
            PrintWriter out = spec.commandLine().getOut();
            out.println(book.name() + ": " + book.description());
            book.inputs().forEach(i -> out.println("  input <" + i.name() + ">: " + i.description()));
            for (int i = 0; i < book.prompts().size(); i++) {
                PromptbookPrompt p = book.prompts().get(i);
                out.println("  " + (i + 1) + ". " + p.content() + (p.continueOnFailure() ? "  (continues on failure)" : ""));
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a promptbook's prompts in order, as one new session.",
                    "A prompt fails when the copilot cannot answer it or asks back; the run stops there unless the"
                            + " prompt continues on failure."},
            footer = {"", "Example:", "  vigil promptbook run incident-investigation --input IncidentId=2"})
    static final class Run implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--input", paramLabel = "NAME=VALUE", description = "A value for one of the promptbook's inputs.")
        Map<String, String> inputs = new LinkedHashMap<>();

        @Option(names = "--json", description = "Print the answers as a JSON array.")
        boolean json;

        @Option(names = "--now", paramLabel = "INSTANT", description = "Resolve relative times against this instant.")
        Instant now;

        @Option(names = "--language-model", negatable = true,
            description = "Plan and write answers with the tenant's language model (DATA/tenants/<tenant>/"
                    + "model.yaml), checked by the embedded planner. Default: when the tenant has one.")
        Boolean languageModel;

        @Option(names = "--no-model", negatable = true, defaultValue = "true",
                description = "Rank skills by word overlap instead of the in-jar embedding model.")
        boolean model;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            Promptbook book = find(config, name);
            List<String> prompts = book.instantiate(inputs);
            Principal principal = actor.principal();
            Instant at = now != null ? now : Instant.now();
            ZoneId zone = ZoneId.of("UTC");
            try (TenantStore store = CopilotSession.open(config, TenantStore.Mode.READ_WRITE)) {
                Copilot copilot = CopilotSession.copilot(config, store,
                        CopilotSession.embedder(model, spec.commandLine().getErr()));
                CopilotSession.useLanguageModel(config, store, copilot, languageModel, spec.commandLine().getErr());
                Session session = store.sessions().create(principal, book.name() + " " + inputs.values());
                store.commit();
                int[] asked = {0};
                PromptbookRun.Outcome outcome = PromptbookRun.run(copilot, book, prompts, principal, at, zone,
                        answer -> {
                            CopilotSession.record(store, principal, session.id(), answer);
                            if (!json) {
                                out.println("## " + ++asked[0] + ". " + answer.prompt());
                                out.println();
                                AnswerPrinter.print(out, answer);
                                out.println();
                            }
                        });
                List<Answer> answers = outcome.answers();
                int failed = outcome.failed();
                if (!json && outcome.stoppedAt().isPresent()) {
                    out.println("Stopped: prompt " + outcome.stoppedAt().getAsInt() + " did not get an answer, and it"
                            + " does not continue on failure.");
                }
                if (json) {
                    out.println("[" + String.join(",\n", answers.stream().map(SessionJson::writeAnswer).toList()) + "]");
                } else {
                    out.println("Session " + session.id() + ": " + answers.size() + " of " + prompts.size()
                            + " prompts asked" + (failed == 0 ? "" : ", " + failed + " without an answer") + ".");
                }
                return failed == 0 ? 0 : Output.partial(spec.commandLine().getErr(), ErrorCode.USAGE,
                        failed + " prompt(s) of promptbook '" + book.name() + "' got no answer");
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import promptbooks from a JSON file (Vigil's or Security Copilot's shape) into the tenant.")
    static final class Import implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            List<Promptbook> books = PromptbookJson.read(file);
            promptbooks(config).save(books);
            spec.commandLine().getOut().println("Imported " + books.size() + " promptbook(s): "
                    + String.join(", ", books.stream().map(Promptbook::name).toList()));
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Print a promptbook as JSON.")
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--shape", defaultValue = "vigil",
                description = "vigil or security-copilot (default: ${DEFAULT-VALUE}).")
        String shape;

        @Override
        public Integer call() {
            Promptbook book = find(common.load(), name);
            PromptbookJson.Shape s = shape.equalsIgnoreCase("security-copilot") ? PromptbookJson.Shape.SECURITY_COPILOT
                    : PromptbookJson.Shape.VIGIL;
            spec.commandLine().getOut().println(PromptbookJson.write(book, s));
            return 0;
        }
    }

    @Command(name = "from-session", mixinStandardHelpOptions = true,
            description = "Make a promptbook of a session's prompts; --input VALUE=Name turns a value into an input.",
            footer = {"", "Example:", "  vigil promptbook from-session 0f8f... my-triage --input 2=IncidentId"})
    static final class FromSession implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SESSION")
        String session;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--description", defaultValue = "Made from a session")
        String description;

        @Option(names = "--input", paramLabel = "VALUE=NAME", description = "A concrete value to turn into an <Input>.")
        Map<String, String> generalize = new LinkedHashMap<>();

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Session stored;
            try (TenantStore store = CopilotSession.open(config, TenantStore.Mode.READ_ONLY)) {
                stored = store.sessions().get(actor.principal(), CopilotSession.sessionId(session));
            }
            Promptbook book = Promptbook.fromSession(name, description, stored.prompts(), generalize);
            promptbooks(config).save(List.of(book));
            spec.commandLine().getOut().println("Saved promptbook '" + book.name() + "' with " + book.prompts().size()
                    + " prompts and inputs " + book.inputs().stream().map(i -> "<" + i.name() + ">").toList());
            return 0;
        }
    }
}
