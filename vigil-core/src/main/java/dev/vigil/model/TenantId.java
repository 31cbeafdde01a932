package dev.vigil.model;

import java.util.regex.Pattern;

/**
 * A validated tenant identifier. Tenant ids name folders and appear in every stored row, so they are restricted to
 * a portable, lower-case alphabet: 1 to 63 characters of {@code [a-z0-9_-]}, starting with a letter or digit.
 */
public record TenantId(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    /** The tenant every command uses unless told otherwise. */
    public static final TenantId DEFAULT = new TenantId("default");

    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new VigilException(ErrorCode.TENANT_INVALID, "invalid tenant id '" + value + "'");
        }
    }

    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
