package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.plan.Frame;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.plan.SkillRanker;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.promptbook.PromptbookJson;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.copilot.runtime.Copilot;
import dev.vigil.copilot.runtime.Copilots;
import dev.vigil.copilot.runtime.PromptbookRun;
import dev.vigil.copilot.runtime.TenantPromptbooks;
import dev.vigil.copilot.session.Session;
import dev.vigil.copilot.session.SessionExport;
import dev.vigil.copilot.session.SessionJson;
import dev.vigil.copilot.session.SessionSummary;
import dev.vigil.copilot.session.Turn;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.store.SessionRepository;
import dev.vigil.store.SessionStore;
import dev.vigil.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The copilot over HTTP: asking (whole, or streamed as server-sent events), planning without running, the skills,
 * the sessions and the promptbooks of the token's tenant. Each action does what the CLI's {@code ask},
 * {@code sessions} and {@code promptbook} commands do, with the same services.
 *
 * <p>A {@link Copilot} is built for each request over a reader of the tenant's database ({@link TenantStores#read}),
 * and dropped with it: it is confined to one thread like the store, and what makes it costly to build is shared
 * across requests anyway (the embedding model and its cache of skill examples, the tenant's value dictionaries, the
 * knowledge files). Questions to one tenant are answered side by side, beside its ingest; what they write (a new
 * session, a session's turn) is written afterwards under the tenant's lock ({@link TenantStores#write}).
 *
 * <p>Sessions belong to the token's name: a private session is visible to its owner only, and the store's own
 * checks ({@link SessionStore}) decide who may read, change or delete one.
 */
final class CopilotApi {
    static final String COPILOT = Api.TENANT + "/copilot";
    /** Largest prompt accepted, in UTF-8 bytes: a pasted script or article fits, a whole log file does not. */
    static final int MAX_PROMPT_BYTES = 64 * 1024;
    /** The session value that starts a new session. */
    static final String NEW_SESSION = "new";
    /** Longest session name made from a prompt, as {@code vigil ask --session new} makes it. */
    static final int NAME_FROM_PROMPT = 60;
    static final int RANKED_SHOWN = 5;
    private static final Set<String> ASK_MEMBERS = Set.of("prompt", "session", "now", "zone");
    private static final String MARKDOWN = "text/markdown;charset=utf-8";

    private final VigilConfig config;
    private final TenantStores stores;
    private final Supplier<Optional<Embedder>> embedder;
    private final List<Route> routes;

    CopilotApi(VigilConfig config, TenantStores stores, Supplier<Optional<Embedder>> embedder) {
        this.config = requireNonNull(config, "config is null");
        this.stores = requireNonNull(stores, "stores is null");
        this.embedder = requireNonNull(embedder, "embedder is null");
        Map<String, Object> ask = Map.of("prompt", "summarize incident 1 and tell me how to contain it", "session",
                NEW_SESSION);
        String sessions = COPILOT + "/sessions";
        String promptbooks = COPILOT + "/promptbooks";
        this.routes = List.of(
                new Route("POST", COPILOT + "/ask", Role.READER, "Ask the copilot: the answer object (markdown, plan,"
                        + " queries, tables, charts, evidence, follow-ups, log), as `vigil ask --json` prints it;"
                        + " with a session ('new' or an id you own) the turn is added to it and 'session' and 'turn'"
                        + " say where. Optional 'now' (ISO-8601 instant) and 'zone' set what 'yesterday' means",
                        ask, this::ask),
                new Route("POST", COPILOT + "/ask/stream", Role.READER, "Ask as /copilot/ask does, answered with"
                        + " server-sent events while the answer is made: plan, then progress (a skill starts) and"
                        + " step (a skill finished) events, token events (the tenant's language model writing, when one is"
                        + " configured), then answer and done; error (code, message, fix) on a"
                        + " failure after the stream started", ask, Route.EVENT_STREAM, this::askStream),
                new Route("GET", COPILOT + "/ask/stream", Role.READER, "The streamed answer for EventSource clients:"
                        + " ?prompt, ?session, ?now and ?zone instead of a body", null, Route.EVENT_STREAM,
                        this::askStreamFromQuery),
                new Route("POST", COPILOT + "/plan", Role.READER, "Plan a prompt without running it: the plan, how"
                        + " the prompt was read (entities, time, corrections), the query frame and the skills"
                        + " ranked, as `vigil ask --explain` shows them", Map.of("prompt", "failed sign-ins by source"
                        + " IP last week"), this::plan),
                new Route("GET", COPILOT + "/skills", Role.READER, "The copilot's skills: name, category,"
                        + " description, examples and typed inputs", null, this::skills),
                new Route("GET", sessions, Role.READER, "Your sessions and those shared in the tenant, most recently"
                        + " changed first", null, this::sessions),
                new Route("POST", sessions, Role.READER, "Start an empty private session",
                        Map.of("name", "triage of incident 1"), this::createSession),
                new Route("GET", sessions + "/{session}", Role.READER, "A session with its turns (each with its whole"
                        + " answer) and pins, as `vigil sessions export --format json` writes it", null,
                        this::session),
                new Route("PATCH", sessions + "/{session}", Role.READER, "Rename a session you own, or share it"
                        + " with the tenant (shared: true) or make it private again",
                        Map.of("name", "incident 1, contained", "shared", true), this::changeSession),
                new Route("POST", sessions + "/{session}/duplicate", Role.READER, "Copy a session you may read into"
                        + " a new private one you own", null, this::duplicateSession),
                new Route("PUT", sessions + "/{session}/pins/{turn}", Role.READER, "Pin a turn of a session you own"
                        + " with a note (replacing the note of a pinned turn)", Map.of("note", "the key finding"),
                        this::pin),
                new Route("DELETE", sessions + "/{session}/pins/{turn}", Role.READER, "Take a turn off the session's"
                        + " pin board", null, this::unpin),
                new Route("GET", sessions + "/{session}/export", Role.READER, "A session as Markdown (?format=md, the"
                        + " default) or JSON (?format=json)", null, MARKDOWN + ", " + Route.JSON, this::export),
                new Route("DELETE", sessions + "/{session}", Role.READER, "Delete a session you own (a tenant owner"
                        + " may delete any)", null, this::deleteSession),
                new Route("GET", promptbooks, Role.READER, "The built-in promptbooks and the tenant's own: name,"
                        + " description, inputs, number of prompts", null, this::promptbooks),
                new Route("GET", promptbooks + "/{name}", Role.READER, "A promptbook as JSON, in Vigil's shape or,"
                        + " with ?shape=security-copilot, Security Copilot's", null, this::promptbook),
                new Route("POST", promptbooks, Role.ANALYST, "Import promptbooks into the tenant: the body is"
                        + " promptbook JSON in Vigil's or Security Copilot's shape, one or an array; a promptbook of"
                        + " the same name is replaced", example(), this::importPromptbooks),
                new Route("POST", promptbooks + "/{name}/run", Role.READER, "Run a promptbook's prompts in order as"
                        + " one new session: the session and each answer; the run stops at a prompt that gets no"
                        + " answer unless that prompt continues on failure",
                        Map.of("inputs", Map.of("IncidentId", "1")), this::runPromptbook),
                new Route("POST", promptbooks + "/{name}/run/stream", Role.READER, "Run a promptbook as"
                        + " /run does, answered with server-sent events as it goes: session (the new session), then"
                        + " answer for each prompt once it is answered (with its turn), then done (asked, failed,"
                        + " stopped_at); error (code, message, fix) on a failure after the stream started",
                        Map.of("inputs", Map.of("IncidentId", "1")), Route.EVENT_STREAM, this::runPromptbookStream));
    }

    List<Route> routes() {
        return routes;
    }

    private static Map<String, Object> example() {
        return Map.of("name", "host-triage", "description", "What a host did and whether it is compromised",
                "inputs", List.of(Map.of("name", "Host", "description", "the host name", "required", true)),
                "prompts", List.of(Map.of("content", "Analyze host <Host>"),
                        Map.of("content", "Show alerts on <Host>", "continueOnFailure", true)));
    }

    // --- asking -----------------------------------------------------------------------------------------------

    /** A question as the request puts it. */
    private record Question(String prompt, Optional<String> session, Instant now, ZoneId zone) {}

    /** An answer, and the session turn it became, if it was asked in a session. */
    private record Asked(Answer answer, Optional<Turn> turn, Optional<UUID> session) {}

    /** What a streamed answer is told while the copilot works; both do nothing for a whole answer. */
    private record Listener(Consumer<Planner.Planned> planned, Consumer<String> progress, Consumer<String> partial) {
        static final Listener NONE = new Listener(p -> { }, m -> { }, t -> { });
    }

    private Object ask(Call call) {
        Question question = question(call, call.body(ASK_MEMBERS));
        return answerJson(ask(call.tenant(), call.principal(), question, Listener.NONE));
    }

    private Object askStream(Call call) {
        return stream(call, question(call, call.body(ASK_MEMBERS)));
    }

    private Object askStreamFromQuery(Call call) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (String name : ASK_MEMBERS) {
            String value = call.query(name);
            if (value != null) {
                parameters.put(name, value);
            }
        }
        return stream(call, question(call, parameters));
    }

    /**
     * The streamed answer. The plan event comes from planning the prompt once before asking (planning is
     * deterministic and takes milliseconds), so the client sees the plan before the first skill starts; the step
     * events come from the answer's log, whose first entry is the plan itself.
     */
    private Route.Events stream(Call call, Question question) {
        return sink -> {
            Listener listener = new Listener(planned -> sink.send("plan", planJson(planned)),
                    message -> sink.send("progress", Map.of("message", message)),
                    // a tenant's language model writes the answer as it goes; the answer event then carries it
                    // checked against the evidence
                    piece -> sink.send("token", Map.of("text", piece)));
            Asked asked = ask(call.tenant(), call.principal(), question, listener);
            asked.answer().log().stream().skip(1).forEach(step -> sink.send("step", step));
            sink.send("answer", answerJson(asked));
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("session", asked.session().map(UUID::toString).orElse(null));
            done.put("turn", asked.turn().map(Turn::number).orElse(null));
            done.put("total_micros", asked.answer().totalMicros());
            sink.send("done", done);
        };
    }

    /**
     * Asks on a reader of the tenant's database, beside the other questions and ingest; only the session's new
     * turn (and a new session) is written, under the tenant's lock, once the answer is made.
     */
    private Asked ask(TenantId tenant, Principal principal, Question question, Listener listener) {
        Optional<Session> session = question.session().map(id -> openForAsking(tenant, principal, id,
                question.prompt()));
        Copilot.Turn turn = stores.read(tenant, store -> {
            Copilot copilot = copilot(store);
            SessionContext context = session.map(s -> resume(copilot, s, question)).orElse(SessionContext.empty());
            if (listener != Listener.NONE) { // a whole answer has no plan event, so it does not plan twice
                listener.planned().accept(copilot.plan(question.prompt(), context, question.now(), question.zone()));
            }
            return copilot.ask(question.prompt(), context, principal, question.now(), question.zone(),
                    listener.progress(), listener.partial());
        });
        Optional<Turn> stored = session.map(s -> stores.write(tenant, store -> store.sessions().appendTurn(principal,
                s.id(), question.prompt(), turn.answer())));
        return new Asked(turn.answer(), stored, session.map(Session::id));
    }

    /** The tenant's copilot, with its language model behind it when the tenant configured one. */
    private Copilot copilot(TenantStore store) {
        Copilot copilot = Copilots.embedded(new Workspace(config, store), embedder.get());
        LanguageModels.attach(config, store, copilot, null,
                warning -> org.slf4j.LoggerFactory.getLogger(CopilotApi.class).warn(warning));
        return copilot;
    }

    /**
     * The session a question is asked in: a new one named after the prompt, or one the principal owns. A session
     * of someone else is refused before the copilot runs, not after (the store refuses the turn anyway).
     */
    private Session openForAsking(TenantId tenant, Principal principal, String session, String prompt) {
        if (session.equalsIgnoreCase(NEW_SESSION)) {
            String name = prompt.strip().lines().findFirst().orElse(prompt).strip();
            return stores.write(tenant, store -> store.sessions().create(principal, name.length() > NAME_FROM_PROMPT
                    ? name.substring(0, NAME_FROM_PROMPT) : name));
        }
        UUID id = sessionId(session);
        Session found = stores.read(tenant, store -> store.sessions().get(principal, id));
        if (!found.owner().equals(principal.name())) {
            throw new VigilException(ErrorCode.PERMISSION_DENIED, principal + " may not add to session '"
                    + found.name() + "' (" + found.id() + "): it belongs to " + found.owner(),
                    "Only a session's owner adds to it; duplicate the session (POST .../duplicate) to continue it as"
                            + " your own.", null);
        }
        return found;
    }

    private static SessionContext resume(Copilot copilot, Session session, Question question) {
        return copilot.resume(session.turns().stream().map(t -> Map.entry(t.prompt(), t.answer())).toList(),
                question.now(), question.zone());
    }

    /** The answer as {@link SessionJson#writeAnswer} writes it, with the session and turn it was recorded as. */
    private static JsonNode answerJson(Asked asked) {
        ObjectNode json = (ObjectNode) ApiJson.MAPPER.readTree(SessionJson.writeAnswer(asked.answer()));
        asked.session().ifPresent(id -> json.put("session", id.toString()));
        asked.turn().ifPresent(turn -> json.put("turn", turn.number()));
        return json;
    }

    /** The question of the request; its prompt goes to the audit record. */
    private static Question question(Call call, Map<String, Object> body) {
        if (!(body.get("prompt") instanceof String prompt) || prompt.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, body.containsKey("prompt") ? "'prompt' must be a non-blank"
                    + " string" : "the request needs a 'prompt'", "Send {\"prompt\": \"summarize incident 1\"}", null);
        }
        checkPromptSize(prompt);
        call.audit("prompt", prompt);
        Optional<String> session = text(body, "session").map(String::strip);
        session.ifPresent(id -> call.audit("session", id));
        Instant now = text(body, "now").map(CopilotApi::instant).orElseGet(Instant::now);
        ZoneId zone = text(body, "zone").map(CopilotApi::zone).orElse(ZoneOffset.UTC);
        return new Question(prompt, session, now, zone);
    }

    private static void checkPromptSize(String prompt) {
        int bytes = prompt.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PROMPT_BYTES) {
            throw new VigilException(ErrorCode.REQUEST_TOO_LARGE, "the prompt has " + bytes + " bytes; the limit is "
                    + MAX_PROMPT_BYTES + " (64 KiB)", "Shorten the prompt: paste the part of the script or article"
                    + " that matters, or ask about it in parts within one session.", null);
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new VigilException(ErrorCode.USAGE, "'now' must be an ISO-8601 instant, not '" + text + "'",
                    "Write it as 2024-05-01T12:00:00Z.", null);
        }
    }

    private static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new VigilException(ErrorCode.USAGE, "'zone' must be a time zone, not '" + text + "'",
                    "Use a region such as Europe/Paris or an offset such as +02:00 or UTC.", null);
        }
    }

    // --- planning and skills ----------------------------------------------------------------------------------

    private Object plan(Call call) {
        Question question = question(call, call.body(ASK_MEMBERS));
        return stores.read(call.tenant(), store -> {
            Copilot copilot = copilot(store);
            SessionContext context = SessionContext.empty();
            if (question.session().isPresent() && !question.session().get().equalsIgnoreCase(NEW_SESSION)) {
                Session session = store.sessions().get(call.principal(), sessionId(question.session().get()));
                context = resume(copilot, session, question);
            }
            Planner.Planned planned = copilot.plan(question.prompt(), context, question.now(), question.zone());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tenant", call.tenant().value());
            json.put("plan", planJson(planned));
            Map<String, Object> reading = new LinkedHashMap<>();
            reading.put("normalized", planned.reading().normalized());
            reading.put("mentions", planned.reading().mentions());
            reading.put("time", planned.reading().time().orElse(null));
            reading.put("corrections", planned.reading().corrections());
            reading.put("ambiguous", planned.reading().ambiguous());
            json.put("reading", reading);
            json.put("frame", planned.frame().map(CopilotApi::frameJson).orElse(null));
            List<Map<String, Object>> ranking = new ArrayList<>();
            for (SkillRanker.Ranked ranked : planned.ranking().stream().limit(RANKED_SHOWN).toList()) {
                ranking.add(Map.of("skill", ranked.spec().name(), "score", ranked.score(), "similarity",
                        ranked.similarity(), "compatibility", ranked.compatibility()));
            }
            json.put("ranking", ranking);
            json.put("inputs", planned.inputs());
            json.put("planner_micros", planned.micros());
            return json;
        });
    }

    /** A plan as the {@code plan} event and {@code /copilot/plan} show it; the route is named as in the answer. */
    private static Map<String, Object> planJson(Planner.Planned planned) {
        Plan plan = planned.plan();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("route", plan.route().name());
        json.put("confidence", plan.confidence());
        json.put("rationale", plan.rationale());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (SkillCall step : plan.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("skill", step.skill());
            s.put("inputs", step.inputs());
            s.put("time", step.time().orElse(null));
            s.put("display", step.display());
            steps.add(s);
        }
        json.put("steps", steps);
        json.put("clarification", plan.clarification().orElse(null));
        json.put("planner_micros", planned.micros());
        return json;
    }

    private static Map<String, Object> frameJson(Frame frame) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intent", frame.intent().name().toLowerCase(Locale.ROOT));
        json.put("concept", frame.concept().name());
        json.put("tables", frame.concept().tables());
        json.put("projection", frame.projection().orElse(null));
        json.put("group_by", frame.groupBy());
        json.put("filters", frame.filters());
        json.put("limit", frame.limit());
        json.put("time", frame.time().orElse(null));
        json.put("confidence", frame.confidence());
        json.put("matched", frame.matched());
        json.put("unknown", frame.unknown());
        return json;
    }

    private Object skills(Call call) {
        return stores.read(call.tenant(), store -> {
            List<Map<String, Object>> skills = new ArrayList<>();
            for (var skill : copilot(store).skills().values()) {
                SkillSpec spec = skill.spec();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("name", spec.name());
                json.put("category", spec.category());
                json.put("description", spec.description());
                json.put("examples", spec.examples());
                json.put("inputs", spec.inputs());
                skills.add(json);
            }
            return Map.of("tenant", call.tenant().value(), "skills", skills);
        });
    }

    // --- sessions ---------------------------------------------------------------------------------------------

    private Object sessions(Call call) {
        return stores.read(call.tenant(), store -> {
            List<Map<String, Object>> sessions = store.sessions().list(call.principal()).stream()
                    .map(CopilotApi::summary).toList();
            return Map.of("tenant", call.tenant().value(), "sessions", sessions);
        });
    }

    private Object createSession(Call call) {
        Map<String, Object> body = call.body(Set.of("name"));
        String name = text(body, "name").orElseThrow(() -> new VigilException(ErrorCode.USAGE, "a new session needs"
                + " a 'name'", "Send {\"name\": \"triage of incident 1\"}", null));
        return stores.write(call.tenant(), store -> {
            Session session = store.sessions().create(call.principal(), name);
            store.commit();
            return new Route.Reply(201, summary(session));
        });
    }

    private Object session(Call call) {
        UUID id = sessionId(call.path("session"));
        return stores.read(call.tenant(), store -> ApiJson.MAPPER.readTree(SessionJson.write(
                store.sessions().get(call.principal(), id))));
    }

    private Object changeSession(Call call) {
        UUID id = sessionId(call.path("session"));
        Map<String, Object> body = call.body(Set.of("name", "shared"));
        Optional<String> name = text(body, "name");
        Object shared = body.get("shared");
        if (shared != null && !(shared instanceof Boolean)) {
            throw new VigilException(ErrorCode.USAGE, "'shared' must be true or false, not " + shared);
        }
        if (name.isEmpty() && shared == null) {
            throw new VigilException(ErrorCode.USAGE, "nothing to change: send a 'name', 'shared' or both",
                    "Send {\"name\": \"new name\"} or {\"shared\": true}", null);
        }
        return stores.write(call.tenant(), store -> {
            SessionRepository sessions = store.sessions();
            name.ifPresent(n -> sessions.rename(call.principal(), id, n));
            if (shared instanceof Boolean share) {
                if (share) {
                    sessions.share(call.principal(), id);
                } else {
                    sessions.unshare(call.principal(), id);
                }
            }
            store.commit();
            return summary(sessions.get(call.principal(), id));
        });
    }

    private Object duplicateSession(Call call) {
        UUID id = sessionId(call.path("session"));
        call.body(Set.of());
        return stores.write(call.tenant(), store -> {
            Session copy = store.sessions().duplicate(call.principal(), id);
            store.commit();
            return new Route.Reply(201, summary(copy));
        });
    }

    private Object deleteSession(Call call) {
        UUID id = sessionId(call.path("session"));
        return stores.write(call.tenant(), store -> {
            store.sessions().delete(call.principal(), id);
            store.commit();
            return Map.of("deleted", id.toString());
        });
    }

    private Object pin(Call call) {
        UUID id = sessionId(call.path("session"));
        int turn = turnNumber(call);
        Optional<String> note = text(call.body(Set.of("note")), "note");
        return stores.write(call.tenant(), store -> {
            var pin = store.sessions().pin(call.principal(), id, turn, note.orElse(""));
            store.commit();
            return pin;
        });
    }

    private Object unpin(Call call) {
        UUID id = sessionId(call.path("session"));
        int turn = turnNumber(call);
        return stores.write(call.tenant(), store -> {
            boolean removed = store.sessions().unpin(call.principal(), id, turn);
            store.commit();
            return Map.of("session", id.toString(), "turn", turn, "unpinned", removed);
        });
    }

    private Object export(Call call) {
        UUID id = sessionId(call.path("session"));
        String format = call.query("format");
        SessionExport.Format chosen = SessionExport.Format.parse(format == null || format.isBlank() ? "md" : format);
        String text = stores.read(call.tenant(), store -> store.sessions().export(call.principal(), id, chosen));
        return new Route.Text(chosen == SessionExport.Format.MARKDOWN ? MARKDOWN : Route.JSON, text);
    }

    private static int turnNumber(Call call) {
        long turn = call.pathNumber("turn");
        if (turn < 1 || turn > Integer.MAX_VALUE) {
            throw new VigilException(ErrorCode.USAGE, "path parameter 'turn' must be a turn number from 1, not "
                    + turn, "Use the number the session's export shows", null);
        }
        return (int) turn;
    }

    /**
     * A session id. Text that is not one is answered as an unknown session (404), as ids of sessions the caller
     * may not see are: whether an id is well formed tells nothing either way.
     */
    static UUID sessionId(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.SESSION_NOT_FOUND, "there is no session '" + text + "': a session id"
                    + " is a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e");
        }
    }

    private static Map<String, Object> summary(SessionSummary s) {
        return summary(s.id(), s.name(), s.owner(), s.shared(), s.created(), s.updated(), s.turns(), s.pins());
    }

    private static Map<String, Object> summary(Session s) {
        return summary(s.id(), s.name(), s.owner(), s.shared(), s.created(), s.updated(), s.turns().size(),
                s.pins().size());
    }

    private static Map<String, Object> summary(UUID id, String name, String owner, boolean shared, Instant created,
            Instant updated, int turns, int pins) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id.toString());
        json.put("name", name);
        json.put("owner", owner);
        json.put("shared", shared);
        json.put("created", created.toString());
        json.put("updated", updated.toString());
        json.put("turns", turns);
        json.put("pins", pins);
        return json;
    }

    // --- promptbooks ------------------------------------------------------------------------------------------

    private TenantPromptbooks promptbooksOf(TenantId tenant) {
        return new TenantPromptbooks(config.dataDirectory(), tenant);
    }

    private List<Promptbook> all(TenantId tenant) {
        return promptbooksOf(tenant).all();
    }

    private Promptbook find(TenantId tenant, String name) {
        return promptbooksOf(tenant).find(name).orElseThrow(() -> new VigilException(ErrorCode.PROMPTBOOK_NOT_FOUND,
                "there is no promptbook '" + name + "' in tenant '" + tenant + "'", "Use one of " + String.join(", ",
                        all(tenant).stream().map(Promptbook::name).distinct().toList()), null));
    }

    private Object promptbooks(Call call) {
        List<Map<String, Object>> books = new ArrayList<>();
        for (Promptbook book : all(call.tenant())) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", book.name());
            json.put("description", book.description());
            json.put("source", Promptbooks.builtIn().contains(book) ? "built-in" : "tenant");
            json.put("inputs", book.inputs());
            json.put("prompts", book.prompts().size());
            json.put("tags", book.tags());
            json.put("author", book.author().orElse(null));
            books.add(json);
        }
        return Map.of("tenant", call.tenant().value(), "promptbooks", books);
    }

    private Object promptbook(Call call) {
        Promptbook book = find(call.tenant(), call.path("name"));
        String shape = call.query("shape");
        PromptbookJson.Shape chosen = switch (shape == null ? "vigil" : shape.strip().toLowerCase(Locale.ROOT)) {
            case "vigil", "" -> PromptbookJson.Shape.VIGIL;
            case "security-copilot" -> PromptbookJson.Shape.SECURITY_COPILOT;
            default -> throw new VigilException(ErrorCode.USAGE, "unknown promptbook shape '" + shape + "'",
                    "Use ?shape=vigil (the default) or ?shape=security-copilot", null);
        };
        return new Route.Text(Route.JSON, PromptbookJson.write(book, chosen));
    }

    private Object importPromptbooks(Call call) {
        String text = call.bodyText();
        if (text.isBlank()) {
            throw new VigilException(ErrorCode.USAGE, "the request body needs promptbook JSON",
                    "Send {\"name\": \"...\", \"prompts\": [{\"content\": \"...\"}]}, or Security Copilot's export",
                    null);
        }
        List<Promptbook> books = PromptbookJson.read(text, "the request body");
        promptbooksOf(call.tenant()).save(books);
        return new Route.Reply(201, Map.of("tenant", call.tenant().value(), "imported",
                books.stream().map(Promptbook::name).toList()));
    }

    private Object runPromptbook(Call call) {
        return runPromptbook(call, (name, data) -> { });
    }

    private Object runPromptbookStream(Call call) {
        // the request is read and checked before the stream starts, so a bad one answers with its status
        PromptbookRequest request = promptbookRequest(call);
        return (Route.Events) sink -> runPromptbook(call, request, sink::send);
    }

    /** A promptbook run as asked: the promptbook, its prompts with the inputs filled in, and when it is asked. */
    private record PromptbookRequest(Promptbook book, Map<String, String> inputs, List<String> prompts, Instant now,
            ZoneId zone) {}

    private PromptbookRequest promptbookRequest(Call call) {
        Promptbook book = find(call.tenant(), call.path("name"));
        Map<String, Object> body = call.body(Set.of("inputs", "now", "zone"));
        Map<String, String> inputs = inputs(body.get("inputs"));
        List<String> prompts = book.instantiate(inputs);
        prompts.forEach(CopilotApi::checkPromptSize);
        Instant now = text(body, "now").map(CopilotApi::instant).orElseGet(Instant::now);
        ZoneId zone = text(body, "zone").map(CopilotApi::zone).orElse(ZoneOffset.UTC);
        return new PromptbookRequest(book, inputs, prompts, now, zone);
    }

    private Object runPromptbook(Call call, java.util.function.BiConsumer<String, Object> events) {
        return runPromptbook(call, promptbookRequest(call), events);
    }

    /**
     * Runs a promptbook as one new session; {@code events} hears the session once it exists and each answer as it
     * is stored (the streamed route sends them, the whole one ignores them).
     */
    private Map<String, Object> runPromptbook(Call call, PromptbookRequest request,
            java.util.function.BiConsumer<String, Object> events) {
        Promptbook book = request.book();
        List<String> prompts = request.prompts();
        Principal principal = call.principal();
        TenantId tenant = call.tenant();
        String name = book.name() + " " + request.inputs().values();
        Session session = stores.write(tenant, store -> store.sessions().create(principal,
                name.length() > SessionStore.MAX_NAME ? name.substring(0, SessionStore.MAX_NAME) : name));
        events.accept("session", summary(session));
        List<JsonNode> answers = new ArrayList<>();
        // the prompts are answered on a reader; each turn is written under the tenant's lock as it comes
        PromptbookRun.Outcome outcome = stores.read(tenant, store -> PromptbookRun.run(copilot(store), book, prompts,
                principal, request.now(), request.zone(), answer -> {
                    Turn stored = stores.write(tenant, writer -> writer.sessions().appendTurn(principal,
                            session.id(), answer.prompt(), answer));
                    JsonNode json = answerJson(new Asked(answer, Optional.of(stored), Optional.of(session.id())));
                    answers.add(json);
                    events.accept("answer", json);
                }));
        Session ran = stores.read(tenant, store -> store.sessions().get(principal, session.id()));
        int failed = outcome.failed();
        Integer stoppedAt = outcome.stoppedAt().isPresent() ? outcome.stoppedAt().getAsInt() : null;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tenant", call.tenant().value());
        json.put("promptbook", book.name());
        json.put("session", summary(ran));
        json.put("prompts", prompts.size());
        json.put("asked", answers.size());
        json.put("failed", failed);
        json.put("stopped_at", stoppedAt);
        Map<String, Object> done = new LinkedHashMap<>(json);
        done.remove("tenant");
        events.accept("done", done);
        json.put("answers", answers);
        return json;
    }

    private static Map<String, String> inputs(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new VigilException(ErrorCode.USAGE, "'inputs' must be an object of input names and values",
                    "Send {\"inputs\": {\"IncidentId\": \"1\"}}", null);
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        map.forEach((name, v) -> {
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new VigilException(ErrorCode.USAGE, "input '" + name + "' must be a string or a number, not "
                        + v, "Send {\"inputs\": {\"IncidentId\": \"1\"}}", null);
            }
            inputs.put(String.valueOf(name), String.valueOf(v));
        });
        return inputs;
    }

    private static Optional<String> text(Map<String, Object> body, String key) {
        Object value = body.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw new VigilException(ErrorCode.USAGE, "'" + key + "' must be a string, not " + value);
    }
}
