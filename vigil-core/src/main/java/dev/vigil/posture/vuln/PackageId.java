package dev.vigil.posture.vuln;

import static java.util.Objects.requireNonNull;

import dev.vigil.posture.version.Ecosystem;
import java.util.Locale;

/**
 * A package as its package manager names it: the package-URL type ({@code maven}, {@code npm}, {@code pypi},
 * {@code deb}, {@code rpm}, {@code golang}, {@code cargo}, {@code nuget} ...) and its name, normalized the way that
 * manager compares names (lower case; PyPI's runs of {@code -_.} as one {@code -}; Maven as {@code group:artifact}).
 */
public record PackageId(String type, String name) {
    public PackageId {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        type = type.toLowerCase(Locale.ROOT);
        name = normalize(type, name);
    }

    private static String normalize(String type, String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "pypi" -> lower.replaceAll("[-_.]+", "-");
            case "maven" -> lower.replace('/', ':');
            default -> lower;
        };
    }

    /** The package-URL type of an OSV ecosystem ({@code Maven}, {@code PyPI}, {@code Debian:12}, {@code Red Hat} ...). */
    public static String typeOfOsvEcosystem(String ecosystem) {
        String lower = ecosystem.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        String base = colon > 0 ? lower.substring(0, colon) : lower;
        return switch (base) {
            case "maven" -> "maven";
            case "npm" -> "npm";
            case "pypi" -> "pypi";
            case "debian", "ubuntu" -> "deb";
            case "go" -> "golang";
            case "crates.io" -> "cargo";
            case "nuget" -> "nuget";
            case "rubygems" -> "gem";
            case "packagist" -> "composer";
            case "alpine" -> "apk";
            default -> Ecosystem.of(base) == Ecosystem.RPM ? "rpm" : base.replace(' ', '-');
        };
    }

    /** How versions of packages of this type are ordered. */
    public Ecosystem ecosystem() {
        return Ecosystem.of(type);
    }

    /** {@code maven:org.apache.logging.log4j:log4j-core}, the key matching indexes by. */
    public String key() {
        return type + ":" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
