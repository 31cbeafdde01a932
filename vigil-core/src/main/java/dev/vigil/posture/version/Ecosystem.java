package dev.vigil.posture.version;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * How versions of a kind of software are ordered. Each ecosystem compares two version strings by its own rules; two
 * versions that differ as text may be equal ({@code 1.0} and {@code 1.0.0} in Maven, {@code 1.0} and {@code 1.0+build}
 * in semver, {@code 0:1.2} and {@code 1.2} in Debian).
 *
 * <p>A version that its ecosystem's grammar does not accept is never an error: it is compared by the {@link #GENERIC}
 * rules instead, since inventories hold what installers wrote, not what specifications allow. Callers that need to
 * know use {@link #isValid}.
 */
public enum Ecosystem implements Comparator<String> {
    /**
     * Vendor versions with no published grammar (CPE, CVE "custom", appliances): runs of digits compare as numbers,
     * runs of letters as text; a trailing pre-release word ({@code beta}, {@code rc}) sorts before the release, any
     * other trailing letters after it ({@code 1.0.1g}, {@code 10.2.9-h1}).
     */
    GENERIC("generic", GenericVersions::compare, Ecosystem::anyText),
    /** Semantic Versioning 2.0.0: pre-releases before the release, build metadata ignored; a leading {@code v} allowed. */
    SEMVER("semver", SemanticVersions::compare, version -> SemanticVersions.parse(version) != null),
    /** npm's node-semver: semver with its loose forms ({@code v1.2.3}, {@code =1.2.3}). */
    NPM("npm", SemanticVersions::compare, version -> SemanticVersions.parse(version) != null),
    /** Maven's {@code ComparableVersion}: qualifiers alpha &lt; beta &lt; milestone &lt; rc &lt; snapshot &lt; release &lt; sp. */
    MAVEN("maven", MavenVersions::compare, Ecosystem::anyText),
    /** PEP 440 (PyPI): epochs, pre-, post- and development releases, local versions. */
    PYPI("pypi", Pep440Versions::compare, version -> Pep440Versions.parse(version) != null),
    /** Debian (dpkg): {@code epoch:upstream-revision}, {@code ~} before anything, even the end. */
    DEBIAN("deb", DebianVersions::compare, Ecosystem::anyText),
    /** RPM ({@code rpmvercmp}): {@code epoch:version-release}, {@code ~} before and {@code ^} after the end. */
    RPM("rpm", RpmVersions::compare, Ecosystem::anyText);

    private final String id;
    private final Comparator<String> order;
    private final Predicate<String> grammar;

    Ecosystem(String id, Comparator<String> order, Predicate<String> grammar) {
        this.id = id;
        this.order = order;
        this.grammar = grammar;
    }

    /** The short lower-case name used in package keys and output: {@code maven}, {@code npm}, {@code deb} ... */
    public String id() {
        return id;
    }

    /** Orders two versions by this ecosystem's rules; equal versions compare as 0 even when spelled differently. */
    @Override
    public int compare(String left, String right) {
        return order.compare(left, right);
    }

    /** Whether the version follows this ecosystem's grammar (always true where the grammar accepts anything). */
    public boolean isValid(String version) {
        return grammar.test(version);
    }

    /** The grammar of ecosystems that take whatever installers write: any text that is not blank. */
    private static boolean anyText(String version) {
        return version != null && !version.isBlank();
    }

    /**
     * The ecosystem of a package-URL type ({@code maven}, {@code npm}, {@code pypi}, {@code deb}, {@code rpm},
     * {@code golang}, {@code cargo} ...), of an OSV ecosystem ({@code Maven}, {@code PyPI}, {@code Debian:12},
     * {@code Red Hat}, {@code AlmaLinux:9} ...) or of a CVE 5 {@code versionType}; {@link #GENERIC} for the rest.
     */
    public static Ecosystem of(String name) {
        if (name == null) {
            return GENERIC;
        }
        String lower = name.toLowerCase(Locale.ROOT).strip();
        int colon = lower.indexOf(':');
        if (colon > 0) {
            lower = lower.substring(0, colon);
        }
        return switch (lower) {
            case "maven" -> MAVEN;
            case "npm" -> NPM;
            case "pypi", "python", "pep440" -> PYPI;
            case "deb", "debian", "ubuntu", "dpkg" -> DEBIAN;
            case "rpm", "red hat", "redhat", "almalinux", "rocky linux", "opensuse", "suse", "mageia", "openeuler",
                    "fedora", "centos", "oracle linux" -> RPM;
            case "semver", "golang", "go", "cargo", "crates.io", "nuget", "hex", "pub", "swifturl" -> SEMVER;
            default -> GENERIC;
        };
    }
}
