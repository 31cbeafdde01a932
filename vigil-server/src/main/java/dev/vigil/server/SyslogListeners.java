package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.config.VigilConfig;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.LineRecordReader;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.OctetCountingRecordReader;
import dev.vigil.ingest.RawRecord;
import dev.vigil.ingest.RecordReader;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog listeners of {@code vigil serve}, one per {@code server.syslog.listeners} entry ({@code udp:5514=acme,
 * tcp:6514=globex}): each port feeds one tenant. TCP takes RFC 6587 framing, octet-counting or newline, recognized
 * per connection from its first byte; UDP takes one message per datagram. Messages go through the same pipeline as
 * {@code vigil ingest} (format recognized as for a file: syslog RFC 3164/5424, CEF or LEEF inside it): each tenant's
 * messages are gathered for at most a second (or {@link #BATCH_RECORDS}) and then ingested and committed in one short
 * turn on the tenant's store, so listeners never hold a store while they wait for the network.
 *
 * <p>Syslog has no acknowledgement: what is gathered and not yet committed is lost if the server dies (at most a
 * second). A TCP sender that outpaces the store waits (its reads stop, so TCP slows it down); UDP cannot wait, so
 * datagrams beyond {@link #MAX_PENDING} gathered records are dropped and counted in the log.
 */
final class SyslogListeners implements AutoCloseable {
    static final int BATCH_RECORDS = 10_000;
    static final int MAX_PENDING = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(SyslogListeners.class);
    private static final Pattern ENTRY = Pattern.compile("\\s*(udp|tcp):(\\d{1,5})\\s*=\\s*(\\S+)\\s*");

    /** One listener: protocol, port (0 for any free one) and the tenant it feeds. */
    record Listener(String protocol, int port, TenantId tenant) {
        Listener {
            requireNonNull(protocol, "protocol is null");
            requireNonNull(tenant, "tenant is null");
        }
    }

    private final VigilConfig config;
    private final TenantStores stores;
    private final Clock clock;
    private final Map<TenantId, Inbox> inboxes = new LinkedHashMap<>();
    private final List<AutoCloseable> sockets = new CopyOnWriteArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** Built once: it parses normalization.yaml, and is immutable once built. */
    private final Normalizer normalizer;
    private volatile boolean closed;

    private final Detections detections;
    /** In scale mode, the raw topic the messages go to instead of the tenant's store; null in embedded mode. */
    private final ScaleMode scale;

    private SyslogListeners(VigilConfig config, TenantStores stores, Clock clock, ScaleMode scale) {
        this.config = config;
        this.stores = stores;
        this.clock = clock;
        this.normalizer = Normalizer.standard(clock);
        this.detections = new Detections(config, stores, clock);
        this.scale = scale;
    }

    /** Parses {@code PROTOCOL:PORT=TENANT[,...]}, with errors that name the entry. */
    static List<Listener> parse(String text) {
        List<Listener> listeners = new ArrayList<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry.toLowerCase(Locale.ROOT));
            if (!m.matches() || Integer.parseInt(m.group(2)) > 65_535) {
                throw new VigilException(ErrorCode.CONFIG_INVALID, "server.syslog.listeners: '" + entry.strip()
                        + "' is not udp:PORT=TENANT or tcp:PORT=TENANT", "Write e.g. udp:5514=acme,tcp:6514=acme",
                        null);
            }
            listeners.add(new Listener(m.group(1), Integer.parseInt(m.group(2)), TenantId.of(m.group(3))));
        }
        return listeners;
    }

    /** Binds every listener on the address and starts serving; a port that cannot be bound fails the start. */
    static SyslogListeners start(List<Listener> listeners, String host, VigilConfig config, TenantStores stores,
            Clock clock) {
        return start(listeners, host, config, stores, clock, null);
    }

    /**
     * As {@link #start(List, String, VigilConfig, TenantStores, Clock)}; in scale mode ({@code scale} not null) each
     * gathered batch goes to the raw topic instead, and a batch the brokers do not acknowledge is kept and sent again
     * (TCP senders wait meanwhile, as when the store is slow).
     */
    static SyslogListeners start(List<Listener> listeners, String host, VigilConfig config, TenantStores stores,
            Clock clock, ScaleMode scale) {
        SyslogListeners started = new SyslogListeners(config, stores, clock, scale);
        try {
            for (Listener listener : listeners) {
                started.bind(listener, host);
            }
        } catch (IOException e) {
            started.close();
            throw new VigilException(ErrorCode.CONFIG_INVALID, "cannot listen for syslog on " + host + ": "
                    + e.getMessage(), "Pick free ports in server.syslog.listeners (ports below 1024 need"
                    + " privileges; 5514 and 6514 do not)", e);
        }
        return started;
    }

    /** The ports bound, in the order of the listeners. */
    List<Integer> ports() {
        return List.copyOf(ports);
    }

    private void bind(Listener listener, String host) throws IOException {
        Inbox inbox = inboxes.computeIfAbsent(listener.tenant(), Inbox::new);
        InetAddress address = InetAddress.getByName(host);
        if (listener.protocol().equals("udp")) {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, listener.port()));
            socket.setReceiveBufferSize(4 << 20);
            sockets.add(socket);
            ports.add(socket.getLocalPort());
            Thread.ofPlatform().daemon().name("vigil-syslog-udp-" + socket.getLocalPort()).start(() -> receive(socket,
                    inbox));
        } else {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(address, listener.port()));
            sockets.add(server);
            ports.add(server.getLocalPort());
            Thread.ofPlatform().daemon().name("vigil-syslog-tcp-" + server.getLocalPort()).start(() -> accept(server,
                    inbox));
        }
        if (inbox.flusher == null) {
            inbox.flusher = Thread.ofVirtual().name("vigil-syslog-flush-" + listener.tenant()).start(inbox::flushLoop);
        }
    }

    private void receive(DatagramSocket socket, Inbox inbox) {
        byte[] buffer = new byte[65_535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("syslog UDP listener on port {} failed: {}", socket.getLocalPort(), e.toString());
                }
                return;
            }
            byte[] message = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset()
                    + packet.getLength());
            int end = message.length;
            while (end > 0 && (message[end - 1] == '\n' || message[end - 1] == '\r' || message[end - 1] == 0)) {
                end--;
            }
            if (end > 0) {
                inbox.offer(java.util.Arrays.copyOf(message, end), false);
            }
        }
    }

    private void accept(ServerSocket server, Inbox inbox) {
        while (!closed) {
            Socket connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("syslog TCP listener on port {} failed: {}", server.getLocalPort(), e.toString());
                }
                return;
            }
            sockets.add(connection);
            Thread.ofVirtual().name("vigil-syslog-tcp-connection").start(() -> read(connection, inbox));
        }
    }

    /** One TCP connection: octet-counted frames when it starts with a digit, else lines. */
    private void read(Socket connection, Inbox inbox) {
        String source = "syslog-tcp:" + connection.getRemoteSocketAddress();
        int max = config.ingestLimits().maxRecordBytes();
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream())) {
            in.mark(1);
            int first = in.read();
            in.reset();
            if (first < 0) {
                return;
            }
            RecordReader reader = first >= '0' && first <= '9' ? new OctetCountingRecordReader(in, source, max)
                    : new LineRecordReader(in, source, max);
            try (reader) {
                while (!closed) {
                    RawRecord record;
                    try {
                        record = reader.next();
                    } catch (RecordReader.Oversized oversized) {
                        // handed on one byte over the limit, so the pipeline quarantines it as too large, with its
                        // first bytes, as vigil ingest does
                        byte[] prefix = oversized.prefix().bytes();
                        byte[] over = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                        over[prefix.length] = ' ';
                        inbox.offer(over, true);
                        continue;
                    }
                    if (record == null) {
                        return;
                    }
                    if (record.length() > 0) {
                        inbox.offer(record.bytes(), true);
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.info("syslog TCP connection from {} ended: {}", connection.getRemoteSocketAddress(), e.toString());
            }
        } finally {
            sockets.remove(connection);
        }
    }

    /** One tenant's gathered messages, committed at least every second. */
    private final class Inbox {
        final TenantId tenant;
        final List<byte[]> pending = new ArrayList<>();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong stored = new AtomicLong();
        Thread flusher;

        Inbox(TenantId tenant) {
            this.tenant = tenant;
        }

        /** Adds a message; a TCP reader waits while too many are pending, a UDP one drops it. */
        synchronized void offer(byte[] message, boolean wait) {
            while (pending.size() >= MAX_PENDING) {
                if (!wait || closed) {
                    dropped.incrementAndGet();
                    return;
                }
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            pending.add(message);
            if (pending.size() >= BATCH_RECORDS) {
                notifyAll();
            }
        }

        private synchronized List<byte[]> take() throws InterruptedException {
            if (pending.size() < BATCH_RECORDS) {
                wait(1_000);
            }
            List<byte[]> batch = new ArrayList<>(pending);
            pending.clear();
            notifyAll();
            return batch;
        }

        void flushLoop() {
            while (!closed) {
                List<byte[]> batch = List.of();
                try {
                    batch = take();
                    flush(batch);
                } catch (InterruptedException e) {
                    return;
                } catch (VigilException e) {
                    if (e.code() != ErrorCode.BROKER_UNAVAILABLE) {
                        LOG.error("syslog messages of tenant {} could not be stored", tenant, e);
                        continue;
                    }
                    // kept, not lost: sent again once a broker answers; TCP senders wait while too many are kept
                    LOG.warn("{} syslog messages of tenant {} wait for Kafka: {}", batch.size(), tenant,
                            e.getMessage());
                    synchronized (this) {
                        pending.addAll(0, batch);
                    }
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                } catch (RuntimeException e) {
                    LOG.error("syslog messages of tenant {} could not be stored", tenant, e);
                }
            }
        }

        /** Ingests the messages, re-framed with octet counting so a message may hold line breaks. */
        void flush(List<byte[]> batch) {
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                LOG.warn("{} syslog datagrams for tenant {} were dropped: the store could not keep up", lost, tenant);
            }
            if (batch.isEmpty()) {
                return;
            }
            ByteArrayOutputStream framed = new ByteArrayOutputStream();
            for (byte[] message : batch) {
                framed.writeBytes((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                framed.writeBytes(message);
            }
            byte[] bytes = framed.toByteArray();
            if (scale != null) {
                stored.addAndGet(scale.send(tenant, Format.AUTO, "Syslog", "syslog", bytes).read());
                return;
            }
            Detections.Run detection = detections.open(tenant);
            IngestSummary summary = new Ingestor(new Ingestor.Options(tenant, Format.AUTO, "Syslog",
                    config.ingestLimits(), config.defaultZone()), normalizer, new IngestApi.GroupCommitted(stores,
                    tenant, detection), Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(bytes))
                    .ingest(List.of("-"));
            detection.finish();
            stored.addAndGet(summary.stored());
        }
    }

    /** Records stored from the tenant's listeners so far. */
    long stored(TenantId tenant) {
        Inbox inbox = inboxes.get(tenant);
        return inbox == null ? 0 : inbox.stored.get();
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable socket : sockets) {
            try {
                socket.close();
            } catch (Exception e) {
                // closing: nothing more to do
            }
        }
        for (Inbox inbox : inboxes.values()) {
            if (inbox.flusher != null) {
                synchronized (inbox) {
                    inbox.notifyAll();
                }
                try {
                    inbox.flusher.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // what was gathered since the last flush is committed before the stores close
                List<byte[]> rest;
                synchronized (inbox) {
                    rest = new ArrayList<>(inbox.pending);
                    inbox.pending.clear();
                }
                try {
                    inbox.flush(rest);
                } catch (RuntimeException e) {
                    LOG.error("the last syslog messages of tenant {} could not be stored", inbox.tenant, e);
                }
            }
        }
    }
}
