package dev.vigil.cli;

import dev.vigil.model.Principal;
import dev.vigil.model.Role;
import picocli.CommandLine.Option;

/**
 * Who acts, for commands that read or change incidents. On the command line the user is whoever runs Vigil over the
 * data directory (files they can read anyway), so the role defaults to owner; {@code --role} acts with less, to see
 * what a reader or analyst would. The server authenticates users and takes their role from the tenant instead.
 */
final class ActorOptions {
    @Option(names = "--as", paramLabel = "USER",
            description = "Who is acting, as recorded in the incident's history (default: $VIGIL_USER, else the OS user).")
    String user;

    @Option(names = "--role", paramLabel = "ROLE",
            description = "The role to act with: reader, analyst or owner (default: owner, the data directory's user).")
    String role;

    Principal principal() {
        String name = user;
        if (name == null || name.isBlank()) {
            name = System.getenv("VIGIL_USER");
        }
        if (name == null || name.isBlank()) {
            name = System.getProperty("user.name", "local");
        }
        return new Principal(name.strip(), role == null ? Role.OWNER : Role.parse(role));
    }
}
