package dev.vigil.model;

import java.util.Locale;

/**
 * What a user may do in a tenant. Each role includes the ones below it: an owner can do what an analyst can, and an
 * analyst what a reader can.
 */
public enum Role {
    /** Reads incidents, alerts, answers and reports. */
    READER,
    /** Also investigates: updates incidents, comments, approves or rejects proposed actions. */
    ANALYST,
    /** Also manages the tenant: users, rules, connectors, model policy. */
    OWNER;

    /** Whether this role includes {@code other}. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The role named {@code reader}, {@code analyst} or {@code owner}, in any case. */
    public static Role parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "unknown role '" + name + "'; one of reader, analyst, owner");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
