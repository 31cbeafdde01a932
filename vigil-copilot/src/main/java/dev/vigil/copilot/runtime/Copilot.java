package dev.vigil.copilot.runtime;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Clarification;
import dev.vigil.copilot.Embedder;
import dev.vigil.copilot.EntityRef;
import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Plan;
import dev.vigil.copilot.Skill;
import dev.vigil.copilot.SkillCall;
import dev.vigil.copilot.SkillContext;
import dev.vigil.copilot.SkillResult;
import dev.vigil.copilot.SkillSpec;
import dev.vigil.copilot.StepLog;
import dev.vigil.copilot.Table;
import dev.vigil.copilot.plan.Frame;
import dev.vigil.copilot.plan.FrameReader;
import dev.vigil.copilot.plan.Lexicon;
import dev.vigil.copilot.plan.Planner;
import dev.vigil.copilot.plan.Reading;
import dev.vigil.copilot.plan.SessionContext;
import dev.vigil.copilot.plan.SkillRanker;
import dev.vigil.copilot.skills.HuntSkill;
import dev.vigil.copilot.skills.QueryAnswers;
import dev.vigil.copilot.skills.Workspace;
import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import dev.vigil.model.VigilException;
import dev.vigil.store.HuntRunner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded copilot over one tenant: plans a prompt, runs the plan's skills and composes the answer object from
 * their results alone. Confined to one thread, like the workspace's store.
 */
public final class Copilot {
    private static final Logger LOG = LoggerFactory.getLogger(Copilot.class);

    /** An answer and the session context it leaves. */
    public record Turn(Answer answer, SessionContext context, Planner.Planned planned) {}

    private final Workspace workspace;
    private final Map<String, Skill> skills;
    private final Planner planner;
    private final QueryAnswers queries;
    private final Planner.Data data;
    private Optional<dev.vigil.copilot.model.ModelAssistant> model = Optional.empty();

    /**
     * @param workspace the tenant's store and knowledge
     * @param skills the skills offered (the hunting skill is added)
     * @param reader reads prompts (normalization, entities, values, time)
     * @param embedder the embedding model that ranks skills by meaning; empty for word overlap
     * @param data the tenant facts the planner needs
     */
    public Copilot(Workspace workspace, List<Skill> skills, Function<Lexicon, Reading.Reader> reader,
            Optional<Embedder> embedder, Function<Workspace, Planner.Data> data) {
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.data = data.apply(workspace);
        // the tenant's tables, as the planner's facts already read them
        this.queries = new QueryAnswers(new HuntRunner(workspace.store()), workspace.store().tenant().value(),
                this.data.tables());
        Map<String, Skill> byName = new LinkedHashMap<>();
        Skill hunt = new HuntSkill(queries);
        byName.put(hunt.spec().name(), hunt);
        for (Skill skill : skills) {
            if (byName.put(skill.spec().name(), skill) != null) {
                throw new IllegalArgumentException("two skills are named " + skill.spec().name());
            }
        }
        this.skills = java.util.Collections.unmodifiableMap(byName);
        Lexicon lexicon = Lexicon.builtIn();
        Reading.Reader prompts = reader.apply(lexicon);
        Instant epoch = Instant.EPOCH;
        List<SkillSpec> specs = byName.values().stream().map(Skill::spec).toList();
        SkillRanker ranker = new SkillRanker(specs, embedder,
                text -> Planner.typeWordsOf(prompts.read(text, epoch, ZoneId.of("UTC"))));
        this.planner = new Planner(specs, ranker, new FrameReader(lexicon), prompts, embedder.isPresent());
    }

    /**
     * Plans and composes with a language model from now on, behind the embedded planner's checks; the embedded plan
     * answers whenever the model fails, times out or proposes a plan that does not pass them.
     */
    public Copilot useModel(dev.vigil.copilot.model.ModelAssistant assistant) {
        this.model = Optional.of(requireNonNull(assistant, "assistant is null"));
        return this;
    }

    public Map<String, Skill> skills() {
        return skills;
    }

    public Planner planner() {
        return planner;
    }

    /** Plans without running: what {@code --explain} shows. */
    public Planner.Planned plan(String prompt, SessionContext context, Instant now, ZoneId zone) {
        return planner.plan(prompt, context, now, zone, data);
    }

