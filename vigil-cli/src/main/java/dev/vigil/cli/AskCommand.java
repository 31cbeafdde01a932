package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.model.Principal;
import dev.vigil.store.TenantStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil ask "..."}: one question to the copilot. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask the copilot a question in plain language about the tenant's data and security knowledge.",
                "It plans which skills to run (no language model needed), runs them and answers with the evidence:"
                        + " every figure points to the records, queries or knowledge behind it.",
                "'/skill input...' calls a skill directly; 'vigil ask /help' lists the skills."},
        footer = {"", "Examples:", "  vigil ask \"summarize incident 2 and tell me how to contain it\"",
                "  vigil ask \"failed sign-ins by source IP last week\" --json",
                "  vigil ask \"which processes accessed lsass on ws007\" --explain",
                "  vigil ask \"how do I contain it?\" --session 0f8fad5b-d9cb-469f-a165-70867728950e"})
final class AskCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ActorOptions actor;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question, or /skill input...")
    String question;

    @Option(names = "--session", paramLabel = "ID",
            description = "Ask within a stored session: 'it', 'that host' and follow-ups refer to its earlier turns,"
                    + " and the answer is added to it. 'new' starts one ('vigil sessions list' shows them).")
    String session;

    @Option(names = "--json", description = "Print the answer object as JSON.")
    boolean json;

    @Option(names = "--explain", description = "Also show how the question was read and planned.")
    boolean explain;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "Resolve relative times ('yesterday') against this instant instead of the clock (ISO-8601).")
    Instant now;

    @Option(names = "--zone", paramLabel = "ZONE", description = "The time zone days start in (default: UTC).")
    ZoneId zone;

    @Option(names = "--no-model", negatable = true, defaultValue = "true",
            description = "Rank skills by word overlap instead of the in-jar embedding model.")
    boolean model;

    @Option(names = "--language-model", negatable = true,
            description = "Plan and write the answer with the tenant's language model (DATA/tenants/<tenant>/"
                    + "model.yaml), checked by the embedded planner. Default: when the tenant has one.")
    Boolean languageModel;

    @Override
    public Integer call() {
        VigilConfig config = common.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Principal principal = actor.principal();
        Instant at = now != null ? now : Instant.now();
        ZoneId tz = zone != null ? zone : ZoneId.of("UTC");
        Optional<Embedder> embedder = CopilotSession.embedder(model, err);
        TenantStore.Mode mode = session == null ? TenantStore.Mode.READ_ONLY : TenantStore.Mode.READ_WRITE;
        StatusLine status = new StatusLine(err);
        try (TenantStore store = CopilotSession.open(config, mode)) {
            Copilot copilot = CopilotSession.copilot(config, store, embedder);
            if (question.strip().equals("/help")) {
                copilot.skills().values().forEach(s -> out.println("/" + s.spec().name() + "  " + s.spec().description()));
                return 0;
            }
            CopilotSession.useLanguageModel(config, store, copilot, languageModel, err);
            SessionContext context = SessionContext.empty();
            UUID id = null;
            if (session != null) {
                Session stored = session.equalsIgnoreCase("new")
                        ? store.sessions().create(principal, question.length() > 60 ? question.substring(0, 60) : question)
                        : store.sessions().get(principal, CopilotSession.sessionId(session));
                id = stored.id();
                context = CopilotSession.resume(copilot, stored, at, tz);
            }
            if (explain && !json) {
                AnswerPrinter.explain(out, copilot.plan(question, context, at, tz));
                out.println();
            }
            Copilot.Turn turn = copilot.ask(question, context, principal, at, tz, step -> status.update(() -> step),
                    piece -> status.update(() -> "writing the answer…"));
            status.finish();
            Answer answer = turn.answer();
            if (id != null) {
                CopilotSession.record(store, principal, id, answer);
            }
            if (json) {
                out.println(SessionJson.writeAnswer(answer));
            } else {
                AnswerPrinter.print(out, answer);
                if (id != null) {
                    out.println("Session " + id + " ('vigil ask ... --session " + id + "' continues it)");
                }
            }
            return 0;
        } finally {
            status.finish();
        }
    }
}
