package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.Role;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.server.User;
import dev.vigil.server.ServerState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil users}: the server's local users, each a member of tenants with a role in each, and (under
 * {@code vigil users tokens}) the API tokens. A password an operator sets is a one-time password: it is printed once,
 * and must be changed at the user's first login ({@code POST /api/v1/password}); the session it opens may do nothing
 * else.
 */
final class UsersCommands {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UsersCommands() {}

    @Command(name = "users", mixinStandardHelpOptions = true,
            description = {"Local users of the server: passwords (Argon2id hashes), and a role in each tenant they are"
                    + " a member of (reader, analyst, owner, ingest).",
                    "The first 'vigil serve' creates the owner 'admin' with a one-time password when no user exists."},
            subcommands = {Add.class, ListUsers.class, Remove.class, Passwd.class, Grant.class, Revoke.class,
                    ServerCommands.Tokens.class},
            footer = {"", "Examples:", "  vigil users add alice --tenant acme --role analyst",
                    "  vigil users grant alice --tenant globex --role reader",
                    "  vigil users tokens create --tenant acme --role ingest --name fluent-bit"})
    static final class UsersGroup extends CommandGroup {
    }

    /** Where a password comes from: standard input when asked, else a random one-time password. */
    static final class PasswordSource {
        @Option(names = "--password-stdin", description = "Read the password from standard input (one line) instead"
                + " of generating one.")
        boolean stdin;

        @Option(names = "--permanent", description = "With --password-stdin: the user need not change it at the"
                + " first login (for automation).")
        boolean permanent;

        /** The password and whether it was generated (and must be shown). */
        record Chosen(char[] password, boolean generated, boolean oneTime) {}

        Chosen choose() {
            if (permanent && !stdin) {
                throw new VigilException(ErrorCode.USAGE, "--permanent needs --password-stdin",
                        "Pass the password on standard input with --password-stdin --permanent, or leave both out"
                                + " for a generated one-time password", null);
            }
            if (!stdin) {
                byte[] secret = new byte[18];
                RANDOM.nextBytes(secret);
                return new Chosen(Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray(), true,
                        true);
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new VigilException(ErrorCode.USAGE, "--password-stdin read no line from standard input");
                }
                return new Chosen(line.toCharArray(), false, !permanent);
            } catch (IOException e) {
                throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot read the password from standard input: "
                        + e.getMessage(), e);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user, member of --tenant with --role; prints a one-time password once (or reads one).")
    static final class Add implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        PasswordSource source;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "Login name (an e-mail address works).")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, analyst, owner or ingest.")
        String role;

        @Option(names = "--oidc", description = "No password: the user signs in only through OIDC.")
        boolean oidc;

        @Option(names = "--json", description = "Print JSON (with the generated password, if any).")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            Role parsed = Role.parse(role);
            PasswordSource.Chosen chosen = oidc ? null : source.choose();
            User user = ServerState.with(config, state -> state.users().add(name,
                    chosen == null ? null : chosen.password(), chosen != null && chosen.oneTime(),
                    Map.of(config.tenant(), parsed), Instant.now()));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> object = describe(user);
                object.put("one_time_password", chosen != null && chosen.generated() ? new String(chosen.password())
                        : null);
                out.println(Output.json(object));
            } else if (chosen != null && chosen.generated()) {
                out.println(new String(chosen.password()));
                spec.commandLine().getErr().printf(Locale.ROOT, "User '%s' added to tenant '%s' as %s. The one-time"
                        + " password above is shown only now; it must be changed at the first login.%n", user.name(),
                        config.tenant(), parsed);
            } else {
                out.printf(Locale.ROOT, "User '%s' added to tenant '%s' as %s%s.%n", user.name(), config.tenant(),
                        parsed, oidc ? " (OIDC sign-in only)" : "");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users and their tenants.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            List<User> users = ServerState.with(config, state -> state.users().list());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Output.json(users.stream().map(UsersCommands::describe).toList()));
            } else {
                List<List<Object>> rows = new ArrayList<>();
                for (User user : users) {
                    List<String> memberships = new ArrayList<>();
                    user.tenants().forEach((tenant, r) -> memberships.add(tenant + ":" + r));
                    rows.add(List.of(user.name(), String.join(", ", memberships), password(user),
                            user.oidcSubject() == null ? "-" : "bound", user.created().toString()));
                }
                out.print(Output.table(List.of("name", "tenants", "password", "oidc", "created"), rows));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user: its sessions end and its tokens stop working at their next request.")
    static final class Remove implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            User removed = ServerState.with(config, state -> state.users().remove(name));
            spec.commandLine().getOut().printf(Locale.ROOT, "User '%s' removed.%n", removed.name());
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Reset a user's password: prints a new one-time password once (or reads one).")
    static final class Passwd implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Mixin
        PasswordSource source;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            PasswordSource.Chosen chosen = source.choose();
            User user = ServerState.with(config, state -> state.users().setPassword(name, chosen.password(),
                    chosen.oneTime(), Instant.now()));
            PrintWriter out = spec.commandLine().getOut();
            if (chosen.generated()) {
                out.println(new String(chosen.password()));
                spec.commandLine().getErr().printf(Locale.ROOT, "New one-time password of '%s' above, shown only"
                        + " now; it must be changed at the next login.%n", user.name());
            } else {
                out.printf(Locale.ROOT, "Password of '%s' set%s.%n", user.name(), chosen.oneTime()
                        ? " (to be changed at the next login)" : "");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true,
            description = "Give a user a role in --tenant (replacing the role it had there).")
    static final class Grant implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "reader, analyst, owner or ingest.")
        String role;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            TenantId tenant = config.tenant();
            User user = ServerState.with(config, state -> state.users().grant(name, tenant, Role.parse(role)));
            spec.commandLine().getOut().printf(Locale.ROOT, "User '%s' is %s in tenant '%s'.%n", user.name(),
                    user.tenants().get(tenant.value()), tenant);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take a user out of --tenant.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        CommonOptions common;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            VigilConfig config = common.load();
            User user = ServerState.with(config, state -> state.users().revoke(name, config.tenant()));
            spec.commandLine().getOut().printf(Locale.ROOT, "User '%s' is no longer a member of tenant '%s'.%n",
                    user.name(), config.tenant());
            return 0;
        }
    }

    static Map<String, Object> describe(User user) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", user.name());
        Map<String, String> tenants = new LinkedHashMap<>();
        user.tenants().forEach((tenant, role) -> tenants.put(tenant, role.toString()));
        object.put("tenants", tenants);
        object.put("password", password(user));
        object.put("oidc_bound", user.oidcSubject() != null);
        object.put("created", user.created().toString());
        object.put("password_changed", user.passwordChanged() == null ? null : user.passwordChanged().toString());
        return object;
    }

    private static String password(User user) {
        return user.passwordHash() == null ? "none (OIDC)" : user.mustChangePassword() ? "one-time" : "set";
    }
}
