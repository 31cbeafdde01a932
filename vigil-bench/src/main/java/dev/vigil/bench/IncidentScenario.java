package dev.vigil.bench;

import static java.util.Objects.requireNonNull;

import dev.vigil.incident.EntityKey;
import dev.vigil.incident.Prevalence;
import dev.vigil.model.Alert;
import dev.vigil.model.CommonColumn;
import dev.vigil.model.Event;
import dev.vigil.model.EventId;
import dev.vigil.model.SourcePosition;
import dev.vigil.model.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A generated organization under attack, with the truth of which alerts belong together. Seeded: the same shape gives
 * the same alerts.
 *
 * <p><b>The organization.</b> {@code hosts} machines, a tenth of them servers (among them two domain controllers, a
 * file server, a software-distribution server and an administrators' jump host), the rest workstations; each host has
 * its own address. {@code users} accounts, each with a primary workstation (so a workstation has a few users). Shared
 * infrastructure: a web proxy and two DNS servers every host talks to, a vulnerability scanner that touches every
 * host, four widely used administrative and service accounts, and 200 popular software binaries (hashes) found on
 * many hosts. The prevalence baseline is built from a simulated week of this normal activity ({@link #baseline()}),
 * not from the alerts.
 *
 * <p><b>Attacks.</b> Each attack starts at a uniformly random time of its day, on a random workstation, as one of that
 * workstation's users, and spreads by lateral movement to 0 to 5 further hosts (servers now and then), each reached
 * from a host already compromised. It has its own command-and-control address and domain and its own payload and tool
 * hashes. The account it moves with is the first victim's (half the attacks), one of the widely used administrative
 * accounts (three in ten: attackers favour them, and they are common), or another user's (the rest). On each host it
 * raises 1 to 5 alerts after the one for the way in: execution, defense evasion, discovery, credential access,
 * persistence and command-and-control techniques, minutes apart (exponential, mean 15 minutes); moving to the next
 * host takes 40 minutes on average, and a quarter of the moves follow a dwell of 3 to 16 hours. A third of attacks
 * end with exfiltration or impact. An alert's level is its technique's (credential theft, exfiltration and impact
 * high, discovery low, the rest medium), the same for a benign firing. Alerts carry what their telemetry would: host
 * always; the user in most; the process instance (and its parent's, for a child process) in most process alerts; the
 * payload hash, the C2 address or domain, the source address of a remote logon, the proxy as the destination of web
 * traffic, each with its own probability. Nothing in the generator looks at how the correlator decides. A lateral
 * alert names its source address four times in five, an attack's and a benign remote administration's alike; about
 * one lateral hop in twelve leaves no thread in the alerts at all (no source address, a common or another user's
 * account, a new process, no artefact seen before), so the truth joins alerts that only the events can join.
 *
 * <p><b>Telemetry of remote entries.</b> Every remote entry into a machine leaves the events a real one does, by one
 * rule whoever makes it (an attack's hop, an administrator from the jump host, a deployment, a user opening a share,
 * the scanner's authenticated scan), seconds (up to a minute) before the alert it may raise: on the machine entered, a
 * Security 4624 logon of type 3 (type 10 for RDP) naming the account and the source address (and the source's name
 * half the time, as NTLM does), present nine times in ten (audit gaps, lost events); on the source machine, a Sysmon 3
 * connection it initiated to the target's address and the port of the technique (SMB 445 for shares, services and
 * deployment, RPC 135 for WMI, WinRM 5985, RDP 3389), present seven times in ten (Sysmon is not everywhere); the
 * scanner, an appliance, leaves only the logon. Besides those that raise alerts: every server takes network logons
 * from its users' workstations, 20 an hour (each user has one department server besides the domain controllers and file
 * server, and logs on to it from their own workstation; the baseline counts these logons too); an administrator's
 * session from the jump host reaches each server twice a day and a workstation once in ten days; the deployment
 * server reaches every host once a day, and the scanner every host once a day. These rates are assumptions, not
 * measurements: a busy server sees more logons a minute, so a source looked up there is shared among more machines.
 * The telemetry goes to the consumer given at construction; the alerts do not depend on it.
 *
 * <p><b>Benign alerts.</b> {@code benignPerHostPerDay} alerts per host per day (a quarter by default: 125 a day for
 * 500 hosts), each its own incident in the truth: administrators' scripts and remote administration (from the jump
 * host, with an administrative account), the scanner's probes, software deployment (the distribution server's
 * account and a popular hash), users' downloads and tools. Uniformly over the day, on random hosts (servers three times
 * as often), so some land on a host an attack is working on at the time: those are the honest confusions.
 */
