package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionExport;
import dev.vigil.model.Principal;
import dev.vigil.model.VigilException;
import dev.vigil.store.TenantStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vigil chat}: an interactive session with the copilot, kept with its history. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Talk to the copilot: each line is a question, answered in a session that remembers what was"
                + " discussed ('it', 'that host', 'the second one', 'only the failed ones').",
                "The session is stored: 'vigil sessions' lists, exports and replays it.",
                "In the chat: /pin N NOTE, /rename NAME, /export md|json FILE, /skills, /exit."})
final class ChatCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ActorOptions actor;

    @Spec
    CommandSpec spec;

    @Option(names = "--session", paramLabel = "ID", description = "Continue this stored session instead of a new one.")
    String session;

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
        PrintWriter err = spec.commandLine().getErr();
        Principal principal = actor.principal();
        ZoneId zone = ZoneId.of("UTC");
        Optional<Embedder> embedder = CopilotSession.embedder(model, err);
        try (TenantStore store = CopilotSession.open(config, TenantStore.Mode.READ_WRITE)) {
            Copilot copilot = CopilotSession.copilot(config, store, embedder);
            CopilotSession.useLanguageModel(config, store, copilot, languageModel, err);
            Session stored = session == null ? store.sessions().create(principal, "Chat " + Instant.now())
                    : store.sessions().get(principal, CopilotSession.sessionId(session));
            store.commit();
            SessionContext context = CopilotSession.resume(copilot, stored, Instant.now(), zone);
            out.println("Vigil copilot, tenant '" + config.tenant() + "', session " + stored.id()
                    + ". Ask a question; /exit ends.");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                out.print("vigil> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit") || line.strip().equals("/quit")) {
                    break;
                }
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    if (command(line, store, principal, stored, copilot, out)) {
                        continue;
                    }
                    Copilot.Turn turn = copilot.ask(line, context, principal, Instant.now(), zone, step -> { });
                    context = turn.context();
                    CopilotSession.record(store, principal, stored.id(), turn.answer());
                    AnswerPrinter.print(out, turn.answer());
                } catch (VigilException e) {
                    Output.error(err, e.code().id(), e.getMessage(), e.fix());
                }
                out.println();
                out.flush();
            }
            out.println("Session " + stored.id() + " saved.");
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Handles a chat command; false when the line is a question. */
    private static boolean command(String line, TenantStore store, Principal principal, Session session,
            Copilot copilot, PrintWriter out) throws IOException {
        String[] parts = line.split("\\s+", 3);
        switch (parts[0]) {
            case "/skills" -> copilot.skills().values()
                    .forEach(s -> out.println("/" + s.spec().name() + "  " + s.spec().description()));
            case "/pin" -> {
                int turn = Integer.parseInt(parts[1]);
                store.sessions().pin(principal, session.id(), turn, parts.length > 2 ? parts[2] : "");
                store.commit();
                out.println("Pinned turn " + turn + ".");
            }
            case "/rename" -> {
                store.sessions().rename(principal, session.id(), line.substring("/rename".length()).strip());
                store.commit();
                out.println("Renamed.");
            }
            case "/export" -> {
                SessionExport.Format format = SessionExport.Format.parse(parts.length > 1 ? parts[1] : "md");
                String text = store.sessions().export(principal, session.id(), format);
                if (parts.length > 2) {
                    Files.writeString(Path.of(parts[2]), text);
                    out.println("Wrote " + parts[2]);
                } else {
                    out.println(text);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
