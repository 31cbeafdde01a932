package dev.vigil.posture.inventory;

/** Where an inventory record comes from: an imported inventory, or what the tenant's events showed. */
public enum Origin {
    /** From a file the user imported: authoritative for what it says. */
    IMPORTED,
    /** Seen in ingested events (a host, a user, a running program); kept until an import says more. */
    OBSERVED
}