    /**
     * The context a session's earlier turns leave: each prompt is planned again (planning is deterministic and takes
     * milliseconds) to recover its frame and inputs, and each stored answer gives its subjects.
     */
    public SessionContext resume(List<Map.Entry<String, Answer>> turns, Instant now, ZoneId zone) {
        SessionContext context = SessionContext.empty();
        for (Map.Entry<String, Answer> turn : turns) {
            Planner.Planned planned = planner.plan(turn.getKey(), context, now, zone, data);
            context = context.after(planned.inputs(), turn.getValue().subjects(),
                    planned.plan().route() == Plan.Route.QUERY ? planned.frame() : Optional.empty(),
                    planned.plan().skillNames());
        }
        return context;
    }

    /** Answers a prompt in a session. */
    public Turn ask(String prompt, SessionContext context, Principal principal, Instant now, ZoneId zone,
            Consumer<String> progress) {
        return ask(prompt, context, principal, now, zone, progress, text -> { });
    }

    /**
     * Answers a prompt in a session.
     *
     * @param partial receives the model's answer as it streams, when a model is in use
     */
    public Turn ask(String prompt, SessionContext context, Principal principal, Instant now, ZoneId zone,
            Consumer<String> progress, Consumer<String> partial) {
        principal.require(Role.READER, "ask the copilot");
        long started = System.nanoTime();
        Planner.Planned planned = planner.plan(prompt, context, now, zone, data);
        if (model.isPresent()) {
            return askWithModel(model.get(), prompt, planned, context, principal, now, zone, progress, partial,
                    started);
        }
        Plan plan = planned.plan();
        List<StepLog> log = new ArrayList<>();
        log.add(new StepLog("plan", plan.route().name().toLowerCase(java.util.Locale.ROOT), plan.rationale(),
                planned.micros()));
        List<SkillResult> results = new ArrayList<>();
        SkillContext skillContext = new SkillContext(principal, now, zone, progress);
        for (SkillCall call : plan.steps()) {
            progress.accept("running " + call.display());
            long t = System.nanoTime();
            SkillResult result = run(call, planned, skillContext);
            long micros = (System.nanoTime() - t) / 1_000;
            results.add(result);
            log.add(new StepLog(call.display(), result.status().name().toLowerCase(java.util.Locale.ROOT),
                    detail(result), micros));
        }
        Answer answer = compose(prompt, plan, results, log, planned.micros(), (System.nanoTime() - started) / 1_000);
        List<EntityRef> mentioned = new ArrayList<>(planned.inputs());
        planned.reading().mentions().forEach(m -> {
            EntityRef ref = new EntityRef(m.type(), m.value());
            if (!mentioned.contains(ref) && m.type() != EntityType.TEXT && m.type() != EntityType.SCRIPT) {
                mentioned.add(ref);
            }
        });
        SessionContext next = context.after(mentioned, answer.subjects(),
                plan.route() == Plan.Route.QUERY ? planned.frame() : Optional.empty(), plan.skillNames());
        return new Turn(answer, next, planned);
    }

    private Turn askWithModel(dev.vigil.copilot.model.ModelAssistant assistant, String prompt,
            Planner.Planned planned, SessionContext context, Principal principal, Instant now, ZoneId zone,
            Consumer<String> progress, Consumer<String> partial, long started) {
        SkillContext skillContext = new SkillContext(principal, now, zone, progress);
        // the embedded frame belongs to the embedded plan: a query the model wrote runs as written
        Planner.Planned frameless = new Planner.Planned(planned.plan(), planned.reading(), Optional.empty(),
                planned.ranking(), planned.inputs(), planned.micros());
        progress.accept("planning with " + assistant.model().describe());
        dev.vigil.copilot.model.ModelAssistant.Outcome outcome = assistant.answer(prompt, planned, context, call -> {
            progress.accept("running " + call.display());
            return run(call, planned.plan().steps().contains(call) ? planned : frameless, skillContext);
        }, partial);
        List<StepLog> log = new ArrayList<>(outcome.log());
        Answer composed = compose(prompt, outcome.plan(), outcome.results(), log, planned.micros(),
                (System.nanoTime() - started) / 1_000);
        Answer answer = outcome.prose().map(p -> new Answer(composed.prompt(), p.markdown(), composed.plan(),
                composed.queries(), composed.tables(), composed.charts(), composed.evidence(), composed.followUps(),
                composed.log(), composed.subjects(), composed.plannerMicros(), composed.totalMicros()))
                .orElse(composed);
        List<EntityRef> mentioned = new ArrayList<>(planned.inputs());
        SessionContext next = context.after(mentioned, answer.subjects(),
                !outcome.byModel() && outcome.plan().route() == Plan.Route.QUERY ? planned.frame() : Optional.empty(),
                outcome.plan().skillNames());
        return new Turn(answer, next, planned);
    }

