package dev.vigil.copilot.model;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.Reading;
import dev.vigil.copilot.plan.SessionContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's language model in the copilot, behind the embedded planner's guardrails.
 *
 * <ol>
 *   <li><b>Plan.</b> The model receives the prompt and the session's entities only, never data, with the allowed
 *       skills as tools. Its tool calls are checked by {@link PlanCheck}; a query that does not compile goes back
 *       with the error at most {@value #MAX_REPAIRS} times. Any other failure, a timeout or an error of the model,
 *       and the embedded plan answers instead.
 *   <li><b>Run.</b> The skills run: the plan is fixed before any data is read, so nothing in the data can change it.
 *   <li><b>Compose.</b> The model receives the results inside {@link UntrustedData} blocks, with numbered evidence,
 *       and <em>no tools</em>: text planted in the data cannot call a skill or an action. What it writes is checked
 *       by {@link EvidenceLedger}.
 * </ol>
 *
 * Under {@link ModelPolicy#LOCAL_ONLY} with a model that is not local, no call is made at all. Identities are
 * replaced by placeholders before sending when the policy redacts, secrets always ({@link Redactor}). Response
 * actions are never offered: the skills of category {@value #ACTIONS} are left out of the tools.
 */
public final class ModelAssistant {
    /** How many times a query that does not compile goes back to the model. */
    public static final int MAX_REPAIRS = 2;
    /** The category of skills that act (approve, isolate, disable, block): never offered to a model. */
    public static final String ACTIONS = "actions";

    static final String PLAN_INSTRUCTIONS = """
            You plan answers for Vigil, a security copilot over one organization's security data. Answer the \
            analyst's question by calling one or more of the tools; do not answer it yourself. Use only values the \
            analyst wrote or the session context lists: never invent host names, users, addresses or incident \
            numbers. To query events, call the hunt tool with a KQL query. Placeholders such as HOST_1, USER_2 or \
            IP_3 stand for real values: pass them exactly as written.""";
    static final String COMPOSE_INSTRUCTIONS = """
            You write the answer of Vigil, a security copilot, from the skill results below and nothing else. The \
            first sentence answers the question. After every claim, cite the evidence it rests on by id in square \
            brackets, such as [E1] or [E2, E3]; cite only the ids listed. Use only numbers that appear in the \
            results. When the results do not answer, say so. Keep placeholders such as HOST_1 exactly as written. \
            Write Markdown without images, links or HTML.""";

    private static final Logger LOG = LoggerFactory.getLogger(ModelAssistant.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}._@:\\\\/$#-]{1,128}");

    private final LanguageModel model;
    private final ModelConfig config;
    private final List<SkillSpec> offered;
    private final List<ToolDefinition> tools;
    private final PlanCheck check;
    private final Collection<String> knownHosts;
    private final Collection<String> knownUsers;

    /**
     * @param model the tenant's model
     * @param config its configuration (the policy and the base URL are read here)
     * @param skills the skills the copilot has; those of category {@value #ACTIONS} are not offered
     * @param dictionaries the tenant's stored values, for grounding
     * @param compiler compiles hunting queries against the tenant's catalog
     * @param knownHosts host names to redact
     * @param knownUsers user names to redact
     */
    public ModelAssistant(LanguageModel model, ModelConfig config, List<SkillSpec> skills,
            PlanCheck.Dictionaries dictionaries, PlanCheck.QueryCompiler compiler, Collection<String> knownHosts,
            Collection<String> knownUsers) {
        this.model = requireNonNull(model, "model is null");
        this.config = requireNonNull(config, "config is null");
        this.offered = skills.stream().filter(s -> !s.category().equals(ACTIONS)).toList();
        this.tools = ToolSchemas.of(offered);
        Map<String, SkillSpec> allowed = new LinkedHashMap<>();
        offered.forEach(s -> allowed.put(s.name(), s));
        this.check = new PlanCheck(allowed, dictionaries, compiler);
        this.knownHosts = List.copyOf(knownHosts);
        this.knownUsers = List.copyOf(knownUsers);
    }

    /** The tools offered to the model. */
    public List<ToolDefinition> tools() {
        return tools;
    }

    /** Whether the tenant's policy lets the model be called at all. */
    public boolean permitted() {
        return config.policy().permits(config.baseUrl());
    }

    public LanguageModel model() {
        return model;
    }

    /** Starts the conversation of one answer: one set of placeholders for its plan and its composition. */
    public Conversation open(String prompt, Reading reading, SessionContext session) {
        return new Conversation(prompt, reading, session);
    }

    /**
     * How planning went.
     *
     * @param plan the model's checked plan; empty when the embedded plan answers
     * @param note why, for the process log ("planned by the model", "timed out: embedded plan")
     * @param calls how many calls were made to the model
     * @param reachable whether the model answered at all (a composition is not tried when it did not)
     */
    public record PlanAttempt(Optional<Plan> plan, String note, int calls, boolean reachable) {}

    /** The model's part of one answer. Not safe for use from several threads. */
    public final class Conversation {
        private final String prompt;
        private final Reading reading;
        private final SessionContext session;
        private final Redactor redactor;
        private boolean reachable = true;

        private Conversation(String prompt, Reading reading, SessionContext session) {
            this.prompt = requireNonNull(prompt, "prompt is null");
            this.reading = requireNonNull(reading, "reading is null");
            this.session = requireNonNull(session, "session is null");
            List<String> hosts = new ArrayList<>(knownHosts);
            List<String> users = new ArrayList<>(knownUsers);
            reading.mentions().forEach(m -> {
                switch (m.type()) {
                    case HOST -> hosts.add(m.value());
                    case USER -> users.add(m.value());
                    default -> { }
                }
            });
            session.recent().forEach(e -> {
                switch (e.type()) {
                    case HOST -> hosts.add(e.value());
                    case USER -> users.add(e.value());
                    default -> { }
                }
            });
            this.redactor = new Redactor(config.policy().redactsIdentities(), hosts, users);
        }

        public Redactor redactor() {
            return redactor;
        }

        /** Asks the model for a plan and checks it. */
        public PlanAttempt plan() {
            if (!permitted()) {
                reachable = false;
                return new PlanAttempt(Optional.empty(), "policy local-only: " + model.describe()
                        + " is not on this machine or a private network; the embedded planner answered", 0, false);
            }
            List<ModelMessage> messages = new ArrayList<>();
            messages.add(new ModelMessage.System(PLAN_INSTRUCTIONS));
            messages.add(new ModelMessage.User(planningText()));
            int calls = 0;
            String reason = "";
            for (int attempt = 0; attempt <= MAX_REPAIRS; attempt++) {
                ModelReply reply;
                try {
                    calls++;
                    reply = model.chat(new ModelRequest(ModelRequest.Purpose.PLAN, messages, redactedTools()),
                            piece -> { });
                } catch (LanguageModel.ModelUnavailableException e) {
                    reachable = false;
                    LOG.atInfo().addKeyValue("model", model.describe()).log("model planning failed: " + e.getMessage());
                    return new PlanAttempt(Optional.empty(), "the model failed (" + e.getMessage()
                            + "); the embedded planner answered", calls, false);
                }
                List<ToolCall> restored = reply.toolCalls().stream()
                        .map(c -> new ToolCall(c.id(), c.name(), restoreJson(c.arguments()))).toList();
                PlanCheck.Verdict verdict = check.check(restored, prompt, reading, session);
                switch (verdict) {
                    case PlanCheck.Verdict.Accepted accepted -> {
                        return new PlanAttempt(Optional.of(accepted.plan()), "planned by " + model.describe()
                                + (attempt == 0 ? "" : " after " + attempt + " repair" + (attempt == 1 ? "" : "s")),
                                calls, true);
                    }
                    case PlanCheck.Verdict.Rejected rejected -> {
                        return new PlanAttempt(Optional.empty(), "the model's plan was rejected: " + rejected.reason()
                                + "; the embedded planner answered", calls, true);
                    }
                    case PlanCheck.Verdict.Repair repair -> {
                        reason = repair.reason();
                        messages.add(new ModelMessage.Assistant(reply.text(), reply.toolCalls()));
                        repair.feedback().forEach(f -> messages.add(new ModelMessage.ToolResult(f.toolCallId(),
                                f.toolName(), redactor.redact(f.text()))));
                    }
                }
            }
            return new PlanAttempt(Optional.empty(), "the model's query still failed after " + MAX_REPAIRS
                    + " repairs (" + reason + "); the embedded planner answered", calls, true);
        }

        /**
         * Asks the model to write the answer from the results, without tools, and checks it.
         *
         * @param partial receives the answer's text as it streams (placeholders restored, not yet checked)
         * @return the checked prose; empty when the model failed or was not called
         */
        public Optional<EvidenceLedger.Checked> compose(List<SkillResult> results, Consumer<String> partial) {
            if (!reachable || !permitted() || results.isEmpty()) {
                return Optional.empty();
            }
            EvidenceLedger ledger = EvidenceLedger.of(results);
            List<ModelMessage> messages = List.of(
                    new ModelMessage.System(COMPOSE_INSTRUCTIONS + "\n\n" + UntrustedData.INSTRUCTIONS),
                    new ModelMessage.User("Question: " + UntrustedData.escape(redactor.redact(prompt)) + "\n\n"
                            + ledger.render(redactor::redact)));
            Redactor.StreamRestorer stream = redactor.streamRestorer();
            ModelReply reply;
            try {
                reply = model.chat(new ModelRequest(ModelRequest.Purpose.COMPOSE, messages, List.of()), piece -> {
                    String ready = stream.accept(piece);
                    if (!ready.isEmpty()) {
                        partial.accept(ready);
                    }
                });
            } catch (LanguageModel.ModelUnavailableException e) {
                LOG.atInfo().addKeyValue("model", model.describe()).log("model composition failed: " + e.getMessage());
                return Optional.empty();
            }
            String rest = stream.flush();
            if (!rest.isEmpty()) {
                partial.accept(rest);
            }
            if (!reply.toolCalls().isEmpty()) {
                // no tool was offered: a call here can only come from text in the data, and is ignored
                LOG.atWarn().addKeyValue("calls", reply.toolCalls().size())
                        .log("the model called tools while composing; ignored");
            }
            if (reply.text().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(ledger.check(redactor.restore(reply.text())));
        }

        /** The tools with their descriptions redacted: a skill's examples may name hosts and users. */
        private List<ToolDefinition> redactedTools() {
            return tools.stream().map(t -> new ToolDefinition(t.name(), redactor.redact(t.description()),
                    t.parameters())).toList();
        }

        /** The prompt and the session's entities, as sent for planning: no data. */
        private String planningText() {
            StringBuilder text = new StringBuilder();
            List<EntityRef> recent = session.recent().stream()
                    .filter(e -> TOKEN.matcher(e.value()).matches()).limit(12).toList();
            if (!recent.isEmpty()) {
                text.append("Session context (entities discussed, most recent first): ");
                for (int i = 0; i < recent.size(); i++) {
                    text.append(i == 0 ? "" : ", ").append(redactor.redact(recent.get(i).value())).append(" (")
                            .append(recent.get(i).type().key()).append(')');
                }
                text.append('\n');
            }
            if (!session.lastSkills().isEmpty()) {
                text.append("Skills of the last answer: ").append(String.join(", ", session.lastSkills())).append('\n');
            }
            reading.time().ifPresent(t -> text.append("Time range of the question: ").append(t.from()).append(" to ")
                    .append(t.to()).append('\n'));
            text.append("Question: ").append(redactor.redact(prompt));
            return text.toString();
        }

        /** Placeholders in a JSON text replaced by their originals, escaped as JSON string content. */
        private String restoreJson(String json) {
            Matcher m = Redactor.PLACEHOLDER.matcher(json);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String original = redactor.placeholders().get(m.group());
                String replacement = m.group();
                if (original != null) {
                    String quoted = JSON.writeValueAsString(original);
                    replacement = quoted.substring(1, quoted.length() - 1);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    /**
     * What {@link #answer} did.
     *
     * @param plan the plan that ran: the model's, or the embedded one
     * @param byModel whether the model planned it
     * @param results the skills' results, in order
     * @param prose the model's checked prose; empty when the answer is the skills' own composition
     * @param log the process log
     */
    public record Outcome(Plan plan, boolean byModel, List<SkillResult> results, Optional<EvidenceLedger.Checked> prose,
            List<StepLog> log) {}

    /**
     * Plans, runs and composes one answer: the whole path with its fallbacks.
     *
     * @param embedded the embedded planner's plan of the same prompt: the fallback, and the reading to ground on
     * @param runner runs one skill call
     * @param partial receives the answer's text as it streams
     */
    public Outcome answer(String prompt, Planner.Planned embedded, SessionContext session,
            Function<SkillCall, SkillResult> runner, Consumer<String> partial) {
        long started = System.nanoTime();
        Conversation conversation = open(prompt, embedded.reading(), session);
        PlanAttempt attempt = conversation.plan();
        Plan plan = attempt.plan().orElse(embedded.plan());
        List<StepLog> log = new ArrayList<>();
        log.add(new StepLog("plan", plan.route().name().toLowerCase(java.util.Locale.ROOT), attempt.note(),
                (System.nanoTime() - started) / 1_000));
        List<SkillResult> results = new ArrayList<>();
        for (SkillCall call : plan.steps()) {
            long t = System.nanoTime();
            SkillResult result = runner.apply(call);
            results.add(result);
            log.add(new StepLog(call.display(), result.status().name().toLowerCase(java.util.Locale.ROOT), "",
                    (System.nanoTime() - t) / 1_000));
        }
        Set<Plan.Route> composed = Set.of(Plan.Route.SKILL, Plan.Route.QUERY, Plan.Route.DIRECT);
        Optional<EvidenceLedger.Checked> prose = composed.contains(plan.route())
                ? conversation.compose(results, partial) : Optional.empty();
        prose.ifPresent(p -> log.add(new StepLog("compose", "ok", "written by " + model.describe() + "; "
                + p.cited().size() + " evidence ids cited, " + p.unverified() + " unverified sentences, "
                + p.unknownNumbers().size() + " unknown numbers", 0)));
        return new Outcome(plan, attempt.plan().isPresent(), results, prose, log);
    }
}
