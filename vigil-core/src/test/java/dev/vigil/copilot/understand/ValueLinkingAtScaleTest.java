package dev.vigil.copilot.understand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.EntityType;
import dev.vigil.copilot.Mention;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Value linking against a large tenant: 100,000 host names and 100,000 user names, as the store's distinct values
 * would give them. Checks that the indexes find what a scan would; prints the time per prompt as a figure to watch,
 * never asserted (JMH is where speed is measured).
 */
class ValueLinkingAtScaleTest {
    private static final int SIZE = 100_000;
    private static final String[] SITES = {"nyc", "lon", "fra", "sgp", "syd"};
    private static final String[] FIRST_NAMES = {"alice", "bruno", "chloe", "dmitri", "elena", "farid", "grace",
        "hiro", "ines", "jonas"};
    private static List<String> hosts;
    private static List<String> users;
    private static Extractor extractor;

    @BeforeAll
    static void buildTenant() {
        hosts = new ArrayList<>(SIZE);
        users = new ArrayList<>(SIZE);
        for (int i = 0; i < SIZE; i++) {
            String site = SITES[i % SITES.length];
            String prefix = i % 2 == 0 ? "WKS-" : "SRV-";
            String suffix = i % 2 == 0 ? ".corp.example" : "";
            hosts.add(String.format(Locale.ROOT, "%s%s-%05d%s", prefix, site.toUpperCase(Locale.ROOT), i, suffix));
            users.add(String.format(Locale.ROOT, "CORP\\%s.%s%d", FIRST_NAMES[i % FIRST_NAMES.length],
                    Integer.toString(i * 7919 % 1_000_003, 36), i % 10));
        }
        ValueDictionary dictionary = ValueDictionary.of(Map.of(EntityType.HOST, hosts, EntityType.USER, users));
        long start = System.nanoTime();
        extractor = new Extractor(Fixtures.LEXICON, dictionary, Fixtures.KNOWLEDGE);
        System.out.printf(Locale.ROOT, "indexed %d values in %d ms%n", dictionary.size(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Extraction extract(String prompt) {
        return extractor.extract(prompt, Fixtures.NOW, ZoneOffset.UTC);
    }

    @Test
    void linksExactlyAndByFirstLabel() {
        assertThat(extract("procs on wks-nyc-00000 touching lsass").mentions(EntityType.HOST))
                .extracting(Mention::value).containsExactly("WKS-NYC-00000.corp.example");
        assertThat(extract("procs on SRV-LON-00001 last 24h").mentions(EntityType.HOST))
                .extracting(Mention::value).containsExactly("SRV-LON-00001");
        assertThat(extract("logons on srv-lon-00001.corp.example").mentions(EntityType.HOST))
                .extracting(Mention::value).containsExactly("SRV-LON-00001");
    }

    @Test
    void linksUsersWithoutTheirDomain() {
        String user = users.get(12_345);
        String name = user.substring(user.indexOf('\\') + 1);

        assertThat(extract("failed logons " + name + " 24h").mentions(EntityType.USER))
                .extracting(Mention::value).containsExactly(user);
    }

    @Test
    void linksEveryMisspellingWithinReachToWhatAScanFinds() {
        Random random = new Random(42);
        for (int trial = 0; trial < 60; trial++) {
            String host = hosts.get(random.nextInt(SIZE));
            String key = ValueIndex.firstLabel(host.toLowerCase(Locale.ROOT));
            String typo = switch (trial % 3) {
                case 0 -> key.substring(0, 4) + key.substring(5);                      // a letter left out
                case 1 -> key.substring(0, 5) + key.charAt(6) + key.charAt(5) + key.substring(7); // two swapped
                default -> key.substring(0, 3) + "x" + key.substring(3);              // one too many
            };
            List<String> scan = closestByScan(typo);

            Extraction extraction = extract("procs on " + typo);

            List<String> linked = extraction.isAmbiguous()
                    ? extraction.ambiguous().getFirst().stream().map(Mention::value).toList()
                    : extraction.values(EntityType.HOST);
            assertThat(linked).as("linked for %s (typo of %s)", typo, host).containsExactlyInAnyOrderElementsOf(scan);
        }
    }

    /** The hosts a scan of all values finds closest to the typo, within the distance its length allows. */
    private static List<String> closestByScan(String typo) {
        int allowed = ValueIndex.allowedDistance(typo.length());
        int best = allowed + 1;
        List<String> closest = new ArrayList<>();
        for (String host : hosts) {
            int distance = dev.vigil.model.EditDistance.ignoringCase(typo,
                    ValueIndex.firstLabel(host.toLowerCase(Locale.ROOT)));
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            if (distance == best) {
                closest.add(host);
            }
        }
        return closest;
    }

    @Test
    void printsTheTimePerPrompt() {
        List<String> prompts = List.of("procs on wks-nyc-00000 touching lsass last 24 hours",
                "failed logons for " + users.get(99).substring(5) + " since monday on srv-lon-00001",
                "top 5 processes on wks-fra-00002 connecting to 1.2.3.4 or evil[.]com yesterday between 2 and 4 pm",
                "did anything touch lsass on srv-sgp-00003 over the weekend, incident 12",
                "show powershel procs on wks-syd-0004 in the past 7 days");
        for (int i = 0; i < 500; i++) {
            extract(prompts.get(i % prompts.size()));
        }
        int runs = 1_000;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            extract(prompts.get(i % prompts.size()));
        }
        System.out.printf(Locale.ROOT, "%.1f us per prompt of about 15 words with %d hosts and %d users%n",
                (System.nanoTime() - start) / 1e3 / runs, SIZE, SIZE);
    }
}
