package dev.vigil.posture.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An account. Unknown facts are null, and the checks that need them say so rather than guess.
 *
 * @param name the account name as events show it ({@code jdoe}, {@code jdoe@corp.example}); compared in lower case
 * @param mfaMethods the MFA methods registered; empty means none, null means unknown
 */
public record Identity(String name, String displayName, List<String> groups, List<String> adminRoles,
        List<String> mfaMethods, Instant lastSignIn, Boolean enabled, Boolean passwordNeverExpires, Origin origin,
        String source) {
    public Identity {
        requireNonNull(name, "name is null");
        displayName = displayName == null ? "" : displayName;
        groups = List.copyOf(groups);
        adminRoles = List.copyOf(adminRoles);
        mfaMethods = mfaMethods == null ? null : List.copyOf(mfaMethods);
        requireNonNull(origin, "origin is null");
        source = source == null ? "" : source;
    }

    /** Lower case, without a domain prefix ({@code CORP\jdoe} is {@code jdoe}); the mail form is kept. */
    public static String key(String name) {
        String lower = name.strip().toLowerCase(java.util.Locale.ROOT);
        int slash = lower.lastIndexOf('\\');
        return slash >= 0 ? lower.substring(slash + 1) : lower;
    }

    /** Holds an administrative role, or is in a group whose name says it administers. */
    public boolean isAdmin() {
        return !adminRoles.isEmpty() || groups.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT))
                .anyMatch(g -> g.contains("admin") || g.equals("wheel") || g.equals("sudo") || g.equals("root"));
    }

    /** Why it is an administrator, for evidence. */
    public String adminEvidence() {
        if (!adminRoles.isEmpty()) {
            return "roles " + String.join(", ", adminRoles);
        }
        return "groups " + String.join(", ", groups.stream().filter(g -> {
            String lower = g.toLowerCase(java.util.Locale.ROOT);
            return lower.contains("admin") || lower.equals("wheel") || lower.equals("sudo") || lower.equals("root");
        }).toList());
    }

    public Identity merge(Identity newer) {
        return new Identity(name, newer.displayName.isEmpty() ? displayName : newer.displayName,
                newer.groups.isEmpty() ? groups : newer.groups,
                newer.adminRoles.isEmpty() ? adminRoles : newer.adminRoles,
                newer.mfaMethods != null ? newer.mfaMethods : mfaMethods,
                newer.lastSignIn == null ? lastSignIn : lastSignIn == null || newer.lastSignIn.isAfter(lastSignIn)
                        ? newer.lastSignIn : lastSignIn,
                newer.enabled != null ? newer.enabled : enabled,
                newer.passwordNeverExpires != null ? newer.passwordNeverExpires : passwordNeverExpires,
                origin == Origin.IMPORTED || newer.origin == Origin.IMPORTED ? Origin.IMPORTED : Origin.OBSERVED,
                newer.origin == Origin.IMPORTED || origin == Origin.OBSERVED ? newer.source : source);
    }
}
