package dev.vigil.model;

import static java.util.Objects.requireNonNull;

/**
 * Who is acting, and in what role. Every operation that reads or changes a tenant's data takes one and checks it with
 * {@link #require}, so a route, a command or a skill cannot forget the check by calling around it.
 */
public record Principal(String name, Role role) {
    public Principal {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        if (name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("a principal needs a name of 1 to 128 characters");
        }
    }

    /** Refuses, with {@link ErrorCode#PERMISSION_DENIED}, unless this principal's role includes {@code needed}. */
    public void require(Role needed, String action) {
        if (!role.includes(needed)) {
            throw new VigilException(ErrorCode.PERMISSION_DENIED, name + " (" + role + ") may not " + action
                    + ": that needs the " + needed + " role");
        }
    }

    @Override
    public String toString() {
        return name + " (" + role + ")";
    }
}
