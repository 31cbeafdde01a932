package dev.vigil.posture.vuln;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Vendor and product names reduced to a comparable form, so that CPE's {@code paloaltonetworks:pan-os}, KEV's
 * "Palo Alto Networks / PAN-OS" and an inventory's "Palo Alto Networks Inc. / PAN-OS" meet: lower case, letters and
 * digits only, legal-form and filler words dropped from vendors ("Inc.", "Corporation", "Software Foundation"), the
 * vendor's name dropped from the front of a product ("Apache Log4j2" of Apache is "log4j2"), then the aliases of
 * {@code names.tsv} applied ({@code log4j2} is {@code log4j}).
 */
public final class Names {
    private static final Set<String> VENDOR_FILLER = Set.of("the", "inc", "incorporated", "corp", "corporation", "co",
            "company", "ltd", "limited", "llc", "gmbh", "ag", "sa", "plc", "foundation", "software", "systems",
            "technologies", "technology", "project", "group", "contributors", "team", "community");
    private static final Map<String, String> ALIASES = loadAliases();

    private Names() {}

    public static String vendor(String vendor) {
        if (vendor == null || vendor.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String word : words(vendor)) {
            if (!VENDOR_FILLER.contains(word)) {
                out.append(word);
            }
        }
        String result = out.isEmpty() ? String.join("", words(vendor)) : out.toString();
        return ALIASES.getOrDefault("vendor:" + result, result);
    }

    /** The product's comparable name; the vendor (raw or normalized, may be null) is dropped from its front. */
    public static String product(String product, String vendor) {
        if (product == null || product.isBlank()) {
            return "";
        }
        String joined = String.join("", words(product));
        String vendorName = vendor(vendor);
        if (!vendorName.isEmpty() && joined.startsWith(vendorName) && joined.length() > vendorName.length()) {
            joined = joined.substring(vendorName.length());
        } else if (vendor != null) {
            String rawVendor = String.join("", words(vendor));
            if (!rawVendor.isEmpty() && joined.startsWith(rawVendor) && joined.length() > rawVendor.length()) {
                joined = joined.substring(rawVendor.length());
            }
        }
        return ALIASES.getOrDefault(joined, joined);
    }

    private static String[] words(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{Alnum}]+", " ").strip();
        return lower.isEmpty() ? new String[0] : lower.split(" ");
    }

    private static Map<String, String> loadAliases() {
        Map<String, String> aliases = new HashMap<>();
        try (InputStream in = Names.class.getResourceAsStream("names.tsv")) {
            if (in == null) {
                throw new IllegalStateException("names.tsv is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                aliases.put(columns[0].strip(), columns[1].strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(aliases);
    }
}