    private SkillResult run(SkillCall call, Planner.Planned planned, SkillContext context) {
        Skill skill = skills.get(call.skill());
        if (skill == null) {
            return SkillResult.failed(call.skill(), "There is no skill " + call.skill() + ".");
        }
        try {
            Optional<Frame> frame = planned.frame();
            if (call.skill().equals(Planner.HUNT) && planned.plan().route() == Plan.Route.QUERY && frame.isPresent()) {
                return queries.answer(call.skill(), frame.get(), call.first("query").orElseThrow());
            }
            return skill.run(call, context);
        } catch (VigilException e) {
            return SkillResult.failed(call.skill(), e.getMessage() + (e.fix() == null ? "" : "\n\nFix: " + e.fix()));
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).addKeyValue("skill", call.skill()).log("skill failed");
            return SkillResult.failed(call.skill(), "The " + call.skill() + " skill failed: " + e
                    + ". This is a bug in Vigil; the log has the details.");
        }
    }

    private static String detail(SkillResult result) {
        long rows = result.queries().stream().mapToLong(ExecutedQuery::rows).sum();
        if (result.status() == SkillResult.Status.FAILED) {
            String text = result.markdown();
            return text.length() > 160 ? text.substring(0, 160) + "…" : text;
        }
        return result.queries().size() + " queries, " + rows + " rows";
    }

    private Answer compose(String prompt, Plan plan, List<SkillResult> results, List<StepLog> log, long plannerMicros,
            long totalMicros) {
        StringBuilder markdown = new StringBuilder();
        List<ExecutedQuery> queryList = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        List<Chart> charts = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        List<String> followUps = new ArrayList<>();
        List<EntityRef> subjects = new ArrayList<>();
        switch (plan.route()) {
            case CLARIFY -> {
                Clarification question = plan.clarification().orElseThrow();
                markdown.append(question.question());
                for (Clarification.Option option : question.options()) {
                    markdown.append("\n- ").append(option.label()).append(": `").append(option.prompt()).append('`');
                    followUps.add(option.prompt());
                }
            }
            case UNANSWERABLE -> {
                markdown.append("I can't answer that from this tenant's data or Vigil's knowledge");
                markdown.append(plan.rationale().isBlank() ? "." : ": " + plan.rationale() + ".");
                markdown.append("\n\nI can answer questions about incidents, alerts, hosts, users, events (processes, "
                        + "logons, sign-ins, network, DNS, registry), threat intelligence, ATT&CK and posture, "
                        + "for example:");
                for (String example : examples()) {
                    markdown.append("\n- ").append(example);
                    followUps.add(example);
                }
            }
            case SKILL, QUERY, DIRECT -> {
                boolean headings = results.size() > 1;
                for (int i = 0; i < results.size(); i++) {
                    SkillResult result = results.get(i);
                    if (headings) {
                        markdown.append(i == 0 ? "" : "\n\n").append("### ").append(i + 1).append(". ")
                                .append(title(result.skill())).append("\n\n");
                    }
                    markdown.append(result.markdown());
                    int offset = queryList.size();
                    queryList.addAll(result.queries());
                    tables.addAll(result.tables());
                    charts.addAll(result.charts());
                    for (Evidence e : result.evidence()) {
                        evidence.add(new Evidence(e.claim(), e.refs().stream().map(r -> r.startsWith("query:")
                                ? "query:" + (offset + Integer.parseInt(r.substring(6))) : r).toList()));
                    }
                    for (String f : result.followUps()) {
                        if (!followUps.contains(f) && followUps.size() < 4) {
                            followUps.add(f);
                        }
                    }
                    for (EntityRef s : result.subjects()) {
                        if (!subjects.contains(s)) {
                            subjects.add(s);
                        }
                    }
                }
            }
        }
        return new Answer(prompt, markdown.toString(), plan, queryList, tables, charts, evidence, followUps, log,
                subjects, plannerMicros, totalMicros);
    }

    private String title(String skill) {
        Skill s = skills.get(skill);
        return s == null ? skill : s.spec().description().replaceAll("\\.$", "");
    }

    private List<String> examples() {
        List<String> out = new ArrayList<>();
        java.util.Set<String> categories = new java.util.HashSet<>();
        for (Skill skill : skills.values()) {
            if (!skill.spec().examples().isEmpty() && categories.add(skill.spec().category()) && out.size() < 5
                    && !skill.spec().name().equals(Planner.HUNT)) {
                out.add(skill.spec().examples().get(0));
            }
        }
        return out;
    }
}
