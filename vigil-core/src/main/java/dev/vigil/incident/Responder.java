package dev.vigil.incident;

/**
 * Carries out approved response actions: a webhook to a SOAR or ticketing system, an EDR's API, a firewall. Vigil
 * never acts without an analyst's approval; a responder is called only for approved actions, and what it reports is
 * recorded as the action's outcome.
 */
public interface Responder {
    /** What a responder reports: whether it succeeded, and what it said. */
    record Outcome(boolean succeeded, String detail) {}

    /** The responder's name, recorded with each outcome: {@code webhook https://soar.example/hooks/vigil}. */
    String name();

    /** Carries out one approved action of an incident; never throws for a failure it can describe. */
    Outcome execute(String tenant, Incident incident, ResponseAction action);
}
