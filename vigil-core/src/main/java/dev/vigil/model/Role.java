package dev.vigil.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a caller may do in a tenant.
 *
 * <p>Three roles form a ladder, each including the ones below it: an owner can do what an analyst can, and an
 * analyst what a reader can. {@link #INGEST} stands beside the ladder: it may only send data, so it includes no other
 * role and no other role but the owner includes it (an owner may send data, an analyst or a reader may not). A check
 * asks {@link #includes} and never compares roles by their order, so this shape is decided here once.
 */
public enum Role {
    /** Reads incidents, alerts, answers and reports. */
    READER,
    /** Also investigates: updates incidents, comments, approves or rejects proposed actions. */
    ANALYST,
    /** Also manages the tenant: users, rules, connectors, model policy; and may send data as ingest does. */
    OWNER,
    /** Only sends data (the ingest API, a log shipper's token); reads nothing. */
    INGEST;

    /** Whether this role includes {@code other}: may do everything {@code other} may. */
    public boolean includes(Role other) {
        return grants().contains(other);
    }

    /** The roles this one includes, itself among them. */
    public Set<Role> grants() {
        return switch (this) {
            case READER -> EnumSet.of(READER);
            case ANALYST -> EnumSet.of(READER, ANALYST);
            case OWNER -> EnumSet.of(READER, ANALYST, OWNER, INGEST);
            case INGEST -> EnumSet.of(INGEST);
        };
    }

    /** The role named {@code reader}, {@code analyst}, {@code owner} or {@code ingest}, in any case. */
    public static Role parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VigilException(ErrorCode.USAGE, "unknown role '" + name + "'; one of reader, analyst, owner,"
                    + " ingest");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
