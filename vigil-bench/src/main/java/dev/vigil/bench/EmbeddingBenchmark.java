package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.ai.MiniLmEmbedder;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The in-jar embedding model ({@link MiniLmEmbedder}, all-MiniLM-L6-v2 quantized on ONNX Runtime) as the embedded
 * planner uses it: one analyst prompt at a time.
 *
 * <p>Measured in one process, in this order: the model's load (the first use in the process); single-prompt latency
 * over {@code prompts} distinct analyst-style prompts, each embedded once on an empty cache (uncached), then again
 * (cached); and the throughput of {@link MiniLmEmbedder#embedAll} over the same prompts on another empty cache, as a
 * ratio to embedding them one by one. Latencies are also reported as a ratio to a fixed amount of plain JDK work timed
 * in the same run, SHA-256 over 64 KiB of the prompts' text, so that runs on machines of different speed compare.
 */
public final class EmbeddingBenchmark {
    /** Bytes the baseline hashes. */
    static final int BASELINE_BYTES = 64 << 10;

    /**
     * @param prompts distinct prompts embedded one at a time
     * @param warmup prompts (other than those) embedded first, to warm the JIT and ONNX Runtime
     */
    public record Options(int prompts, int warmup) {}

    /**
     * @param loadMillis the model's load, the first use in this process
     * @param baselineMicros median of SHA-256 over {@link #BASELINE_BYTES} bytes
     * @param uncachedMillis p50, p95, p99 of one prompt on an empty cache
     * @param cachedMicros p50, p95, p99 of the same prompts answered from the cache
     * @param sequentialPerSecond prompts per second embedded one by one, uncached
     * @param batchPerSecond prompts per second through {@code embedAll}, uncached
     */
    public record Report(int prompts, int cores, long loadMillis, double baselineMicros, double[] uncachedMillis,
            double[] cachedMicros, double sequentialPerSecond, double batchPerSecond) {
        /** Uncached p50 in baseline units. */
        public double uncachedP50Ratio() {
            return uncachedMillis[0] * 1000 / baselineMicros;
        }

        /** Cached p50 in baseline units. */
        public double cachedP50Ratio() {
            return cachedMicros[0] / baselineMicros;
        }

        /** Batch throughput over one-by-one throughput. */
        public double batchRatio() {
            return batchPerSecond / sequentialPerSecond;
        }
    }

    private final Options options;
    private final PrintWriter progress;

    public EmbeddingBenchmark(Options options, PrintWriter progress) {
        this.options = requireNonNull(options, "options is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public Report run() {
        long start = System.nanoTime();
        MiniLmEmbedder embedder = new MiniLmEmbedder(MiniLmEmbedder.DEFAULT_CACHE_ENTRIES);
        long firstUse = (System.nanoTime() - start) / 1_000_000;
        long load = MiniLmEmbedder.loadMillis() >= 0 ? MiniLmEmbedder.loadMillis() : firstUse;
        progress.printf(Locale.ROOT, "embedding bench: model loaded in %,d ms%n", load);
        progress.flush();
        List<String> all = prompts(options.prompts() + options.warmup());
        List<String> warmup = all.subList(options.prompts(), all.size());
        List<String> prompts = all.subList(0, options.prompts());
        for (String text : warmup) {
            embedder.embed(text);
        }
        double baseline = baselineMicros(prompts);

        double[] uncached = new double[prompts.size()];
        long sequentialStart = System.nanoTime();
        for (int i = 0; i < prompts.size(); i++) {
            long t = System.nanoTime();
            embedder.embed(prompts.get(i));
            uncached[i] = (System.nanoTime() - t) / 1e6;
        }
        double sequentialSeconds = (System.nanoTime() - sequentialStart) / 1e9;
        progress.printf(Locale.ROOT, "embedding bench: %,d prompts uncached in %.1f s%n", prompts.size(),
                sequentialSeconds);
        progress.flush();
        double[] cached = new double[prompts.size()];
        for (int round = 0; round < 3; round++) { // the first round warms the cache path; the last counts
            for (int i = 0; i < prompts.size(); i++) {
                long t = System.nanoTime();
                embedder.embed(prompts.get(i));
                cached[i] = (System.nanoTime() - t) / 1e3;
            }
        }

        MiniLmEmbedder batchEmbedder = new MiniLmEmbedder(MiniLmEmbedder.DEFAULT_CACHE_ENTRIES);
        long batchStart = System.nanoTime();
        batchEmbedder.embedAll(prompts);
        double batchSeconds = (System.nanoTime() - batchStart) / 1e9;
        progress.printf(Locale.ROOT, "embedding bench: %,d prompts through embedAll in %.1f s%n", prompts.size(),
                batchSeconds);
        progress.flush();
        return new Report(prompts.size(), Runtime.getRuntime().availableProcessors(), load, baseline,
                percentiles(uncached), percentiles(cached), prompts.size() / sequentialSeconds,
                prompts.size() / batchSeconds);
    }

    /** Median of 51 timings of SHA-256 over {@link #BASELINE_BYTES} bytes of the prompts' text, after a warm-up. */
    static double baselineMicros(List<String> prompts) {
        byte[] text = String.join("\n", prompts).getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[BASELINE_BYTES];
        for (int i = 0; i < input.length; i++) {
            input[i] = text[i % text.length];
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte sink = 0;
        for (int i = 0; i < 2_000; i++) {
            sink ^= digest.digest(input)[0];
        }
        double[] times = new double[51];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            sink ^= digest.digest(input)[0];
            times[i] = (System.nanoTime() - t) / 1e3;
        }
        if (sink == 42) {
            System.getProperties().put("vigil.bench.sink", sink); // keeps the work from being optimized away
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    /** p50, p95 and p99 of {@code values}. */
    static double[] percentiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99)};
    }

    private static double at(double[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * quantile) - 1)];
    }

    private static final String[] TEMPLATES = {
        "summarize incident %d",
        "give me an overview of case %d",
        "which processes accessed lsass on %s",
        "show failed logons for %s in the last 24 hours",
        "is %s malicious",
        "what is the reputation of %s",
        "which hosts talked to %s this week",
        "hunt for mimikatz on %s",
        "list the alerts of incident %d with their techniques",
        "who logged on to %s from a new country",
        "show vulnerable software on %s",
        "which users on %s have no MFA",
        "what did %s run after the phishing email",
        "top processes making outbound connections from %s",
        "did anyone run encoded powershell on %s",
        "explain why incident %d was grouped together",
        "isolate %s and reset the password of %s",
        "what changed in scheduled tasks on %s yesterday",
        "DNS queries to rare domains from %s",
        "how many alerts fired for %s since monday",
    };
    private static final String[] HOSTS = {"WKS-0142", "dc01.corp.local", "web-prod-3", "finance-fs", "LAPTOP-ALICE",
        "build-agent-7", "sql02", "jump-host", "mail-gw", "hr-laptop-19"};
    private static final String[] USERS = {"alice", "bob.smith", "svc_backup", "CORP\\admin", "carol@example.com",
        "dave", "eve.j", "frank", "grace.h", "heidi"};
    private static final String[] ADDRESSES = {"203.0.113.7", "198.51.100.23", "evil.example", "10.1.4.20",
        "update-check.example.net", "192.0.2.99", "cdn-login.example.org", "45.33.32.156", "fe80::1", "172.16.8.3"};

    /** {@code count} distinct analyst-style prompts, the same in every run. */
    static List<String> prompts(int count) {
        Set<String> prompts = new LinkedHashSet<>();
        for (int i = 0; prompts.size() < count; i++) {
            String template = TEMPLATES[i % TEMPLATES.length];
            int round = i / TEMPLATES.length;
            String[] pool = switch (i % 3) {
                case 0 -> HOSTS;
                case 1 -> USERS;
                default -> ADDRESSES;
            };
            String subject = template.contains("talked to") || template.contains("malicious")
                    || template.contains("reputation") ? ADDRESSES[round % ADDRESSES.length] : pool[round % pool.length];
            String text = template.contains("%d") ? String.format(Locale.ROOT, template, 100 + i)
                    : template.indexOf("%s") != template.lastIndexOf("%s")
                            ? String.format(Locale.ROOT, template, subject, USERS[(round + 3) % USERS.length])
                            : String.format(Locale.ROOT, template, subject);
            prompts.add(round < 25 ? text : text + " (" + round + ")");
        }
        return new ArrayList<>(prompts);
    }

    /** The report as lines for people. */
    public static String text(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model load (first use in the process)   %,10d ms%n", r.loadMillis()));
        out.append(String.format(Locale.ROOT, "baseline: SHA-256 of 64 KiB (median)    %10.1f us%n",
                r.baselineMicros()));
        out.append(String.format(Locale.ROOT, "one prompt, uncached  p50/p95/p99       %6.2f / %.2f / %.2f ms"
                + "  (p50 = %.1f x baseline)%n", r.uncachedMillis()[0], r.uncachedMillis()[1], r.uncachedMillis()[2],
                r.uncachedP50Ratio()));
        out.append(String.format(Locale.ROOT, "one prompt, cached    p50/p95/p99       %6.2f / %.2f / %.2f us"
                + "  (p50 = %.3f x baseline)%n", r.cachedMicros()[0], r.cachedMicros()[1], r.cachedMicros()[2],
                r.cachedP50Ratio()));
        out.append(String.format(Locale.ROOT, "one by one, uncached                    %,10.0f prompts/s%n",
                r.sequentialPerSecond()));
        out.append(String.format(Locale.ROOT, "embedAll, uncached (%d cores)            %,10.0f prompts/s  (%.2f x one by one)%n",
                r.cores(), r.batchPerSecond(), r.batchRatio()));
        return out.toString();
    }
}
