package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionExport;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.model.Principal;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

/** {@code vigil sessions ...}: the copilot's stored sessions. */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        description = {"List, show, rename, duplicate, share, delete, export and replay copilot sessions.",
                "A private session is visible to its owner only; a shared one to everyone in the tenant."},
        subcommands = {SessionsCommand.ListSessions.class, SessionsCommand.Show.class, SessionsCommand.Rename.class,
                SessionsCommand.Duplicate.class, SessionsCommand.Share.class, SessionsCommand.Unshare.class,
                SessionsCommand.Delete.class, SessionsCommand.Export.class, SessionsCommand.Replay.class})
final class SessionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    abstract static class Base implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        ActorOptions actor;

        @Spec
        CommandSpec spec;

        abstract int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out);

        TenantStore.Mode mode() {
            return TenantStore.Mode.READ_WRITE;
        }

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            try (TenantStore store = CopilotSession.open(config, mode())) {
                int code = run(config, store, actor.principal(), spec.commandLine().getOut());
                if (mode() == TenantStore.Mode.READ_WRITE) {
                    store.commit();
                }
                return code;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your sessions and those shared in the tenant.")
    static final class ListSessions extends Base {
        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        TenantStore.Mode mode() {
            return TenantStore.Mode.READ_ONLY;
        }

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            List<SessionSummary> sessions = store.sessions().list(principal);
            if (json) {
                out.println(Output.json(sessions));
                return 0;
            }
            List<List<Object>> rows = new ArrayList<>();
            for (SessionSummary s : sessions) {
                rows.add(List.of(s.id().toString(), s.name(), s.owner(), s.shared() ? "shared" : "private", s.turns(),
                        s.pins(), IncidentsCommand.time(s.updated())));
            }
            out.print(Output.table(List.of("ID", "NAME", "OWNER", "VISIBILITY", "TURNS", "PINS", "UPDATED (UTC)"), rows));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A session's turns, as Markdown.")
    static final class Show extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        TenantStore.Mode mode() {
            return TenantStore.Mode.READ_ONLY;
        }

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            out.println(store.sessions().export(principal, CopilotSession.sessionId(id), SessionExport.Format.MARKDOWN));
            return 0;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a session.")
    static final class Rename extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            Session s = store.sessions().rename(principal, CopilotSession.sessionId(id), name);
            out.println("Session " + s.id() + " is now '" + s.name() + "'.");
            return 0;
        }
    }

    @Command(name = "duplicate", mixinStandardHelpOptions = true, description = "Copy a session (yours or shared) into a new one you own.")
    static final class Duplicate extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            Session s = store.sessions().duplicate(principal, CopilotSession.sessionId(id));
            out.println("Copied to session " + s.id() + " ('" + s.name() + "').");
            return 0;
        }
    }

    @Command(name = "share", mixinStandardHelpOptions = true, description = "Let everyone in the tenant read a session.")
    static final class Share extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            store.sessions().share(principal, CopilotSession.sessionId(id));
            out.println("Shared within tenant '" + config.tenant() + "'.");
            return 0;
        }
    }

    @Command(name = "unshare", mixinStandardHelpOptions = true, description = "Make a shared session private again.")
    static final class Unshare extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            store.sessions().unshare(principal, CopilotSession.sessionId(id));
            out.println("Private again.");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a session and its turns.")
    static final class Delete extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            store.sessions().delete(principal, CopilotSession.sessionId(id));
            out.println("Deleted.");
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export a session as Markdown or JSON.")
    static final class Export extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--format", defaultValue = "md", description = "md or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to this file instead of standard output.")
        Path file;

        @Override
        TenantStore.Mode mode() {
            return TenantStore.Mode.READ_ONLY;
        }

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            String text = store.sessions().export(principal, CopilotSession.sessionId(id),
                    SessionExport.Format.parse(format));
            if (file == null) {
                out.println(text);
                return 0;
            }
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            out.println("Wrote " + file);
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Ask a session's prompts again over today's data, in a new session, and show how the answers"
                    + " changed."})
    static final class Replay extends Base {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--no-model", negatable = true, defaultValue = "true",
                description = "Rank skills by word overlap instead of the in-jar embedding model.")
        boolean model;

        @Override
        int run(VigilConfig config, TenantStore store, Principal principal, PrintWriter out) {
            Session old = store.sessions().get(principal, CopilotSession.sessionId(id));
            Copilot copilot = CopilotSession.copilot(config, store,
                    CopilotSession.embedder(model, spec.commandLine().getErr()));
            Session replay = store.sessions().create(principal, "Replay of " + old.name());
            SessionContext context = SessionContext.empty();
            Map<Integer, String> changes = new LinkedHashMap<>();
            for (Turn turn : old.turns()) {
                Copilot.Turn asked = copilot.ask(turn.prompt(), context, principal, Instant.now(), ZoneId.of("UTC"),
                        step -> { });
                context = asked.context();
                store.sessions().appendTurn(principal, replay.id(), turn.prompt(), asked.answer());
                changes.put(turn.number(), same(turn.answer(), asked.answer()) ? "same" : "changed");
            }
            out.println("Replayed " + old.turns().size() + " prompts into session " + replay.id() + ":");
            changes.forEach((n, c) -> out.println("  turn " + n + ": " + c));
            return 0;
        }

        private static boolean same(Answer a, Answer b) {
            return a.markdown().equals(b.markdown());
        }
    }
}