final class IncidentScenario {
    private static final TenantId TENANT = TenantId.of("bench");
    private static final long MINUTE = 60_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    /** 2026-03-02T00:00Z in microseconds. */
    static final long EPOCH = 1_772_409_600_000_000L;

    private static final String[] ADMINS = {"CORP\\adm-helpdesk", "CORP\\adm-servers", "CORP\\svc-backup",
            "CORP\\svc-deploy"};
    private static final String PROXY = "10.250.0.10";
    private static final String[] DNS = {"10.250.0.53", "10.250.0.54"};
    private static final String SCANNER = "10.250.0.99";
    private static final String[] POPULAR_DOMAINS = {"login.microsoftonline.com", "www.google.com",
            "update.googleapis.com", "github.com", "zoom.us", "slack.com", "outlook.office365.com",
            "download.windowsupdate.com", "www.dropbox.com", "cdn.jsdelivr.net"};

    /**
     * @param hosts machines in the organization
     * @param users accounts
     * @param attacksPerDay attacks starting each day
     * @param benignPerHostPerDay benign alerts per host per day
     * @param seed the random seed
     */
    record Shape(int hosts, int users, int attacksPerDay, double benignPerHostPerDay, long seed) {
        Shape {
            if (hosts < 50 || users < 1 || attacksPerDay < 0 || benignPerHostPerDay < 0) {
                throw new IllegalArgumentException("at least 50 hosts and 1 user, no negative rates: " + hosts + ", "
                        + users + ", " + attacksPerDay + ", " + benignPerHostPerDay);
            }
        }

        /** 500 hosts, 2,000 users, 25 attacks a day, a quarter of a benign alert per host per day. */
        static Shape standard(long seed) {
            return new Shape(500, 2000, 25, 0.25, seed);
        }

        /**
         * 500 hosts under 5 attacks a day: a busy SOC's load, where attacks rarely meet on one host within hours.
         * Run over more days, so that the attacks add up to the standard scenario's count.
         */
        static Shape busy(long seed) {
            return new Shape(500, 2000, 5, 0.25, seed);
        }

        /** The same attacks in an organization ten times the size: 5,000 hosts, 20,000 users. */
        static Shape sparse(long seed) {
            return new Shape(5000, 20_000, 25, 0.25, seed);
        }
    }

    /** An alert and the incident it truly belongs to (an attack's number, or its own for a benign alert). */
    record Labelled(Alert alert, long truth, boolean attack) {}

    private final Shape shape;
    private final SplittableRandom random;
    private final String[] hostNames;
    private final String[] hostIps;
    private final String[] userNames;
    private final int[] primaryHost;
    private final List<List<Integer>> usersOf;
    /** Per server, the users whose department server it is (they open its shares and applications). */
    private final List<List<Integer>> clienteleOf;
    private final String[] popularHashes;
    private final int servers;
    private final int dc1;
    private final int dc2;
    private final int fileServer;
    private final int deployServer;
    private final int jumpHost;
    private final Consumer<Event> telemetry;
    /** Draws for the telemetry only, so that the alerts are the same with or without it. */
    private final SplittableRandom noise;
    private long nextEvent = 1;
    private final PriorityQueue<Labelled> pending = new PriorityQueue<>(
            Comparator.comparingLong((Labelled l) -> l.alert().timeMicros()).thenComparing(l -> l.alert().id()));
    private long nextTruth = 1;
    private long nextAlert = 1;
    private int nextDay;

