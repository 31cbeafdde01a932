package dev.vigil.ingest;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.Event;
import dev.vigil.model.QuarantineReason;
import dev.vigil.model.QuarantinedRecord;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads sources, parses and normalizes their records, and hands them to an {@link EventSink} in batches, counting a
 * record as stored or quarantined only once the sink has made its batch durable.
 *
 * <p>Two threads share the work: a producer reads, parses and normalizes, and the calling thread commits batches to
 * the sink, so that the store's connection stays confined to the caller. A bounded queue of two batches between
 * them holds the producer back when the store is slower (backpressure), so memory stays bounded by the batch size
 * whatever the input's size. Batches are committed together once {@code ingest.commit-records} records are pending
 * or two seconds have passed, whichever comes first, and at the end.
 *
 * <p>A record that cannot be parsed is quarantined with its reason and position; a source that breaks off (a
 * truncated archive) is reported in {@link IngestSummary#failedSources()} after what was read of it has been kept;
 * an error of the sink stops the run, with nothing of the failed batch acknowledged.
 */
public final class Ingestor {
    /** Commit at least this often, so that a slow stream is acknowledged within seconds. */
    private static final long COMMIT_INTERVAL_NANOS = 2_000_000_000L;
    private static final long BATCH_AGE_NANOS = 1_000_000_000L;
    private static final int SAMPLE_LIMIT = 10;

    /** Ingest settings for one run. */
    public record Options(TenantId tenant, Format format, String defaultTable, IngestLimits limits, ZoneId defaultZone) {
        public Options {
            requireNonNull(tenant, "tenant is null");
            requireNonNull(format, "format is null");
            requireNonNull(defaultTable, "defaultTable is null");
            requireNonNull(limits, "limits is null");
            requireNonNull(defaultZone, "defaultZone is null");
            if (!JsonShapes.isTableName(defaultTable)) {
                throw new VigilException(ErrorCode.USAGE, "invalid table name '" + defaultTable
                        + "'", "Use a name of letters, digits and '_' that starts with a letter, e.g. MyAppLog.", null);
            }
        }
    }

    /** Told about the run's progress after every commit and at every new source. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(Progress progress);

        ProgressListener NONE = progress -> { };
    }

    /** Acknowledged counts so far, and the source being read. */
    public record Progress(long read, long stored, long quarantined, int sources, String currentSource, double seconds) {}

    private final Options options;
    private final Normalizer normalizer;
    private final EventSink sink;
    private final ProgressListener listener;
    private final Clock clock;
    private final InputStream stdin;

    public Ingestor(Options options, Normalizer normalizer, EventSink sink, ProgressListener listener, Clock clock,
            InputStream stdin) {
        this.options = requireNonNull(options, "options is null");
        this.normalizer = requireNonNull(normalizer, "normalizer is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.stdin = requireNonNull(stdin, "stdin is null");
    }

    public IngestSummary ingest(List<String> paths) {
        Inputs.checkExist(paths);
        long startNanos = System.nanoTime();
        Run run = new Run(startNanos);
        BlockingQueue<EventSink.Batch> queue = new ArrayBlockingQueue<>(2);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Producer producer = new Producer(run, queue);
        Thread thread = Thread.ofPlatform().name("vigil-ingest-parse").daemon().start(() -> {
            try {
                producer.produce(paths);
            } catch (Throwable e) {
                producerFailure.set(e);
            } finally {
                try {
                    queue.put(END);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            List<EventSink.Batch> pending = new ArrayList<>();
            List<EventSink.Result> pendingResults = new ArrayList<>();
            long pendingRecords = 0;
            long lastCommit = System.nanoTime();
            while (true) {
                EventSink.Batch batch = queue.poll(COMMIT_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
                boolean end = batch == END;
                if (batch != null && !end) {
                    pending.add(batch);
                    pendingResults.add(sink.append(batch));
                    pendingRecords += batch.size();
                }
                boolean due = pendingRecords >= options.limits().commitRecords()
                        || System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS;
                if (!pending.isEmpty() && (end || due)) {
                    sink.commit();
                    for (int i = 0; i < pending.size(); i++) {
                        run.acknowledge(pending.get(i), pendingResults.get(i));
                    }
                    pending.clear();
                    pendingResults.clear();
                    pendingRecords = 0;
                    lastCommit = System.nanoTime();
                    listener.progress(run.progress(producer.currentSource));
                }
                if (end) {
                    break;
                }
            }
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new VigilException(ErrorCode.INTERRUPTED, "ingest was interrupted after " + run.read + " records");
        } catch (RuntimeException e) {
            thread.interrupt();
            throw e;
        }
        Throwable failure = producerFailure.get();
        if (failure instanceof VigilException vigil) {
            throw vigil;
        } else if (failure != null) {
            throw new VigilException(ErrorCode.INTERNAL, "ingest failed: " + failure, failure);
        }
        return run.summary(producer.sources, (System.nanoTime() - startNanos) / 1e9);
    }

    private static final EventSink.Batch END = new EventSink.Batch(List.of(), List.of());

    /** Acknowledged counts: touched only by the committing thread, read for progress. */
    private final class Run {
        final long startNanos;
        long read;
        long storedNew;
        long alreadyStored;
        long quarantined;
        final Map<String, Long> byReason = new TreeMap<>();
        final Map<String, Long> tables = new TreeMap<>();
        final List<String> samples = new ArrayList<>();
        final List<IngestSummary.Skipped> skipped = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<IngestSummary.Skipped> failed = java.util.Collections.synchronizedList(new ArrayList<>());

        Run(long startNanos) {
            this.startNanos = startNanos;
        }

        void acknowledge(EventSink.Batch batch, EventSink.Result result) {
            read += batch.size();
            storedNew += result.storedNew();
            alreadyStored += result.alreadyStored();
            quarantined += batch.quarantined().size();
            for (Event event : batch.events()) {
                tables.merge(event.table(), 1L, Long::sum);
            }
            for (QuarantinedRecord record : batch.quarantined()) {
                byReason.merge(record.reason().id(), 1L, Long::sum);
                if (samples.size() < SAMPLE_LIMIT) {
                    samples.add(record.describe());
                }
            }
        }

        Progress progress(String currentSource) {
            return new Progress(read, storedNew + alreadyStored, quarantined, 0, currentSource,
                    (System.nanoTime() - startNanos) / 1e9);
        }

        IngestSummary summary(int sources, double seconds) {
            return new IngestSummary(read, storedNew + alreadyStored, storedNew, alreadyStored, quarantined, byReason,
                    tables, sources, samples, skipped, failed, seconds);
        }
    }

    /** Reads, parses and normalizes on its own thread; hands full batches over the queue. */
    private final class Producer {
        final Run run;
        final BlockingQueue<EventSink.Batch> queue;
        final JsonShapes shapes;
        final JsonRecordParser jsonParser;
        final SourceSplitter splitter;
        volatile String currentSource = "";
        int sources;
        List<Event> events = new ArrayList<>();
        List<QuarantinedRecord> quarantined = new ArrayList<>();
        long batchBytes;
        /** When the current batch began: a slow stream's records go to the store within a second, not a batch. */
        long batchStarted = System.nanoTime();

        Producer(Run run, BlockingQueue<EventSink.Batch> queue) {
            this.run = run;
            this.queue = queue;
            this.shapes = new JsonShapes(options.defaultTable(),
                    options.format().isJson() ? options.format().jsonShape() : JsonShape.AUTO);
            this.jsonParser = new JsonRecordParser(options.limits(), shapes);
            this.splitter = new SourceSplitter(options.format(), options.defaultTable(), options.limits(),
                    options.defaultZone());
        }

        void produce(List<String> paths) throws IOException, InterruptedException {
            Inputs inputs = new Inputs((name, reason) -> run.skipped.add(new IngestSummary.Skipped(name, reason)), stdin);
            try {
                inputs.walk(paths, this::readSource);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (InterruptedIOWrapper e) {
                throw e.interrupted;
            }
            flush();
        }

        private void readSource(String name, InputStream in) {
            sources++;
            currentSource = name;
            listener.progress(new Progress(run.read, run.storedNew + run.alreadyStored, run.quarantined, sources, name,
                    (System.nanoTime() - run.startNanos) / 1e9));
            Occurrences occurrences = new Occurrences();
            try {
                switch (splitter.open(name, in)) {
                    case SourceSplitter.Skipped skipped -> run.skipped.add(new IngestSummary.Skipped(name,
                            skipped.reason()));
                    case SourceSplitter.Refused refused -> quarantine(refused.prefix(), refused.reason(),
                            refused.detail(), refused.fullLength(), new Occurrences());
                    case SourceSplitter.Split split -> {
                        try (split) {
                            RecordParser parser = split.spec() instanceof ParserSpec.Json ? jsonParser
                                    : split.parser(options.limits(), clock);
                            read(split.reader(), parser, occurrences);
                        }
                    }
                }
            } catch (IOException e) {
                run.failed.add(new IngestSummary.Skipped(name, describe(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOWrapper(e);
            }
        }

        private void read(RecordReader reader, RecordParser parser, Occurrences occurrences)
                throws IOException, InterruptedException {
            while (true) {
                RawRecord record;
                try {
                    record = reader.next();
                } catch (RecordReader.Oversized oversized) {
                    quarantine(oversized.prefix(), QuarantineReason.RECORD_TOO_LARGE,
                            RecordParsing.tooLarge(oversized.fullLength(), options.limits()), oversized.fullLength(),
                            occurrences);
                    continue;
                }
                if (record == null) {
                    break;
                }
                handle(record, parser, occurrences);
            }
        }

        private void handle(RawRecord record, RecordParser parser, Occurrences occurrences)
                throws InterruptedException {
            ParsedRecord parsed;
            try {
                parsed = RecordParsing.parse(record, parser);
            } catch (RecordRejectedException e) {
                quarantine(record, e.reason(), e.detail(), record.length(), occurrences);
                return;
            }
            int occurrence = occurrences.next(record.bytes());
            events.add(normalizer.normalize(options.tenant(), record, parsed, occurrence));
            batchBytes += record.length();
            if (events.size() + quarantined.size() >= options.limits().batchSize()
                    || batchBytes >= options.limits().maxBatchBytes()
                    || System.nanoTime() - batchStarted >= BATCH_AGE_NANOS) {
                flush();
            }
        }

        private void quarantine(RawRecord record, QuarantineReason reason, String detail, long fullLength,
                Occurrences occurrences) throws InterruptedException {
            int occurrence = occurrences.nextRefused(record.bytes(), fullLength);
            quarantined.add(QuarantinedRecord.of(options.tenant(), record.position(), reason, detail, record.bytes(),
                    fullLength, occurrence));
            batchBytes += record.length();
            if (events.size() + quarantined.size() >= options.limits().batchSize()
                    || batchBytes >= options.limits().maxBatchBytes()
                    || System.nanoTime() - batchStarted >= BATCH_AGE_NANOS) {
                flush();
            }
        }

        private void flush() throws InterruptedException {
            if (events.isEmpty() && quarantined.isEmpty()) {
                return;
            }
            queue.put(new EventSink.Batch(events, quarantined));
            batchBytes = 0;
            batchStarted = System.nanoTime();
            events = new ArrayList<>(Math.min(options.limits().batchSize(), 1 << 16));
            quarantined = new ArrayList<>();
        }

    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Carries an interruption through the visitor interface, which only throws IOException. */
    private static final class InterruptedIOWrapper extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient InterruptedException interrupted;

        InterruptedIOWrapper(InterruptedException interrupted) {
            super(interrupted);
            this.interrupted = interrupted;
        }
    }
}
