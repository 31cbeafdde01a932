package dev.vigil.server;

import dev.vigil.ai.MiniLmEmbedder;
import dev.vigil.copilot.Embedder;
import dev.vigil.model.VigilException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedding model the copilot ranks skills with, as the server supplies it: the process's one
 * {@link MiniLmEmbedder}, loaded on the first copilot request and shared by every tenant's copilot (the model holds no
 * tenant data; its cache maps skill examples and prompts to vectors). When the model cannot load, the copilot ranks
 * skills by word overlap, as {@code vigil ask --no-model} does; the warning is logged once and loading is not tried
 * again.
 */
final class ModelEmbedder implements Supplier<Optional<Embedder>> {
    private static final Logger LOG = LoggerFactory.getLogger(ModelEmbedder.class);

    private final ReentrantLock lock = new ReentrantLock();
    private volatile Optional<Embedder> loaded;

    @Override
    public Optional<Embedder> get() {
        Optional<Embedder> known = loaded;
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (loaded == null) {
                loaded = load();
            }
            return loaded;
        } finally {
            lock.unlock();
        }
    }

    private static Optional<Embedder> load() {
        try {
            MiniLmEmbedder embedder = MiniLmEmbedder.shared();
            // the native libraries may load and still fail on the first text; find out now, not mid-answer
            embedder.embed("warm up");
            LOG.info("copilot embedding model loaded in {} ms", MiniLmEmbedder.loadMillis());
            return Optional.of(embedder);
        } catch (VigilException e) {
            LOG.warn("{}; the copilot ranks skills by word overlap instead. {}", e.getMessage(), e.fix());
            return Optional.empty();
        }
    }
}