    IncidentScenario(Shape shape) {
        this(shape, event -> { });
    }

    /** @param telemetry takes the events of remote entries (logons, connections) as they are generated */
    IncidentScenario(Shape shape, Consumer<Event> telemetry) {
        this.shape = requireNonNull(shape, "shape is null");
        this.telemetry = requireNonNull(telemetry, "telemetry is null");
        this.random = new SplittableRandom(shape.seed());
        this.noise = new SplittableRandom(shape.seed() ^ 0x7e1e_3e7bL);
        int hosts = shape.hosts();
        servers = Math.max(8, hosts / 10);
        hostNames = new String[hosts];
        hostIps = new String[hosts];
        for (int i = 0; i < hosts; i++) {
            hostNames[i] = i < servers ? String.format("srv-%04d", i) : String.format("ws-%05d", i - servers);
            hostIps[i] = "10." + (i / 62_500 + 1) + "." + (i / 250 % 250) + "." + (i % 250 + 1);
        }
        dc1 = 0;
        dc2 = 1;
        fileServer = 2;
        deployServer = 3;
        jumpHost = 4;
        hostNames[dc1] = "dc01";
        hostNames[dc2] = "dc02";
        hostNames[fileServer] = "fs01";
        hostNames[deployServer] = "deploy01";
        hostNames[jumpHost] = "jump01";
        userNames = new String[shape.users()];
        primaryHost = new int[shape.users()];
        usersOf = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            usersOf.add(new ArrayList<>(4));
        }
        for (int u = 0; u < userNames.length; u++) {
            userNames[u] = String.format("u%05d", u);
            primaryHost[u] = servers + random.nextInt(hosts - servers);
            usersOf.get(primaryHost[u]).add(u);
        }
        clienteleOf = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            clienteleOf.add(new ArrayList<>());
        }
        for (int u = 0; u < userNames.length; u++) {
            clienteleOf.get(5 + noise.nextInt(servers - 5)).add(u);
        }
        popularHashes = new String[200];
        for (int i = 0; i < popularHashes.length; i++) {
            popularHashes[i] = hash(64);
        }
    }

    /**
     * A week of normal activity, as the store would count it: users logging on to their workstations, to the domain
     * controllers and file server, and from their workstations to their department server, every host talking to the proxy, DNS and a domain controller, the scanner
     * probing every host, administrative accounts on the servers and on a share of workstations (from the jump host),
     * software deployment everywhere, and popular binaries on many hosts.
     */
    Prevalence baseline() {
        SplittableRandom r = new SplittableRandom(shape.seed() ^ 0x5eed);
        PrevalenceBaseline baseline = new PrevalenceBaseline();
        for (int h = 0; h < hostNames.length; h++) {
            String host = hostNames[h];
            boolean server = h < servers;
            List<Integer> users = usersOf.get(h);
            for (int u : clienteleOf.get(h)) { // its users' share logons, from their workstations
                observe(baseline, "host", host, "user", "CORP\\" + userNames[u], "src_ip", hostIps[primaryHost[u]]);
            }
            for (int u : users) {
                observe(baseline, "host", host, "user", "CORP\\" + userNames[u], "src_ip", hostIps[h]);
                observe(baseline, "host", hostNames[r.nextBoolean() ? dc1 : dc2], "user", userNames[u], "src_ip",
                        hostIps[h]);
                if (r.nextDouble() < 0.4) {
                    observe(baseline, "host", hostNames[fileServer], "user", userNames[u], "src_ip", hostIps[h]);
                }
            }
            // its own outbound connections (Sysmon 3, initiated) come from its address
            baseline.owns(new EntityKey(EntityKey.Kind.IP, hostIps[h]), new EntityKey(EntityKey.Kind.HOST, host));
            observe(baseline, "host", host, "dst_ip", PROXY, "domain", POPULAR_DOMAINS[r.nextInt(
                    POPULAR_DOMAINS.length)]);
            observe(baseline, "host", host, "dst_ip", DNS[r.nextInt(DNS.length)]);
            observe(baseline, "host", host, "dst_ip", hostIps[r.nextBoolean() ? dc1 : dc2]);
            observe(baseline, "host", host, "src_ip", SCANNER);
            observe(baseline, "host", host, "user", ADMINS[3], "src_ip", hostIps[deployServer], "file_hash",
                    popularHashes[r.nextInt(popularHashes.length)]);
            if (server || r.nextDouble() < 0.3) {
                observe(baseline, "host", host, "user", ADMINS[server ? 1 : 0], "src_ip", hostIps[jumpHost]);
            }
            if (server || r.nextDouble() < 0.5) {
                observe(baseline, "host", host, "user", ADMINS[2]);
            }
            for (int i = 0; i < 20; i++) {
                observe(baseline, "host", host, "file_hash", popularHashes[(int) Math.min(popularHashes.length - 1,
                        Math.abs(r.nextGaussian()) * 40)]);
            }
        }
        return baseline.build();
    }

    private static void observe(PrevalenceBaseline baseline, String... entities) {
        Set<EntityKey> keys = new LinkedHashSet<>();
        for (int i = 0; i < entities.length; i += 2) {
            EntityKey.of(new Alert.Entity(entities[i], entities[i + 1])).ifPresent(keys::add);
        }
        baseline.observe(keys);
    }

    /**
     * The alerts of the next day, in time order (ties by id): the benign alerts of that day, and the alerts of every
     * attack started so far that fall in it.
     */
    List<Labelled> nextDay() {
        long dayStart = EPOCH + nextDay * DAY;
        nextDay++;
        for (int i = 0; i < shape.attacksPerDay(); i++) {
            attack(dayStart + random.nextLong(DAY));
        }
        long benign = Math.round(shape.benignPerHostPerDay() * shape.hosts());
        for (long i = 0; i < benign; i++) {
            benign(dayStart + random.nextLong(DAY));
        }
        background(dayStart);
        List<Labelled> day = new ArrayList<>();
        while (!pending.isEmpty() && pending.peek().alert().timeMicros() < dayStart + DAY) {
            day.add(pending.poll());
        }
        return day;
    }

    /** The alerts still pending (of attacks that outlast the last day), in time order. */
    List<Labelled> rest() {
        List<Labelled> rest = new ArrayList<>();
        while (!pending.isEmpty()) {
            rest.add(pending.poll());
        }
        return rest;
    }

    // --- Attacks ----------------------------------------------------------------------------------------------------

    /** Techniques an attack uses on a host after getting in, by kind: one is drawn per alert. */
    private static final String[][] ON_HOST = {
        {"T1059.001"}, {"T1059.003"}, {"T1027"}, {"T1218.011"}, {"T1087.002"}, {"T1082"}, {"T1018"},
        {"T1003.001"}, {"T1558.003"}, {"T1053.005"}, {"T1547.001"}, {"T1071.001"}, {"T1105"}, {"T1562.001"}};
    private static final String[][] LATERAL = {{"T1021.002"}, {"T1021.006"}, {"T1047"}, {"T1569.002"},
        {"T1021.001"}};
    private static final String[][] FINALE = {{"T1486"}, {"T1041"}, {"T1567.002"}, {"T1490"}};

    private void attack(long start) {
        long truth = nextTruth++;
        SplittableRandom r = random.split();
        int extraHosts = pick(r, new double[] {0.3, 0.2, 0.15, 0.15, 0.1, 0.1});
        int patientZero = servers + r.nextInt(hostNames.length - servers);
        List<Integer> victims = usersOf.get(patientZero);
        int firstUser = victims.isEmpty() ? r.nextInt(userNames.length) : victims.get(r.nextInt(victims.size()));
        String c2 = externalAddress(r);
        String c2Domain = word(r) + "-" + word(r) + "." + (r.nextBoolean() ? "com" : "net");
        String payload = hash(64, r);
        String tool = hash(64, r);
        double roll = r.nextDouble();
        String movingAs = roll < 0.5 ? "CORP\\" + userNames[firstUser]
                : roll < 0.8 ? ADMINS[r.nextInt(2)] : "CORP\\" + userNames[r.nextInt(userNames.length)];

        long t = start;
        String user = "CORP\\" + userNames[firstUser];
        List<Integer> chain = new ArrayList<>();
        chain.add(patientZero);
        // the way in: a document that runs the payload
        String office = guid(r);
        String payloadProcess = guid(r);
        List<String> entry = new ArrayList<>(List.of("host", fqdn(patientZero), Alert.PROCESS_GUID, payloadProcess,
                Alert.PROCESS_GUID, office));
        maybe(r, 0.85, entry, "user", user);
        maybe(r, 0.6, entry, "file_hash", payload);
        maybe(r, 0.4, entry, "domain", c2Domain);
        maybe(r, 0.3, entry, "dst_ip", PROXY);
        emit(truth, true, t, List.of("T1566.001", "T1204.002"), entry);
        t = onHost(r, truth, patientZero, user, payloadProcess, payload, tool, c2, c2Domain, t);
        for (int k = 0; k < extraHosts; k++) {
            t += r.nextDouble() < 0.25 ? 3 * HOUR + r.nextLong(13 * HOUR) : exponential(r, 40 * MINUTE);
            int from = chain.get(r.nextDouble() < 0.7 ? chain.size() - 1 : r.nextInt(chain.size()));
            int to = r.nextDouble() < 0.2 ? 5 + r.nextInt(servers - 5) : servers + r.nextInt(hostNames.length
                    - servers);
            chain.add(to);
            String process = guid(r);
            List<String> lateral = new ArrayList<>(List.of("host", fqdn(to), Alert.PROCESS_GUID, process));
            maybe(r, 0.9, lateral, "user", movingAs);
            maybe(r, 0.8, lateral, "src_ip", hostIps[from]);
            maybe(r, 0.3, lateral, "file_hash", tool);
            String technique = LATERAL[r.nextInt(LATERAL.length)][0];
            emit(truth, true, t, List.of(technique), lateral);
            remoteEntry(t, from, to, movingAs, technique);
            t = onHost(r, truth, to, movingAs, process, payload, tool, c2, c2Domain, t);
        }
        if (r.nextDouble() < 1.0 / 3) {
            t += exponential(r, 30 * MINUTE);
            int last = chain.get(chain.size() - 1);
            List<String> finale = new ArrayList<>(List.of("host", fqdn(last)));
            maybe(r, 0.7, finale, "user", movingAs);
            maybe(r, 0.6, finale, "dst_ip", c2);
            maybe(r, 0.5, finale, Alert.PROCESS_GUID, guid(r));
            emit(truth, true, t, List.of(FINALE[r.nextInt(FINALE.length)]), finale);
        }
    }

    /** 1 to 5 alerts on a compromised host, minutes apart; returns the time of the last. */
    private long onHost(SplittableRandom r, long truth, int host, String user, String parentProcess, String payload,
            String tool, String c2, String c2Domain, long start) {
        long t = start;
        int alerts = 1 + r.nextInt(5);
        List<String> processes = new ArrayList<>(List.of(parentProcess));
        for (int i = 0; i < alerts; i++) {
            t += exponential(r, 15 * MINUTE);
            String[] techniques = ON_HOST[r.nextInt(ON_HOST.length)];
            List<String> entities = new ArrayList<>(List.of("host", r.nextDouble() < 0.5 ? fqdn(host)
                    : hostNames[host]));
            maybe(r, 0.75, entities, "user", user);
            if (r.nextDouble() < 0.8) {
                String process = guid(r);
                entities.add(Alert.PROCESS_GUID);
                entities.add(process);
                if (r.nextDouble() < 0.6) { // a child of an earlier process of the attack on this host
                    entities.add(Alert.PROCESS_GUID);
                    entities.add(processes.get(r.nextInt(processes.size())));
                }
                processes.add(process);
            }
            switch (techniques[0]) {
                case "T1071.001", "T1105" -> {
                    boolean viaProxy = r.nextDouble() < 0.4;
                    entities.add("dst_ip");
                    entities.add(viaProxy ? PROXY : c2);
                    maybe(r, 0.7, entities, "domain", c2Domain);
                }
                case "T1003.001", "T1558.003" -> maybe(r, 0.5, entities, "file_hash", tool);
                case "T1053.005", "T1547.001" -> maybe(r, 0.6, entities, "file_hash", payload);
                case "T1087.002", "T1018" -> maybe(r, 0.5, entities, "dst_ip", hostIps[r.nextBoolean() ? dc1 : dc2]);
                default -> maybe(r, 0.2, entities, "file_hash", payload);
            }
            emit(truth, true, t, List.of(techniques), entities);
        }
        return t;
    }

    // --- Benign alerts ----------------------------------------------------------------------------------------------

    private static final String[] ADMIN_SCRIPTS = {"T1059.001", "T1087.002", "T1018", "T1069.002", "T1082", "T1057"};
    private static final String[] USER_TOOLS = {"T1204.002", "T1218.011", "T1059.003", "T1053.005", "T1027"};

    private void benign(long time) {
        long truth = nextTruth++;
        SplittableRandom r = random.split();
        int host = r.nextDouble() < 3.0 * servers / (hostNames.length + 2.0 * servers) ? r.nextInt(servers)
                : servers + r.nextInt(hostNames.length - servers);
        List<String> entities = new ArrayList<>(List.of("host", r.nextBoolean() ? fqdn(host) : hostNames[host]));
        String technique;
        double kind = r.nextDouble();
        if (kind < 0.3) { // an administrator's script
            technique = ADMIN_SCRIPTS[r.nextInt(ADMIN_SCRIPTS.length)];
            entities.add("user");
            entities.add(host < servers || r.nextDouble() < 0.3 ? ADMINS[r.nextInt(2)] : localUser(r, host));
            entities.add(Alert.PROCESS_GUID);
            entities.add(guid(r));
            maybe(r, 0.3, entities, "dst_ip", hostIps[r.nextBoolean() ? dc1 : dc2]);
        } else if (kind < 0.45) { // remote administration from the jump host
            technique = r.nextBoolean() ? "T1021.002" : "T1569.002";
            String admin = ADMINS[r.nextInt(2)];
            entities.addAll(List.of("user", admin));
            maybe(r, 0.8, entities, "src_ip", hostIps[jumpHost]);
            entities.addAll(List.of(Alert.PROCESS_GUID, guid(r)));
            remoteEntry(time, jumpHost, host, admin, technique);
        } else if (kind < 0.55) { // the scanner's probes
            technique = r.nextBoolean() ? "T1046" : "T1595.002";
            entities.addAll(List.of("src_ip", SCANNER, "dst_ip", hostIps[host]));
        } else if (kind < 0.7) { // software deployment
            technique = r.nextBoolean() ? "T1218.011" : "T1053.005";
            entities.addAll(List.of("user", ADMINS[3], "src_ip", hostIps[deployServer], "file_hash",
                    popularHashes[r.nextInt(popularHashes.length)], Alert.PROCESS_GUID, guid(r)));
            remoteEntry(time, deployServer, host, ADMINS[3], "T1569.002");
        } else { // a user's download or tool
            technique = USER_TOOLS[r.nextInt(USER_TOOLS.length)];
            maybe(r, 0.9, entities, "user", localUser(r, host));
            entities.addAll(List.of(Alert.PROCESS_GUID, guid(r)));
            if (r.nextDouble() < 0.5) {
                entities.addAll(List.of("file_hash", r.nextBoolean() ? hash(64, r)
                        : popularHashes[r.nextInt(popularHashes.length)]));
            }
            if (r.nextDouble() < 0.5) {
                entities.addAll(List.of("dst_ip", PROXY, "domain", r.nextDouble() < 0.7
                        ? POPULAR_DOMAINS[r.nextInt(POPULAR_DOMAINS.length)] : word(r) + "." + "com"));
            }
        }
        emit(truth, false, time, List.of(technique), entities);
    }

    // --- Telemetry ---------------------------------------------------------------------------------------------------

    /** Remote entries that raise no alert, over one day: users' share logons, administrators, deployment, the scanner. */
    private void background(long dayStart) {
        for (int h = 0; h < hostNames.length; h++) {
            boolean server = h < servers;
            List<Integer> clientele = clienteleOf.get(h);
            if (!clientele.isEmpty()) {
                long logons = poisson(20 * 24);
                for (long i = 0; i < logons; i++) {
                    int u = clientele.get(noise.nextInt(clientele.size()));
                    remoteEntry(dayStart + noise.nextLong(DAY), primaryHost[u], h, "CORP\\" + userNames[u],
                            "T1021.002");
                }
            }
            long admin = poisson(server ? 2 : 0.1);
            for (long i = 0; i < admin; i++) {
                if (h != jumpHost) {
                    remoteEntry(dayStart + noise.nextLong(DAY), jumpHost, h, ADMINS[server ? 1 : 0],
                            noise.nextBoolean() ? "T1021.002" : "T1021.006");
                }
            }
            if (h != deployServer) {
                remoteEntry(dayStart + noise.nextLong(DAY), deployServer, h, ADMINS[3], "T1569.002");
            }
            if (noise.nextDouble() < 0.9) {
                logon(dayStart + noise.nextLong(DAY), SCANNER, null, h, "CORP\\svc-scan", false);
            }
        }
    }

    /**
     * The events a remote entry from one machine into another leaves, seconds before the alert at {@code time} it may
     * raise: the target's logon (nine times in ten) and the source's connection (seven times in ten).
     */
    private void remoteEntry(long time, int from, int to, String account, String technique) {
        long logonTime = time - noise.nextLong(60_000_000L);
        boolean rdp = technique.equals("T1021.001");
        if (noise.nextDouble() < 0.9) {
            logon(logonTime, hostIps[from], noise.nextBoolean() ? hostNames[from] : null, to, account, rdp);
        }
        if (noise.nextDouble() < 0.7) {
            int port = switch (technique) {
                case "T1021.001" -> 3389;
                case "T1021.006" -> 5985;
                case "T1047" -> 135;
                default -> 445;
            };
            String[] common = new String[CommonColumn.count()];
            common[CommonColumn.HOST.ordinal()] = fqdn(from);
            common[CommonColumn.USER.ordinal()] = account;
            common[CommonColumn.SRC_IP.ordinal()] = hostIps[from];
            common[CommonColumn.DST_IP.ordinal()] = hostIps[to];
            common[CommonColumn.EVENT_CODE.ordinal()] = "3";
            event("SysmonEvent", logonTime - 1_000_000L, common, Map.of("EventID", 3, "Computer", fqdn(from),
                    "Initiated", "true", "SourceIp", hostIps[from], "DestinationIp", hostIps[to], "DestinationPort",
                    port, "User", account));
        }
    }

    /** A 4624 logon on {@code to}, from an address and (NTLM) a workstation name. */
    private void logon(long time, String fromAddress, String fromName, int to, String account, boolean rdp) {
        String[] common = new String[CommonColumn.count()];
        common[CommonColumn.HOST.ordinal()] = fqdn(to);
        common[CommonColumn.USER.ordinal()] = account;
        common[CommonColumn.SRC_IP.ordinal()] = fromAddress;
        common[CommonColumn.EVENT_CODE.ordinal()] = "4624";
        event("SecurityEvent", time, common, Map.of("EventID", 4624, "Computer", fqdn(to), "LogonType", rdp ? 10 : 3,
                "TargetUserName", account, "IpAddress", fromAddress, "WorkstationName", fromName == null ? "-"
                        : fromName.toUpperCase(java.util.Locale.ROOT)));
    }

    private void event(String table, long time, String[] common, Map<String, Object> fields) {
        telemetry.accept(new Event(new EventId(0x7e1e_0000_0000_7000L | (nextEvent >>> 48), 0x8000_0000_0000_0000L
                | nextEvent), TENANT, table, time, common, fields, "", new SourcePosition("generated", nextEvent, 0)));
        nextEvent++;
    }

    private long poisson(double mean) {
        // how many unit-rate exponential gaps fit within the mean: exact, and fast for the means used here
        long n = 0;
        double t = -Math.log(1 - noise.nextDouble());
        while (t < mean) {
            n++;
            t += -Math.log(1 - noise.nextDouble());
        }
        return n;
    }

    private String localUser(SplittableRandom r, int host) {
        List<Integer> users = usersOf.get(host);
        return "CORP\\" + userNames[users.isEmpty() ? r.nextInt(userNames.length) : users.get(r.nextInt(
                users.size()))];
    }

    // --- Helpers ----------------------------------------------------------------------------------------------------

    private void emit(long truth, boolean attack, long time, List<String> techniques, List<String> entities) {
        List<Alert.Entity> list = new ArrayList<>(entities.size() / 2);
        for (int i = 0; i < entities.size(); i += 2) {
            list.add(new Alert.Entity(entities.get(i), entities.get(i + 1)));
        }
        long n = nextAlert++;
        Alert alert = new Alert(new UUID(0x5ce7a210L, n), TENANT, "sigma", "generated-" + techniques.get(0),
                "generated " + techniques.get(0), level(techniques.get(0)), "test", time, techniques, Map.of(),
                list, List.of(new EventId(time, n)), "SysmonEvent");
        pending.add(new Labelled(alert, truth, attack));
    }

    /**
     * A detection's level, as its rule sets it: by what it detects, never by whether this firing was an attack (a
     * benign administrator's discovery script and an intruder's raise the same rule at the same level).
     */
    static String level(String technique) {
        String parent = technique.contains(".") ? technique.substring(0, technique.indexOf('.')) : technique;
        return switch (parent) {
            case "T1003", "T1558", "T1486", "T1490", "T1041", "T1567" -> "high";
            case "T1087", "T1082", "T1018", "T1069", "T1057", "T1046", "T1595" -> "low";
            default -> "medium";
        };
    }

    private static void maybe(SplittableRandom r, double probability, List<String> entities, String kind,
            String value) {
        if (r.nextDouble() < probability) {
            entities.add(kind);
            entities.add(value);
        }
    }

    private String fqdn(int host) {
        return hostNames[host] + ".corp.example";
    }

    private static int pick(SplittableRandom r, double[] weights) {
        double roll = r.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static long exponential(SplittableRandom r, long mean) {
        return (long) (-Math.log(1 - r.nextDouble()) * mean);
    }

    private static String externalAddress(SplittableRandom r) {
        // outside the private and reserved ranges: 11.x to 99.x, minus nothing the generator uses elsewhere
        return (11 + r.nextInt(89)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static String word(SplittableRandom r) {
        StringBuilder word = new StringBuilder();
        int length = 4 + r.nextInt(6);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + r.nextInt(26)));
        }
        return word.toString();
    }

    private String hash(int hexDigits) {
        return hash(hexDigits, random);
    }

    private static String hash(int hexDigits, SplittableRandom r) {
        byte[] bytes = new byte[hexDigits / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) r.nextInt(256);
        }
        return HexFormat.of().formatHex(bytes);
    }

    private static String guid(SplittableRandom r) {
        return "{" + new UUID(r.nextLong(), r.nextLong()) + "}";
    }
}
