package dev.vigil.posture.inventory;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A host of the organization. Fields an import does not give are null (unknown), so that merging two sources keeps
 * what each knows ({@link #merge}).
 *
 * @param id the canonical host name ({@link #key}): lower case, without its domain
 * @param lastSeen the time of the latest event that named the host, or null if its telemetry was never seen
 * @param source where the record came from ({@code file:line}, {@code events})
 */
public record Asset(String id, String hostname, List<String> addresses, String os, String osVersion, String owner,
        Criticality criticality, Boolean internetFacing, List<String> tags, Origin origin, String source,
        Instant lastSeen) {
    public Asset {
        requireNonNull(id, "id is null");
        requireNonNull(hostname, "hostname is null");
        addresses = List.copyOf(addresses);
        tags = List.copyOf(tags);
        requireNonNull(origin, "origin is null");
        source = source == null ? "" : source;
    }

    /** {@code WEB01.corp.example} is {@code web01}: the key assets, software and events meet on. */
    public static String key(String hostname) {
        String lower = hostname.strip().toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        boolean address = lower.chars().allMatch(c -> c == '.' || c == ':' || Character.isDigit(c)
                || c >= 'a' && c <= 'f');
        return dot > 0 && !address ? lower.substring(0, dot) : lower;
    }

    public static Asset named(String hostname, Origin origin, String source) {
        return new Asset(key(hostname), hostname.strip(), List.of(), null, null, null, null, null, List.of(), origin,
                source, null);
    }

    /** This record with what the newer one knows added: its non-null fields win, lists are united. */
    public Asset merge(Asset newer) {
        List<String> mergedAddresses = new ArrayList<>(new LinkedHashSet<>(concat(addresses, newer.addresses)));
        List<String> mergedTags = new ArrayList<>(new LinkedHashSet<>(concat(tags, newer.tags)));
        Instant seen = lastSeen == null ? newer.lastSeen : newer.lastSeen == null ? lastSeen
                : newer.lastSeen.isAfter(lastSeen) ? newer.lastSeen : lastSeen;
        Origin mergedOrigin = origin == Origin.IMPORTED || newer.origin == Origin.IMPORTED ? Origin.IMPORTED
                : Origin.OBSERVED;
        String mergedSource = newer.origin == Origin.IMPORTED || origin == Origin.OBSERVED ? newer.source : source;
        return new Asset(id, newer.origin == Origin.IMPORTED ? newer.hostname : hostname, mergedAddresses,
                pick(os, newer.os), pick(osVersion, newer.osVersion), pick(owner, newer.owner),
                newer.criticality != null ? newer.criticality : criticality,
                newer.internetFacing != null ? newer.internetFacing : internetFacing, mergedTags, mergedOrigin,
                mergedSource, seen);
    }

    private static String pick(String older, String newer) {
        return newer != null && !newer.isBlank() ? newer : older;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public boolean facesInternet() {
        return Boolean.TRUE.equals(internetFacing);
    }

    public Criticality criticalityOrDefault() {
        return criticality == null ? Criticality.MEDIUM : criticality;
    }
}
