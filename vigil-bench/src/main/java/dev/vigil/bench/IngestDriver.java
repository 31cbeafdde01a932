package dev.vigil.bench;

import dev.vigil.bench.ServerLoadBenchmark.Errors;
import dev.vigil.bench.ServerLoadBenchmark.Latency;
import dev.vigil.bench.ServerLoadBenchmark.Options;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load benchmark's log shipper: {@link Options#ingestSenders} threads run {@link #send}, each taking the next
 * batch of {@link Options#batchSize} records once the shared {@link TokenBucket} allows it, and posting it as NDJSON
 * until the deadline. A 429 is the server's backpressure: the sender waits its {@code Retry-After} and sends the same
 * batch again (counted in {@link #throttled}, not as an error). Any other status, a timeout or an answer whose counts
 * do not account for every record of the batch is an error, and that batch is not sent again.
 */
final class IngestDriver {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI uri;
    private final String token;
    private final Options options;
    private final LoadRecords records;
    private final long deadline;
    private final Errors errors;
    private final TokenBucket bucket;
    private final AtomicLong sequence = new AtomicLong();
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    private final AtomicLong storedNew = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    /** When the latest answer to an ingest request arrived ({@link System#nanoTime}), 0 before the first. */
    private final AtomicLong lastAnswer = new AtomicLong();

    IngestDriver(HttpClient http, URI uri, String token, Options options, LoadRecords records, long deadline,
            Errors errors) {
        this.http = http;
        this.uri = uri;
        this.token = token;
        this.options = options;
        this.records = records;
        this.deadline = deadline;
        this.errors = errors;
        this.bucket = new TokenBucket(Math.max(1, options.ingestRate()), options.batchSize(), System::nanoTime);
    }

    /** One sender's loop, until the deadline; the batch in flight then is finished, not cut off. */
    void send() {
        StringBuilder body = new StringBuilder(options.batchSize() * 512);
        while (true) {
            long wait = bucket.reserve(options.batchSize());
            if (System.nanoTime() + wait >= deadline) {
                return;
            }
            if (!sleep(wait)) {
                return;
            }
            body.setLength(0);
            records.append(body, sequence.getAndAdd(options.batchSize()), options.batchSize());
            byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (!post(bytes)) {
                return;
            }
        }
    }

    /** Posts one batch until it is answered; false when the deadline passed while waiting out a 429. */
    private boolean post(byte[] bytes) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(options.requestTimeout())
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        while (true) {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                fail("ingest: no answer within " + options.requestTimeout().toSeconds() + " s");
                return true;
            } catch (IOException e) {
                fail("ingest: " + e);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            requests.incrementAndGet();
            long answered = System.nanoTime();
            lastAnswer.accumulateAndGet(answered, Math::max);
            latencies.add((answered - start) / 1e6);
            if (response.statusCode() == 429) {
                throttled.incrementAndGet();
                long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
                long wait = TimeUnit.SECONDS.toNanos(Math.max(1, seconds));
                if (System.nanoTime() + wait >= deadline || !sleep(wait)) {
                    return false;
                }
                continue;
            }
            if (response.statusCode() != 200) {
                fail("ingest: HTTP " + response.statusCode() + " " + ServerLoadBenchmark.cut(response.body()));
                return true;
            }
            JsonNode json = JSON.readTree(response.body());
            long accepted = json.path("accepted").asLong(-1);
            long quarantine = json.path("quarantined").asLong(-1);
            if (accepted < 0 || quarantine < 0 || accepted + quarantine != options.batchSize()) {
                fail("ingest: the answer does not account for the " + options.batchSize() + " records sent: "
                        + ServerLoadBenchmark.cut(response.body()));
                return true;
            }
            if (quarantine > 0) {
                fail("ingest: " + quarantine + " records quarantined: "
                        + ServerLoadBenchmark.cut(json.path("quarantined_by_reason").toString()));
            }
            acknowledged.addAndGet(accepted);
            storedNew.addAndGet(json.path("stored_new").asLong());
            quarantined.addAndGet(quarantine);
            return true;
        }
    }

    private void fail(String message) {
        failed.incrementAndGet();
        errors.add(message);
    }

    private static boolean sleep(long nanos) {
        if (nanos <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * How long ingest ran from {@code start}: until its last answer. The senders stop at the deadline, while asks in
     * flight then may go on for seconds: dividing ingest by the whole loaded phase would count that tail, when no
     * record was sent, against it.
     */
    long span(long start) {
        long last = lastAnswer.get();
        return last == 0 ? 0 : last - start;
    }

    /** The figures once every sender stopped, {@code nanos} (its {@link #span}) after the loaded phase began. */
    ServerLoadBenchmark.Ingest figures(long nanos) {
        double seconds = nanos / 1e9;
        double achieved = seconds == 0 ? 0 : acknowledged.get() / seconds;
        List<Double> copy;
        synchronized (latencies) {
            copy = List.copyOf(latencies);
        }
        return new ServerLoadBenchmark.Ingest(options.ingestRate(), options.batchSize(), options.ingestSenders(),
                requests.get(), acknowledged.get(), storedNew.get(), quarantined.get(), seconds, achieved,
                options.ingestRate() > 0 && achieved >= ServerLoadBenchmark.SUSTAINED * options.ingestRate(),
                throttled.get(), failed.get(), Latency.of(copy));
    }
}
