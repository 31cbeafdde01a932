package dev.vigil.posture.version;

import java.util.Comparator;
import java.util.Locale;

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
    GENERIC("generic") {
        @Override
        public int compare(String left, String right) {
            return GenericVersions.compare(left, right);
        }
    },
    /** Semantic Versioning 2.0.0: pre-releases before the release, build metadata ignored; a leading {@code v} allowed. */
    SEMVER("semver") {
        @Override
        public int compare(String left, String right) {
            return SemanticVersions.compare(left, right);
        }

        @Override
        public boolean isValid(String version) {
            return SemanticVersions.parse(version) != null;
        }
    },
    /** npm's node-semver: semver with its loose forms ({@code v1.2.3}, {@code =1.2.3}). */
    NPM("npm") {
        @Override
        public int compare(String left, String right) {
            return SemanticVersions.compare(left, right);
        }

        @Override
        public boolean isValid(String version) {
            return SemanticVersions.parse(version) != null;
        }
    },
    /** Maven's {@code ComparableVersion}: qualifiers alpha &lt; beta &lt; milestone &lt; rc &lt; snapshot &lt; release &lt; sp. */
    MAVEN("maven") {
        @Override
        public int compare(String left, String right) {
            return MavenVersions.compare(left, right);
        }
    },
    /** PEP 440 (PyPI): epochs, pre-, post- and development releases, local versions. */
    PYPI("pypi") {
        @Override
        public int compare(String left, String right) {
            return Pep440Versions.compare(left, right);
        }

        @Override
        public boolean isValid(String version) {
            return Pep440Versions.parse(version) != null;
        }
    },
    /** Debian (dpkg): {@code epoch:upstream-revision}, {@code ~} before anything, even the end. */
    DEBIAN("deb") {
        @Override
        public int compare(String left, String right) {
            return DebianVersions.compare(left, right);
        }
    },
    /** RPM ({@code rpmvercmp}): {@code epoch:version-release}, {@code ~} before and {@code ^} after the end. */
    RPM("rpm") {
        @Override
        public int compare(String left, String right) {
            return RpmVersions.compare(left, right);
        }
    };

    private final String id;

    Ecosystem(String id) {
        this.id = id;
    }

    /** The short lower-case name used in package keys and output: {@code maven}, {@code npm}, {@code deb} ... */
    public String id() {
        return id;
    }

    /** Orders two versions by this ecosystem's rules; equal versions compare as 0 even when spelled differently. */
    @Override
    public abstract int compare(String left, String right);

    /** Whether the version follows this ecosystem's grammar (always true where the grammar accepts anything). */
    public boolean isValid(String version) {
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
