package dev.vigil.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.EventSink;
import dev.vigil.ingest.Format;
import dev.vigil.ingest.IngestDefaults;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestSummary;
import dev.vigil.ingest.Ingestor;
import dev.vigil.ingest.Normalizer;
import dev.vigil.ingest.SharedData;
import dev.vigil.model.Alert;
import dev.vigil.model.TenantId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SigmaHQ's regression tests, the third-party ground truth for the engine: for each, the rule must match at least
 * {@code match_count} (or, where the test gives none, at least one) of the recorded events, read through the real
 * ingest path (format detection, evtx_dump shape rewriting, normalization) and the real detection stage.
 */
class SigmaRegressionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TestFactory
    Stream<DynamicTest> every_regression_test_matches_its_events() throws IOException {
        Path sigma = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        List<JsonNode> tests = new ArrayList<>();
        for (String line : Files.readAllLines(sigma.resolve("regression_index.derived.jsonl"))) {
            if (!line.isBlank()) {
                tests.add(JSON.readTree(line));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(200);
        return tests.stream().map(test -> DynamicTest.dynamicTest(test.get("rule_title").asString(),
                () -> check(sigma, test)));
    }

    private static void check(Path sigma, JsonNode test) throws IOException {
        Path rulePath = sigma.resolve(test.get("rule_path").asString());
        Path events = sigma.resolve(test.get("json_event_path").asString());
        List<SigmaDocument> documents = SigmaParser.parse(Files.readString(rulePath), rulePath.toString());
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        assertThat(rules.failures()).as("compile failures").isEmpty();
        assertThat(rules.inactive()).as("rules without a table").isEmpty();

        CollectingSink sink = new CollectingSink();
        DetectingSink<CollectingSink> detecting = new DetectingSink<>(sink, new Detector(TenantId.DEFAULT, rules));
        Clock clock = Clock.systemUTC();
        Ingestor ingestor = new Ingestor(new Ingestor.Options(TenantId.DEFAULT, Format.AUTO,
                IngestDefaults.DEFAULT_TABLE, IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock),
                detecting, Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]));
        IngestSummary summary = ingestor.ingest(List.of(events.toString()));
        assertThat(summary.quarantined()).as("quarantined").isZero();

        String ruleId = test.get("rule_id").asString();
        long matched = sink.alerts.stream().filter(a -> a.ruleId().equals(ruleId))
                .flatMap(a -> a.eventIds().stream()).distinct().count();
        JsonNode expected = test.get("match_count");
        long wanted = expected == null || expected.isNull() ? 1 : expected.asLong();
        assertThat(matched).as("events of %s matched by %s (%s)", events.getFileName(), ruleId, rulePath)
                .isGreaterThanOrEqualTo(wanted);
    }

    /**
     * The candidate index drops no match: over every regression event, with the whole SigmaHQ corpus loaded, the
     * indexed matching finds exactly what checking every rule of the event's table finds.
     */
    @org.junit.jupiter.api.Test
    void the_candidate_index_finds_what_checking_every_rule_finds() throws IOException {
        Path sigma = SharedData.require("sigma", "https://github.com/SigmaHQ/sigma");
        List<SigmaDocument> documents = new ArrayList<>();
        for (String folder : List.of("rules", "rules-emerging-threats", "rules-threat-hunting")) {
            try (Stream<Path> files = Files.walk(sigma.resolve(folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                    try {
                        documents.addAll(SigmaParser.parse(Files.readString(file), file.toString()));
                    } catch (SigmaRuleException e) {
                        // counted by the import tests; this test is about matching
                    }
                }
            }
        }
        RuleSet rules = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
        assertThat(rules.rules()).hasSizeGreaterThan(3_000);
        List<dev.vigil.model.Event> events = new ArrayList<>();
        EventSink keep = new EventSink() {
            @Override
            public Result append(Batch batch) {
                events.addAll(batch.events());
                return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
            }

            @Override
            public void commit() {}
        };
        Clock clock = Clock.systemUTC();
        new Ingestor(new Ingestor.Options(TenantId.DEFAULT, Format.AUTO, IngestDefaults.DEFAULT_TABLE,
                IngestLimits.DEFAULTS, ZoneOffset.UTC), Normalizer.standard(clock), keep,
                Ingestor.ProgressListener.NONE, clock, new ByteArrayInputStream(new byte[0]))
                .ingest(List.of(sigma.resolve("regression_data").toString()));
        assertThat(events).hasSizeGreaterThan(200);

        RuleSet.Evaluator indexed = rules.evaluator();
        RuleSet.Evaluator exhaustive = rules.evaluator();
        long matches = 0;
        for (dev.vigil.model.Event event : events) {
            List<String> fast = indexed.match(EventView.of(event)).stream().map(m -> m.rule().id()).sorted().toList();
            List<String> all = exhaustive.matchExhaustively(EventView.of(event)).stream().map(m -> m.rule().id())
                    .sorted().toList();
            assertThat(fast).as("rules matching event %s", event.id()).isEqualTo(all);
            matches += all.size();
        }
        assertThat(matches).isGreaterThanOrEqualTo(events.size() / 2);
        long everyRule = events.stream().mapToLong(e -> rules.rules().stream()
                .filter(r -> r.tables().contains(e.table())).count()).sum();
        assertThat(indexed.fullChecks()).as("full rule checks left by the index").isLessThan(everyRule / 20);
    }

    /** Keeps what ingest stores, in memory. */
    static final class CollectingSink implements EventSink, AlertSink {
        final List<Alert> alerts = new ArrayList<>();
        long events;

        @Override
        public Result append(Batch batch) {
            events += batch.events().size();
            return new Result(batch.events().size(), 0, batch.quarantined().size(), 0);
        }

        @Override
        public void commit() {}

        @Override
        public int appendAlerts(List<Alert> list) {
            alerts.addAll(list);
            return list.size();
        }
    }
}
