package dev.vigil.bench;

import dev.vigil.posture.PostureAnalyzer;
import dev.vigil.posture.PosturePolicy;
import dev.vigil.posture.PostureReport;
import dev.vigil.posture.VulnerabilityMatcher;
import dev.vigil.posture.inventory.Asset;
import dev.vigil.posture.inventory.Inventory;
import dev.vigil.posture.inventory.Origin;
import dev.vigil.posture.inventory.Software;
import dev.vigil.posture.version.VersionRange;
import dev.vigil.posture.vuln.Affected;
import dev.vigil.posture.vuln.Cvss;
import dev.vigil.posture.vuln.PackageId;
import dev.vigil.posture.vuln.Vulnerability;
import dev.vigil.posture.vuln.VulnImport;
import dev.vigil.posture.vuln.VulnKnowledge;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Vulnerability matching at the issue's scale: 10,000 assets with 200 packages each (two million installed items,
 * across Maven, npm, PyPI and Debian) against 250,000 version ranges (OSV-shaped records of five ranges each, on
 * 50,000 packages). Generated with a fixed seed, so every run matches the same data.
 *
 * <p>Measured on one thread, best of the rounds: the index build and its heap after a full GC; matching every item
 * (package-URL parse, index lookup, version comparisons); and, as the baseline of the same run, the package-key
 * lookups alone, with no version comparison. The whole analysis (findings, decisions, plan) is measured separately on
 * a tenth of the assets, since it holds the inventory in memory.
 */
public final class PostureBenchmark {
    private static final String[] TYPES = {"maven", "npm", "pypi", "deb"};

    /** What to generate. */
    public record Options(int assets, int packagesPerAsset, int ranges, int rounds) {}

    /**
     * @param heapBytes the index's heap after a full GC, less the heap before it was built
     * @param matchesPerRound vulnerable items found in one pass over all items
     */
    public record Report(int assets, int itemsMatched, int ranges, double buildSeconds, long heapBytes,
            double matchSeconds, double itemsPerSecond, double baselineSeconds, double ratioToBaseline,
            long matchesPerRound, int analyzedAssets, double analysisSeconds, int findings) {}

    private final Options options;
    private final PrintWriter progress;

    public PostureBenchmark(Options options, PrintWriter progress) {
        this.options = options;
        this.progress = progress;
    }

    private static String packageName(String type, int index) {
        return switch (type) {
            case "maven" -> "org.example" + index % 997 + ":lib-" + index;
            case "npm" -> "pkg-" + index;
            case "pypi" -> "py_pkg." + index;
            default -> "libdeb" + index;
        };
    }

    private static String version(String type, int major, int minor, int patch) {
        return type.equals("deb") ? major + "." + minor + "." + patch + "-1+deb12u" + (patch % 3)
                : major + "." + minor + "." + patch;
    }

