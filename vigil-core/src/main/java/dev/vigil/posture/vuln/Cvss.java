package dev.vigil.posture.vuln;

import java.util.HashMap;
import java.util.Map;

/**
 * A CVSS assessment: version ({@code 3.1}, {@code 4.0} ...), base score and vector. Where a record gives a v3 vector
 * without a score (OSV), the score is computed from the vector with the v3.1 specification's formula.
 */
public record Cvss(String version, double score, String vector) {
    public Cvss {
        version = version == null ? "" : version;
        vector = vector == null ? "" : vector;
    }

    /** The vector's metrics as {@code AV -> N}. */
    public Map<String, String> metrics() {
        Map<String, String> metrics = new HashMap<>();
        for (String part : vector.split("/")) {
            int colon = part.indexOf(':');
            if (colon > 0 && !part.startsWith("CVSS")) {
                metrics.put(part.substring(0, colon), part.substring(colon + 1));
            }
        }
        return metrics;
    }

    /** Reachable over the network without privileges or a user's help: what SSVC calls automatable (approximated). */
    public boolean automatable() {
        Map<String, String> m = metrics();
        return "N".equals(m.get("AV")) && "N".equals(m.get("PR")) && "N".equals(m.get("UI"));
    }

    /** High impact on confidentiality, integrity or availability of the system: SSVC's "total" technical impact. */
    public boolean totalImpact() {
        Map<String, String> m = metrics();
        if (m.containsKey("VC")) { // CVSS 4.0
            return "H".equals(m.get("VC")) && "H".equals(m.get("VI"));
        }
        return "H".equals(m.get("C")) && "H".equals(m.get("I")) || score >= 9.0;
    }

    public String severity() {
        return score >= 9.0 ? "critical" : score >= 7.0 ? "high" : score >= 4.0 ? "medium" : score > 0 ? "low" : "none";
    }

    /** The CVSS v3.x base score of a vector, or NaN when the vector is not a complete v3 vector. */
    public static double v3Score(String vector) {
        Map<String, String> m = new Cvss("3.1", 0, vector).metrics();
        Double av = switch (String.valueOf(m.get("AV"))) { case "N" -> 0.85; case "A" -> 0.62; case "L" -> 0.55;
            case "P" -> 0.2; default -> null; };
        Double ac = switch (String.valueOf(m.get("AC"))) { case "L" -> 0.77; case "H" -> 0.44; default -> null; };
        Double ui = switch (String.valueOf(m.get("UI"))) { case "N" -> 0.85; case "R" -> 0.62; default -> null; };
        boolean changed = "C".equals(m.get("S"));
        Double pr = switch (String.valueOf(m.get("PR"))) { case "N" -> 0.85; case "L" -> changed ? 0.68 : 0.62;
            case "H" -> changed ? 0.5 : 0.27; default -> null; };
        Double c = impact(m.get("C"));
        Double i = impact(m.get("I"));
        Double a = impact(m.get("A"));
        if (av == null || ac == null || ui == null || pr == null || c == null || i == null || a == null
                || !m.containsKey("S")) {
            return Double.NaN;
        }
        double iss = 1 - (1 - c) * (1 - i) * (1 - a);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
        double exploitability = 8.22 * av * ac * pr * ui;
        if (impact <= 0) {
            return 0;
        }
        return roundUp(changed ? Math.min(1.08 * (impact + exploitability), 10) : Math.min(impact + exploitability, 10));
    }

    private static Double impact(String value) {
        return switch (String.valueOf(value)) { case "H" -> 0.56; case "L" -> 0.22; case "N" -> 0.0; default -> null; };
    }

    /** The specification's Roundup: the smallest one-decimal number at least the input. */
    private static double roundUp(double value) {
        long scaled = Math.round(value * 100_000);
        return scaled % 10_000 == 0 ? scaled / 100_000.0 : (Math.floor(scaled / 10_000.0) + 1) / 10.0;
    }
}
