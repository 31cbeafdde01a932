package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.server.ApiToken;
import dev.vigil.server.ApiTokens;
import dev.vigil.server.AuditLog;
import dev.vigil.server.User;
import dev.vigil.server.Users;
import dev.vigil.server.VigilServer;
import dev.vigil.server.ServerState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil serve}, {@code vigil tokens} and {@code vigil audit}: the REST API server and what it keeps. */
final class ServerCommands {
    private ServerCommands() {}

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve the REST API under /api/v1 (hunting, incidents, alerts, posture, the copilot, NDJSON"
                    + " ingest; API tokens or a login session; GET /api/v1/openapi.json describes it), and the"
                    + " copilot's skills as MCP tools at /mcp (streamable HTTP, API tokens).",
                    "On the first run (no user yet) it creates the owner 'admin' of the tenants there are and prints"
                            + " its one-time password once; it must be changed at the first login.",
                    "The server holds the tenants' stores while it runs: other vigil commands on the same data"
                            + " directory fail with store_locked until it stops.",
                    "--mode scale runs a stateless API node instead (docs/SCALE-OUT.md): records go to Kafka"
                            + " (stream.bootstrap), events are read from the lake (lake.root), state is in PostgreSQL"
                            + " (store.state: postgresql); start as many nodes as needed behind a load balancer."},
            footer = {"", "Examples:", "  vigil tokens create --tenant default --role analyst --name alice",
                    "  vigil serve --port 8470",
                    "  vigil serve --mode scale --bind 0.0.0.0 --config /etc/vigil/vigil.yaml",
                    "  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8470/api/v1/tenants/default/incidents"})
    static final class Serve implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--port", paramLabel = "N", defaultValue = "8470", description = "Port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
                description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface, behind"
                        + " a TLS-terminating proxy).")
        String bind;

        @Option(names = "--mode", paramLabel = "MODE",
                description = "embedded (each tenant's store in the data directory; the default, or server.mode) or"
                        + " scale (a stateless node: Kafka, the lake and PostgreSQL; see docs/SCALE-OUT.md).")
        String mode;

        @Override
        public Integer call() throws InterruptedException {
            if (mode != null) {
                common.settings.put("server.mode", mode);
            }
            VigilConfig config = common.load();
            VigilServer.checkMode(config); // before the first owner is made where scale mode would not look
            boolean scale = "scale".equals(config.value(dev.vigil.config.ConfigKey.SERVER_MODE));
            java.util.Set<TenantId> tenants = new java.util.TreeSet<>(java.util.Comparator.comparing(TenantId::value));
            tenants.add(config.tenant());
            if (!scale) { // a scale-mode node has no tenant stores of its own
                tenants.addAll(dev.vigil.store.TenantStore.list(config.dataDirectory()));
            }
            java.util.Optional<String> firstPassword = ServerState.with(config,
                    state -> state.users().createFirstOwner(tenants, Instant.now()));
            VigilServer server = VigilServer.start(config, bind, port);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "vigil-serve-stop"));
            PrintWriter out = spec.commandLine().getOut();
            if (server.scaleMode()) {
                out.printf(Locale.ROOT, "Vigil REST API (scale mode) on %s://%s:%d/api/v1: records to Kafka at %s,"
                        + " events from the lake at %s, state in PostgreSQL; Ctrl-C stops it.%n",
                        server.secure() ? "https" : "http", bind, server.port(),
                        config.value(dev.vigil.config.ConfigKey.STREAM_BOOTSTRAP), config.lake().root());
            } else {
                out.printf(Locale.ROOT, "Vigil REST API on %s://%s:%d/api/v1 (data %s); Ctrl-C stops it.%n",
                        server.secure() ? "https" : "http", bind, server.port(),
                        config.dataDirectory().toAbsolutePath());
            }
            if (firstPassword.isPresent()) {
                out.printf(Locale.ROOT, "First run: created the user '%s', owner of tenant(s) %s, with the one-time"
                        + " password%n%n    %s%n%nIt is shown only now. Log in (POST /api/v1/login) and set a new"
                        + " password; until then the session can do nothing else.%n", Users.FIRST_OWNER,
                        tenants.stream().map(TenantId::value).toList(), firstPassword.get());
            }
            out.flush();
            stopped.await();
            return 0;
        }
    }

    @Command(name = "tokens", mixinStandardHelpOptions = true,
            description = "API tokens for the REST API: each opens one tenant with one role (reader, analyst, owner,"
                    + " ingest); a token may belong to a user (--user).",
            subcommands = {Create.class, ListTokens.class, Revoke.class})
    static final class Tokens extends CommandGroup {
    }

    private static final Pattern LIFETIME = Pattern.compile("(\\d{1,5})([dh])");

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it once; only its SHA-256 is kept.")
    static final class Create implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "reader, analyst, owner, or ingest (may only send data).")
        String role;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Who uses it (recorded as the actor).")
        String name;

        @Option(names = "--user", paramLabel = "USER", description = "The user it belongs to: it works only while that"
                + " user holds, in the tenant, a role that includes the token's.")
        String user;

        @Option(names = "--expires", paramLabel = "DURATION", description = "Lifetime such as 90d or 12h (default: never).")
        String expires;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Duration lifetime = null;
            if (expires != null) {
                Matcher m = LIFETIME.matcher(expires.strip());
                if (!m.matches()) {
                    throw new VigilException(ErrorCode.USAGE, "--expires '" + expires + "' is not a lifetime",
                            "Use days or hours, e.g. --expires 90d or --expires 12h", null);
                }
                long amount = Long.parseLong(m.group(1));
                lifetime = m.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
            }
            TenantId tenant = config.tenant();
            Role parsed = Role.parse(role);
            String owner = null;
            if (user != null) {
                User found = ServerState.with(config, state -> state.users().get(user));
                Role held = found.roleIn(tenant).orElseThrow(() -> new VigilException(ErrorCode.PERMISSION_DENIED,
                        "user '" + found.name() + "' is not a member of tenant '" + tenant + "'",
                        "Grant it a role there first: vigil users grant " + found.name() + " --tenant " + tenant
                                + " --role R", null));
                if (!held.includes(parsed)) {
                    throw new VigilException(ErrorCode.PERMISSION_DENIED, "user '" + found.name() + "' is " + held
                            + " in tenant '" + tenant + "', which does not include " + parsed);
                }
                owner = found.name();
            }
            String belongsTo = owner;
            Duration expiresAfter = lifetime;
            ApiTokens.Created created = ServerState.with(config, state -> state.tokens().create(tenant, parsed, name,
                    belongsTo, expiresAfter, Instant.now()));
            PrintWriter out = spec.commandLine().getOut();
            out.println(created.token());
            spec.commandLine().getErr().printf(Locale.ROOT, "Token %s for '%s' on tenant '%s' as %s%s. It is shown"
                    + " only now: keep it in a secret store.%n", created.record().id(), name, tenant,
                    created.record().role(), created.record().expires() == null ? ", no expiry"
                            : ", expires " + created.record().expires());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens (never the tokens themselves).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            List<ApiToken> tokens = ServerState.with(config, state -> state.tokens().list());
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            List<List<Object>> rows = new ArrayList<>();
            List<java.util.Map<String, Object>> objects = new ArrayList<>();
            for (ApiToken token : tokens) {
                rows.add(List.of(token.id(), token.name(), token.tenant(), token.role().toString(),
                        token.state(now), token.created().toString(),
                        token.expires() == null ? "never" : token.expires().toString()));
                java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
                object.put("id", token.id());
                object.put("name", token.name());
                object.put("tenant", token.tenant());
                object.put("role", token.role().toString());
                object.put("state", token.state(now));
                object.put("created", token.created().toString());
                object.put("expires", token.expires() == null ? null : token.expires().toString());
                object.put("revoked", token.revoked() == null ? null : token.revoked().toString());
                object.put("user", token.user());
                objects.add(object);
            }
            if (json) {
                out.println(Output.json(objects));
            } else {
                out.print(Output.table(List.of("id", "name", "tenant", "role", "state", "created", "expires"), rows));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a token; a running server refuses it from its next request.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The token's id, as 'vigil tokens list' shows it.")
        String id;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            ApiToken token = ServerState.with(config, state -> state.tokens().revoke(id, Instant.now()));
            spec.commandLine().getOut().printf(Locale.ROOT, "Token %s ('%s', tenant '%s') revoked at %s%n",
                    token.id(), token.name(), token.tenant(), token.revoked());
            return 0;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "The server's hash-chained audit log of API requests.",
            subcommands = {Verify.class, Export.class})
    static final class Audit extends CommandGroup {
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Recompute the audit log's hash chain; report the first record that fails. Exit 1 if any.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            record Checked(AuditLog.Verification result, String where) {}
            Checked checked = ServerState.with(config, state -> new Checked(state.audit().verify(),
                    state.audit().where()));
            AuditLog.Verification result = checked.result();
            String where = checked.where();
            PrintWriter out = spec.commandLine().getOut();
            if (result.intact()) {
                out.printf(Locale.ROOT, "audit log intact: %d records, every hash and link checks%n", result.records());
                return 0;
            }
            out.printf(Locale.ROOT, "audit log BROKEN at record %d of %d (%s): %s%n", result.brokenAt(),
                    result.records(), where, result.reason());
            return 1;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Print the audit records, oldest first: text lines (the JSON records), or a JSON array"
                    + " (--json), or CSV (--csv).",
                    "A record has its time, the actor, the tenant, the route, the outcome (status and error code) and"
                            + " what the request did (detail: the prompt, the query, why a login failed)."},
            footer = {"", "Examples:", "  vigil audit export --since 24h --json",
                    "  vigil audit export --since 2026-11-01T00:00:00Z --csv > audit.csv"})
    static final class Export implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print a JSON array of the records, hashes included.")
        boolean json;

        @Option(names = "--csv", description = "Print CSV: seq, time, actor, tenant, method, route, path, status,"
                + " code, token_id, role, detail (JSON), hash.")
        boolean csv;

        @Option(names = "--since", paramLabel = "WHEN",
                description = "Only records at or after WHEN: an instant (2026-11-01T00:00:00Z) or an age (30m, 24h, 7d).")
        String since;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            if (json && csv) {
                throw new VigilException(ErrorCode.USAGE, "--json and --csv exclude each other",
                        "Pass one of them, or neither for the records as JSON lines", null);
            }
            Instant from = since == null ? null : since(since, Instant.now());
            List<String> records = new ArrayList<>();
            for (String line : ServerState.with(config, state -> state.audit().records())) {
                if (from == null || !Instant.parse(AuditLog.field(line, "time")).isBefore(from)) {
                    records.add(line);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println("[" + String.join(",\n", records) + "]");
            } else if (csv) {
                out.print(AuditLog.csv(records));
            } else {
                records.forEach(out::println);
            }
            out.flush();
            return 0;
        }

        private static final Pattern AGE = Pattern.compile("(\\d{1,6})([mhd])");

        static Instant since(String value, Instant now) {
            Matcher age = AGE.matcher(value.strip());
            if (age.matches()) {
                long amount = Long.parseLong(age.group(1));
                return now.minus(switch (age.group(2)) {
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                });
            }
            try {
                return Instant.parse(value.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new VigilException(ErrorCode.USAGE, "--since '" + value + "' is neither an instant nor an age",
                        "Write an instant such as 2026-11-01T00:00:00Z, or an age such as 30m, 24h or 7d", null);
            }
        }
    }
}
