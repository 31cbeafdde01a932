package dev.vigil.stream;

import static java.util.Objects.requireNonNull;

import dev.vigil.intel.ioc.ImportOptions;
import dev.vigil.intel.ioc.IndicatorFiles;
import dev.vigil.intel.ioc.IndicatorImport;
import dev.vigil.intel.ioc.IndicatorIndex;
import dev.vigil.intel.ioc.IocDetector;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.TenantId;
import dev.vigil.model.VigilException;
import dev.vigil.sigma.Detector;
import dev.vigil.sigma.EventDetector;
import dev.vigil.sigma.LogSourceMap;
import dev.vigil.sigma.Placeholders;
import dev.vigil.sigma.RuleSet;
import dev.vigil.sigma.SigmaDocument;
import dev.vigil.sigma.SigmaParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's detection content as the pipeline holds it: its Sigma rule files and its indicator files, as text.
 * It travels on the compacted config topic, keyed by tenant, one value per tenant holding all of it (the latest
 * wins), and every worker reads the whole topic as a global table: a rule published once reaches every partition,
 * and a worker that starts later reads it first.
 *
 * <p>The files are kept as written rather than compiled, so that workers compile them with their own engine and the
 * content stays readable on the topic; a worker compiles a tenant's content once per value it sees.
 *
 * @param rules Sigma rule files: name and YAML
 * @param indicators indicator files (STIX 2.x, MISP, CSV, plain lists): name and content
 */
public record TenantContent(Map<String, String> rules, Map<String, String> indicators) {
    public TenantContent {
        rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(rules, "rules is null")));
        indicators = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(indicators, "indicators is null")));
    }

    public byte[] encode() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rules", rules);
        json.put("indicators", indicators);
        return StreamJson.mapper().writeValueAsBytes(json);
    }

    @SuppressWarnings("unchecked")
    public static TenantContent decode(byte[] bytes) {
        Map<String, Object> json = StreamJson.mapper().readValue(bytes, Map.class);
        return new TenantContent((Map<String, String>) json.getOrDefault("rules", Map.of()),
                (Map<String, String>) json.getOrDefault("indicators", Map.of()));
    }

    /**
     * Parses and compiles the rules, and indexes the indicators active now.
     *
     * <p>Sigma correlation rules (event counts over windows) are left out: they need the embedded pipeline's
     * whole-run view of signals, which a stream does not have; the rules they name alert on their own here.
     *
     * @throws VigilException {@code RULE_INVALID} naming the file when a rule file does not parse, {@code USAGE}
     *     naming the file when an indicator file cannot be read
     */
    public Compiled compile(TenantId tenant, Instant now) {
        List<String> problems = new ArrayList<>();
        List<SigmaDocument> documents = new ArrayList<>();
        rules.forEach((source, yaml) -> {
            for (SigmaDocument document : SigmaParser.parse(yaml, source)) {
                if (!(document instanceof SigmaDocument.Correlation)) {
                    documents.add(document);
                }
            }
        });
        RuleSet ruleSet = null;
        if (!documents.isEmpty()) {
            ruleSet = RuleSet.compile(documents, LogSourceMap.builtIn(), Placeholders.none());
            ruleSet.failures().forEach(f -> problems.add(f.source() + ": " + f.reference() + ": " + f.reason()));
            if (ruleSet.rules().isEmpty()) {
                ruleSet = null;
            }
        }
        IndicatorIndex.Builder builder = IndicatorIndex.builder(now);
        indicators.forEach((source, content) -> {
            IndicatorImport read = IndicatorFiles.read(source, content.getBytes(StandardCharsets.UTF_8), null,
                    ImportOptions.at(now));
            if (read.problem() != null) {
                throw new VigilException(ErrorCode.USAGE, "indicator file " + source + " of tenant '" + tenant
                        + "' cannot be read: " + read.problem(), "Publish STIX 2.x, MISP JSON or CSV, or a plain"
                                + " list of indicators.", null);
            }
            read.indicators().forEach(builder::add);
        });
        IndicatorIndex index = builder.build();
        return new Compiled(tenant, ruleSet, index.isEmpty() ? null : index, problems);
    }

    /**
     * A tenant's content compiled: the rule set and the indicator index, both immutable and shared by every stream
     * thread of a worker; each thread runs them through {@linkplain #detectors() detectors of its own}.
     *
     * @param rules the compiled Sigma rules, or null when none is active
     * @param indicators the indicators active when the content was compiled, or null when there are none
     * @param problems rules that compile to nothing, each with why
     */
    public record Compiled(TenantId tenant, RuleSet rules, IndicatorIndex indicators, List<String> problems) {
        public Compiled {
            requireNonNull(tenant, "tenant is null");
            problems = List.copyOf(problems);
        }

        /** New detectors over the content, for one thread (detectors keep counts and buffers). */
        public List<EventDetector> detectors() {
            List<EventDetector> detectors = new ArrayList<>();
            if (rules != null) {
                detectors.add(new Detector(tenant, rules));
            }
            if (indicators != null) {
                detectors.add(new IocDetector(indicators, tenant));
            }
            return detectors;
        }

        public int ruleCount() {
            return rules == null ? 0 : rules.rules().size();
        }

        public int indicatorCount() {
            return indicators == null ? 0 : indicators.size();
        }
    }
}