    public Report run() {
        int packages = Math.max(1, options.ranges() / 5);
        progress.printf("posture bench: generating %,d ranges on %,d packages%n", options.ranges(), packages);
        progress.flush();
        List<Vulnerability> records = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
            String type = TYPES[p % TYPES.length];
            List<VersionRange> ranges = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                ranges.add(VersionRange.fixedIn(version(type, r + 1, 0, 0), version(type, r + 1, 4, 0)));
            }
            PackageId id = new PackageId(type, packageName(type, p));
            records.add(new Vulnerability("BENCH-" + p, List.of("CVE-2099-" + (10_000 + p)), "generated", "2025-01-01",
                    new Cvss("3.1", 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), List.of(), List.of(),
                    List.of(new Affected(id, "", "", null, null, id.ecosystem(), ranges, List.of(), false, "osv")),
                    "osv", "generated"));
        }
        VulnKnowledge knowledge = new VulnKnowledge();
        knowledge.merge(new VulnImport("generated", "osv", records, List.of(), List.of(), null, List.of(), List.of(),
                null));
        records = null;
        long heapBefore = SigmaBenchmark.usedHeapAfterGc();
        long start = System.nanoTime();
        VulnerabilityMatcher matcher = VulnerabilityMatcher.build(knowledge);
        double build = (System.nanoTime() - start) / 1e9;
        long heap = SigmaBenchmark.usedHeapAfterGc() - heapBefore;
        // a pool of distinct installed packages (more than the knowledge names, as in life), versions drawn per asset
        int pool = packages * 2;
        String[] purls = new String[pool];
        String[] names = new String[pool];
        for (int p = 0; p < pool; p++) {
            String type = TYPES[p % TYPES.length];
            String name = packageName(type, p);
            names[p] = name;
            purls[p] = "pkg:" + type + "/" + (type.equals("maven") ? name.replace(':', '/') : name) + "@";
        }
        double bestMatch = Double.MAX_VALUE;
        double bestBaseline = Double.MAX_VALUE;
        long matches = 0;
        Map<String, Object> keys = new HashMap<>();
        for (int p = 0; p < packages; p++) {
            String type = TYPES[p % TYPES.length];
            keys.put(new PackageId(type, packageName(type, p)).key(), Boolean.TRUE);
        }
        for (int round = 0; round < options.rounds(); round++) {
            progress.printf("posture bench: round %d of %d%n", round + 1, options.rounds());
            progress.flush();
            SplittableRandom random = new SplittableRandom(42);
            long found = 0;
            long t0 = System.nanoTime();
            for (int a = 0; a < options.assets(); a++) {
                String asset = "host-" + a;
                for (int i = 0; i < options.packagesPerAsset(); i++) {
                    int p = random.nextInt(pool);
                    String type = TYPES[p % TYPES.length];
                    String version = version(type, 1 + random.nextInt(6), random.nextInt(8), random.nextInt(5));
                    Software item = new Software(asset, names[p], "", version, purls[p] + version, null,
                            Origin.IMPORTED, "generated");
                    found += matcher.match(item).size();
                }
            }
            bestMatch = Math.min(bestMatch, (System.nanoTime() - t0) / 1e9);
            matches = found;
            random = new SplittableRandom(42);
            long hits = 0;
            t0 = System.nanoTime();
            for (int a = 0; a < options.assets(); a++) {
                for (int i = 0; i < options.packagesPerAsset(); i++) {
                    int p = random.nextInt(pool);
                    String type = TYPES[p % TYPES.length];
                    String version = version(type, 1 + random.nextInt(6), random.nextInt(8), random.nextInt(5));
                    hits += keys.containsKey(type + ":" + names[p].toLowerCase(java.util.Locale.ROOT))
                            && !version.isEmpty() ? 1 : 0;
                }
            }
            bestBaseline = Math.min(bestBaseline, (System.nanoTime() - t0) / 1e9);
            if (hits < 0) {
                throw new IllegalStateException(); // keeps the baseline loop from being optimized away
            }
        }
        long items = (long) options.assets() * options.packagesPerAsset();
        // the whole analysis on a tenth of the assets: findings, decisions, plan, scores
        int analyzed = Math.max(1, options.assets() / 10);
        List<Asset> assets = new ArrayList<>();
        List<Software> software = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int a = 0; a < analyzed; a++) {
            assets.add(Asset.named("host-" + a, Origin.IMPORTED, "generated"));
            for (int i = 0; i < options.packagesPerAsset(); i++) {
                int p = random.nextInt(pool);
                String type = TYPES[p % TYPES.length];
                String version = version(type, 1 + random.nextInt(6), random.nextInt(8), random.nextInt(5));
                software.add(new Software("host-" + a, names[p], "", version, purls[p] + version, null,
                        Origin.IMPORTED, "generated"));
            }
        }
        Inventory inventory = new Inventory(assets, software, List.of(), List.of());
        long t0 = System.nanoTime();
        PostureReport report = new PostureAnalyzer(knowledge, matcher, null, PosturePolicy.defaults())
                .analyze(inventory, Instant.parse("2025-06-01T00:00:00Z"));
        double analysis = (System.nanoTime() - t0) / 1e9;
        return new Report(options.assets(), (int) items, matcher.ranges(), build, heap, bestMatch, items / bestMatch,
                bestBaseline, bestBaseline / bestMatch, matches, analyzed, analysis, report.findings().size());
    }
}
