package dev.vigil.posture;

/**
 * A record a finding rests on.
 *
 * @param kind {@code inventory}, {@code cve5}, {@code osv}, {@code kev}, {@code epss}, {@code attack}, {@code check}
 * @param id the record's id (a file:line, a CVE id, an ATT&amp;CK id)
 * @param detail what it says that matters here
 */
public record Evidence(String kind, String id, String detail) {}
