package dev.vigil.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.vigil.copilot.Embedder;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MiniLmEmbedderTest {
    private static final MiniLmEmbedder EMBEDDER = MiniLmEmbedder.shared();

    private static double similarity(String a, String b) {
        return Embedder.cosine(EMBEDDER.embed(a), EMBEDDER.embed(b));
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void vectorsHave384DimensionsAndUnitLength() {
        assertThat(EMBEDDER.dimensions()).isEqualTo(384);
        assertThat(MiniLmEmbedder.loadMillis()).isGreaterThanOrEqualTo(0);
        for (String text : List.of("summarize incident 12", "x", "Which hosts talked to 203.0.113.7 in the last 24h?",
                "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA ".repeat(200))) {
            float[] vector = EMBEDDER.embed(text);
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedQuestions() {
        assertThat(similarity("summarize incident 12", "give me an overview of case 12"))
                .isGreaterThan(similarity("summarize incident 12", "is this IP malicious"));
        assertThat(similarity("which processes accessed lsass", "procs touching lsass memory"))
                .isGreaterThan(similarity("which processes accessed lsass", "show me vulnerable software"));
    }

    /**
     * Each row: a question, its paraphrase, and an unrelated question that must score lower. The model knows words, not
     * security knowledge: "log4shell" against "CVE-2021-44228" scores 0.21, below an unrelated question (0.29), so
     * aliases such as CVE ids, actor names and technique ids must come from Vigil's knowledge, not from embeddings.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            show failed logons for alice yesterday | which sign-ins by alice failed yesterday | list hosts missing the latest patches
            is 203.0.113.7 malicious | what is the reputation of the IP 203.0.113.7 | who owns the finance file server
            which hosts are vulnerable to log4shell | what machines can be exploited through the log4j flaw | show failed logons for alice yesterday
            hunt for mimikatz on all endpoints | search every device for mimikatz execution | what is the MTTR of last month
            what does APT29 usually do | describe the techniques used by Cozy Bear | how many alerts fired on the web servers
            summarize the phishing incident | give me an overview of the phishing case | export the firewall rules
            which users have no MFA | list accounts without multi-factor authentication | show DNS queries to rare domains
            isolate the compromised laptop | quarantine the infected workstation | what changed in the Sigma rules today
            """)
    void securityVocabulary(String question, String paraphrase, String unrelated) {
        assertThat(similarity(question, paraphrase)).as("%s ~ %s", question, paraphrase)
                .isGreaterThan(similarity(question, unrelated));
    }

    @Test
    void aCacheHitReturnsAnEqualVectorThatTheCallerMayNotCorrupt() {
        MiniLmEmbedder embedder = new MiniLmEmbedder(16);
        float[] first = embedder.embed("list the alerts of incident 7");
        first[0] = 42; // the caller owns its copy
        float[] second = embedder.embed("list the alerts of incident 7");
        assertThat(second).isEqualTo(new MiniLmEmbedder(0).embed("list the alerts of incident 7"));
        assertThat(embedder.cacheStats().hits()).isEqualTo(1);
        assertThat(embedder.cacheStats().misses()).isEqualTo(1);
    }

    @Test
    void theCacheKeepsTheMostRecentlyUsedTexts() {
        MiniLmEmbedder embedder = new MiniLmEmbedder(2);
        embedder.embed("alpha");
        embedder.embed("bravo");
        embedder.embed("alpha"); // hit: bravo is now the eldest
        embedder.embed("charlie"); // evicts bravo
        embedder.embed("alpha");
        assertThat(embedder.cacheStats()).isEqualTo(new MiniLmEmbedder.CacheStats(2, 3, 2, 2));
        embedder.embed("bravo");
        assertThat(embedder.cacheStats().misses()).isEqualTo(4);
    }

    @Test
    void embedAllMatchesEmbedInOrderWithDuplicatesAndCachedTexts() {
        MiniLmEmbedder embedder = new MiniLmEmbedder(1_000);
        embedder.embed("text 3");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // more than one batch
            texts.add("text " + i % 100);
        }
        List<float[]> vectors = embedder.embedAll(texts);
        assertThat(vectors).hasSize(150);
        MiniLmEmbedder uncached = new MiniLmEmbedder(0);
        for (int i : new int[] {0, 3, 63, 64, 99, 100, 149}) {
            assertThat(vectors.get(i)).as("text %d", i).containsExactly(uncached.embed(texts.get(i)), within(1e-6f));
        }
        assertThat(embedder.embedAll(List.of())).isEmpty();
    }

    @Test
    void eightThreadsGetTheSameVectorsAsOne() throws Exception {
        List<String> texts = List.of("which processes accessed lsass", "block the C2 domain evil.example",
                "top talkers to the internet this week", "who approved the firewall change");
        MiniLmEmbedder embedder = new MiniLmEmbedder(0); // every call runs the model
        List<float[]> expected = texts.stream().map(embedder::embed).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit((Callable<List<float[]>>) () -> {
                    start.await();
                    List<float[]> vectors = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        // half the threads embed the same text, the others each a different one
                        vectors.add(embedder.embed(texts.get(thread < 4 ? 0 : thread % texts.size())));
                    }
                    return vectors;
                }));
            }
            start.countDown();
            for (int t = 0; t < 8; t++) {
                for (float[] vector : results.get(t).get()) {
                    assertThat(vector).isEqualTo(expected.get(t < 4 ? 0 : t % texts.size()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // and through the shared cache
        List<Future<float[]>> cached = new ArrayList<>();
        ExecutorService second = Executors.newFixedThreadPool(8);
        try {
            for (int t = 0; t < 64; t++) {
                String text = texts.get(t % texts.size());
                cached.add(second.submit(() -> EMBEDDER.embed(text)));
            }
            for (int t = 0; t < 64; t++) {
                assertThat(cached.get(t).get()).isEqualTo(expected.get(t % texts.size()));
            }
        } finally {
            second.shutdownNow();
        }
    }

    @Test
    void blankTextsAreRefused() {
        assertThatThrownBy(() -> EMBEDDER.embed("  \n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> EMBEDDER.embedAll(List.of("ok", ""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNativeLoadFailureNamesTheProblemAndTheFix() {
        VigilException error = MiniLmEmbedder.unavailable(new ExceptionInInitializerError(new RuntimeException(
                new UnsatisfiedLinkError("no onnxruntime in java.library.path"))));
        assertThat(error.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
        assertThat(error.getMessage()).contains("embedding model", "could not load",
                "UnsatisfiedLinkError: no onnxruntime in java.library.path");
        assertThat(error.fix()).contains("--enable-native-access=ALL-UNNAMED", "java.io.tmpdir", "~/.djl.ai");
    }

    @Test
    void aLinkageErrorWhileEmbeddingBecomesTheSameClearError() {
        EmbeddingModel broken = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                throw new NoClassDefFoundError("Could not initialize class ai.onnxruntime.OnnxRuntime");
            }
        };
        assertThatThrownBy(() -> new MiniLmEmbedder(broken, 10).embed("anything"))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.MODEL_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("ai.onnxruntime.OnnxRuntime");
                });
    }
}
