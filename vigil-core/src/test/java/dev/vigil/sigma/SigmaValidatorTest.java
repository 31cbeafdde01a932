package dev.vigil.sigma;

import static dev.vigil.sigma.SigmaValidatorTest.Authority.SCHEMA;
import static dev.vigil.sigma.SigmaValidatorTest.Authority.TEXT;
import static dev.vigil.sigma.SigmaValidatorTest.Authority.YAML;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.vigil.ingest.SharedData;
import dev.vigil.sigma.SigmaValidator.Kind;
import dev.vigil.sigma.SigmaValidator.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link SigmaValidator} accepts and refuses, each refusal with its message verbatim; then, on the shared data,
 * that the specification's examples are valid and that its verdict agrees with the specification's official JSON
 * schemas on every rule of the SigmaHQ corpus, except where those schemas fall short of the specification's text.
 */
class SigmaValidatorTest {
    private static final String SOURCE = "rules/x.yml";
    private static final String SIGMA = "https://github.com/SigmaHQ/sigma";
    private static final String SPECIFICATION = "https://github.com/SigmaHQ/sigma-specification";
    /** The SigmaHQ rule folders a detection engine loads (rules-dfir is empty in the current corpus). */
    private static final List<String> CORPUS_FOLDERS =
            List.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-dfir", "deprecated", "unsupported");

    private static final String RULE = """
            title: Whoami Execution
            id: 929a690e-bef0-4204-a928-ef5e620d6fcc
            status: test
            description: Detects a whoami.exe execution
            references:
                - https://example.org/whoami
            author: Florian Roth
            date: 2019-10-23
            modified: 2024-08-08
            tags:
                - attack.discovery
                - attack.t1033
            logsource:
                category: process_creation
                product: windows
            detection:
                selection:
                    Image|endswith: '\\whoami.exe'
                condition: selection
            falsepositives:
                - Admin activity
            level: high
            """;

    private static final String CORRELATION = """
            title: Many failed logins
            correlation:
                type: event_count
                rules:
                    - failed_login
                group-by:
                    - TargetUserName
                timespan: 1h
                condition:
                    gte: 10
            """;

    private static final String FILTER = """
            title: Filter administrator accounts
            logsource:
                category: process_creation
                product: windows
            filter:
                rules:
                    - 6f3e2987-db24-4c78-a860-b4f4095a7095
                selection:
                    User|startswith: 'adm_'
                condition: selection
            """;

    /** The specification's own example: a correlation chain and its rules in one file. */
    private static final String MULTI_DOCUMENT = """
            title: Correlation - Multiple Failed Logins Followed by Successful Login
            id: b180ead8-d58f-40b2-ae54-c8940995b9b6
            correlation:
                type: temporal_ordered
                rules:
                    - multiple_failed_login
                    - successful_login
                group-by:
                    - User
                timespan: 10m
            level: high
            ---
            title: Multiple failed logons
            name: multiple_failed_login
            correlation:
                type: event_count
                rules:
                    - failed_login
                group-by:
                    - User
                timespan: 10m
                condition:
                    gte: 10
            ---
            title: Single failed login
            name: failed_login
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID:
                        - 529
                        - 4625
                condition: selection
            ---
            title: Successful login
            name: successful_login
            logsource:
                product: windows
                service: security
            detection:
                selection:
                    EventID:
                        - 528
                        - 4624
                condition: selection
            """;

    @Test
    void aValidRuleCorrelationAndFilterHaveNoProblems() {
        assertThat(problems(RULE)).isEmpty();
        assertThat(problems(CORRELATION)).isEmpty();
        assertThat(problems(FILTER)).isEmpty();
        assertThat(problems(MULTI_DOCUMENT)).isEmpty();
    }

    @Test
    void theKindIsTakenFromTheTopLevelKeys() {
        assertThat(SigmaValidator.kindOf(documents(RULE, SOURCE).getFirst())).isEqualTo(Kind.DETECTION);
        assertThat(SigmaValidator.kindOf(documents(CORRELATION, SOURCE).getFirst())).isEqualTo(Kind.CORRELATION);
        assertThat(SigmaValidator.kindOf(documents(FILTER, SOURCE).getFirst())).isEqualTo(Kind.FILTER);
    }

    @Test
    void aProblemNamesTheSourceAndThePositionOfTheOffendingNode() {
        List<Problem> problems = SigmaValidator.validate(documents(RULE.replace("Image|endswith", "Image|endwith"),
                "rules/windows/whoami.yml").getFirst(), "rules/windows/whoami.yml");

        assertThat(problems).containsExactly(new Problem("rules/windows/whoami.yml", 18, 9,
                "detection.selection.Image|endwith", "unknown modifier 'endwith'; did you mean 'endswith'?"));
        assertThat(problems.getFirst()).hasToString("rules/windows/whoami.yml:18:9: detection.selection.Image|endwith:"
                + " unknown modifier 'endwith'; did you mean 'endswith'?");
    }

    @Test
    void everyDocumentOfAFileIsCheckedByItsKindWithLinesCountedFromTheStartOfTheFile() {
        List<MappingNode> documents = documents(MULTI_DOCUMENT, SOURCE);

        assertThat(documents).extracting(SigmaValidator::kindOf)
                .containsExactly(Kind.CORRELATION, Kind.CORRELATION, Kind.DETECTION, Kind.DETECTION);
        assertThat(problems(MULTI_DOCUMENT.replace("timespan: 10m\n    condition", "timespan: 10 min\n    condition")
                .replace("- 4624", "- null"))).containsExactly(
                "rules/x.yml:21:15: correlation.timespan: '10 min' is not a timespan; write a whole number above zero"
                        + " and one lower-case unit, s, m, h or d (at most 10 characters), e.g. 90m or 1h",
                "rules/x.yml:46:15: detection.selection.EventID[1]: null cannot be one of a list of values; match null"
                        + " in a selection of its own ('Field: null') and combine the selections in the condition");
    }

    @Test
    void problemsComeInDocumentOrder() {
        String yaml = RULE.replace("status: test", "status: tested").replace("level: high", "level: severe")
                .replace("date: 2019-10-23", "date: 23.10.2019");

        assertThat(SigmaValidator.validate(documents(yaml, SOURCE).getFirst(), SOURCE))
                .extracting(Problem::path).containsExactly("status", "date", "level");
    }

    /** Who says a mistake is one. The official JSON schemas check part of what the specification says. */
    enum Authority {
        /** The official JSON schema refuses it too. */
        SCHEMA,
        /**
         * The specification's text or its modifiers appendix forbids it, but the official schema, as written, lets
         * it pass: it gives {@code timespan} no pattern; its correlation {@code condition} lists gt..neq and field
         * inside {@code anyOf} without {@code properties}, and its value_* {@code then} puts {@code condition} beside
         * {@code properties}, so neither checks anything; it allows a correlation of no rules; its date pattern takes
         * days that do not exist; and it does not look inside search identifiers (modifiers, values).
         */
        TEXT,
        /** YAML: a key appears once in a mapping. The schema sees the mapping after the parser kept one of the two. */
        YAML
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                mistake("a rule without a title", SCHEMA, RULE.replace("title: Whoami Execution\n", ""),
                        "rules/x.yml:1:1: title: required but missing; add a short title saying what the rule detects,"
                                + " e.g. 'title: Whoami Execution'"),
                mistake("a title that is a list", SCHEMA, RULE.replace("title: Whoami Execution", "title: [a, b]"),
                        "rules/x.yml:1:8: title: must be text, not a list; write a single value"),
                mistake("a title too long", SCHEMA, RULE.replace("Whoami Execution", "x".repeat(257)),
                        "rules/x.yml:1:8: title: is 257 characters long, more than 256; shorten it"),
                mistake("an unknown level", SCHEMA, RULE.replace("level: high", "level: severe"),
                        "rules/x.yml:22:8: level: 'severe' is not a level; use one of informational, low, medium,"
                                + " high, critical"),
                mistake("a misspelt level", SCHEMA, RULE.replace("level: high", "level: Hihg"),
                        "rules/x.yml:22:8: level: 'Hihg' is not a level; did you mean 'high'? use one of"
                                + " informational, low, medium, high, critical"),
                mistake("an unknown status", SCHEMA, RULE.replace("status: test", "status: experimantal"),
                        "rules/x.yml:3:9: status: 'experimantal' is not a status; did you mean 'experimental'? use one"
                                + " of stable, test, experimental, deprecated, unsupported"),
                mistake("an id that is not a UUID", SCHEMA, RULE.replace("929a690e-bef0-4204-a928-ef5e620d6fcc", "whoami-1"),
                        "rules/x.yml:2:5: id: 'whoami-1' is not a UUID; write 32 hexadecimal digits grouped 8-4-4-4-12,"
                                + " e.g. 929a690e-bef0-4204-a928-ef5e620d6fcc (uuidgen makes one)"),
                mistake("an id that is a number", SCHEMA, RULE.replace("929a690e-bef0-4204-a928-ef5e620d6fcc", "12345"),
                        "rules/x.yml:2:5: id: must be text, not a number; quote it: '12345'"),
                mistake("a date in another format", SCHEMA, RULE.replace("date: 2019-10-23", "date: 2019/10/23"),
                        "rules/x.yml:8:7: date: '2019/10/23' is not a date written YYYY-MM-DD; write e.g. 2024-08-08"),
                mistake("a date not in the calendar", TEXT, RULE.replace("modified: 2024-08-08", "modified: 2023-02-29"),
                        "rules/x.yml:9:11: modified: '2023-02-29' is not a day of the calendar; write the date the"
                                + " rule was last changed, YYYY-MM-DD"),
                mistake("a tag in upper case", SCHEMA, RULE.replace("attack.t1033", "attack.T1033"),
                        "rules/x.yml:12:7: tags[1]: 'attack.T1033' is not a tag; write it in lower case:"
                                + " 'attack.t1033'"),
                mistake("a tag without a namespace", SCHEMA, RULE.replace("attack.t1033", "discovery"),
                        "rules/x.yml:12:7: tags[1]: 'discovery' is not a tag; write a namespace and a name in"
                                + " lower-case letters, digits, '_' and '-', separated by a dot, e.g. 'attack.t1059.001'"),
                mistake("a repeated tag", SCHEMA, RULE.replace("attack.t1033", "attack.discovery"),
                        "rules/x.yml:12:7: tags[1]: repeats item 0; remove it"),
                mistake("a false positive of one character", SCHEMA, RULE.replace("Admin activity", "x"),
                        "rules/x.yml:21:7: falsepositives[0]: 'x' is too short; write at least 2 characters or remove"
                                + " it"),
                mistake("references as one string", SCHEMA, RULE.replace("references:\n    - https", "references: https"),
                        "rules/x.yml:5:13: references: must be a list, not text; write one item per line, each"
                                + " starting with '- '"),
                mistake("a relation without its type", SCHEMA, RULE.replace("status: test",
                                "related:\n    - id: 08fbc97d-0a2f-491c-ae21-8ffcfd3174e9"),
                        "rules/x.yml:4:7: related[0].type: required but missing; add how it is related: one of derived,"
                                + " obsolete, merged, renamed, similar"),
                mistake("a relation of an unknown type", SCHEMA, RULE.replace("status: test",
                                "related:\n    - id: 08fbc97d-0a2f-491c-ae21-8ffcfd3174e9\n      type: derivd"),
                        "rules/x.yml:5:13: related[0].type: 'derivd' is not a relation type; did you mean 'derived'?"
                                + " use one of derived, obsolete, merged, renamed, similar"),
                mistake("a log source product that is a list", SCHEMA,
                        RULE.replace("product: windows", "product: [windows]"),
                        "rules/x.yml:15:14: logsource.product: must be text, not a list; write a single value"),
                mistake("a detection without a condition", SCHEMA, RULE.replace("    condition: selection\n", ""),
                        "rules/x.yml:17:5: detection.condition: required but missing; add the condition that combines"
                                + " the search identifiers, e.g. 'condition: selection and not filter'"),
                mistake("a search identifier that is a string", SCHEMA, RULE.replace(
                                "selection:\n        Image|endswith: '\\whoami.exe'", "selection: whoami.exe"),
                        "rules/x.yml:17:16: detection.selection: must be a mapping of fields to values or a list of"
                                + " keywords, not text; write e.g. 'selection: {Image|endswith: \\cmd.exe}' or a list of"
                                + " keywords, one per line starting with '- '"),
                mistake("a Sigma 1 timeframe", SCHEMA, RULE.replace("condition: selection", "timeframe: 15m\n"
                                + "    condition: selection"),
                        "rules/x.yml:19:16: detection.timeframe: a detection has no timeframe since Sigma 2; count"
                                + " events over a time window with a correlation rule that refers to this rule, e.g."
                                + " 'correlation: {type: event_count, rules: [<id of this rule>], group-by: [User],"
                                + " timespan: 15m, condition: {gte: 10}}'"),
                mistake("a keyword that is a boolean", SCHEMA, RULE.replace(
                                "selection:\n        Image|endswith: '\\whoami.exe'", "selection:\n        - true"),
                        "rules/x.yml:18:11: detection.selection[0]: a keyword must be text or a whole number, or a"
                                + " mapping of fields to values, not a boolean; quote it: 'true'"),
                mistake("a misspelt modifier", TEXT, RULE.replace("|endswith", "|endwith"),
                        "rules/x.yml:18:9: detection.selection.Image|endwith: unknown modifier 'endwith'; did you mean"
                                + " 'endswith'?"),
                mistake("null in a list of values", TEXT, RULE.replace("Image|endswith: '\\whoami.exe'",
                                "Image:\n            - a.exe\n            - null"),
                        "rules/x.yml:20:15: detection.selection.Image[1]: null cannot be one of a list of values; match"
                                + " null in a selection of its own ('Field: null') and combine the selections in the"
                                + " condition"),
                mistake("an unknown modifier far from every known one", TEXT, RULE.replace("|endswith", "|xyzzy"),
                        "rules/x.yml:18:9: detection.selection.Image|xyzzy: unknown modifier 'xyzzy'; the modifiers are"
                                + " all, startswith, endswith, contains, exists, cased, neq, windash, re, i, m, s, base64,"
                                + " base64offset, utf16le, utf16be, utf16, wide, lt, lte, gt, gte, minute, hour, day,"
                                + " week, month, year, cidr, expand, fieldref"),
                mistake("a modifier in upper case", TEXT, RULE.replace("|endswith", "|EndsWith"),
                        "rules/x.yml:18:9: detection.selection.Image|EndsWith: unknown modifier 'EndsWith'; did you"
                                + " mean 'endswith'?"),
                mistake("an empty modifier", TEXT, RULE.replace("|endswith", "||endswith"),
                        "rules/x.yml:18:9: detection.selection.Image||endswith: empty modifier between two '|'; remove"
                                + " the extra '|'"),
                mistake("a regular expression flag without re", TEXT, RULE.replace("|endswith", "|i"),
                        "rules/x.yml:18:9: detection.selection.Image|i: modifier 'i' is a flag of regular expressions;"
                                + " write it after 're', e.g. 'Image|re|i'"),
                mistake("exists with a string", TEXT, RULE.replace("Image|endswith: '\\whoami.exe'", "Image|exists: 'yes'"),
                        "rules/x.yml:18:23: detection.selection.Image|exists: the 'exists' modifier takes true or false,"
                                + " not text; write 'Image|exists: true'"),
                mistake("all with one value", TEXT, RULE.replace("|endswith", "|endswith|all"),
                        "rules/x.yml:18:29: detection.selection.Image|endswith|all: the 'all' modifier needs two or"
                                + " more values to AND; with one value remove '|all'"),
                mistake("gt with quoted text", TEXT, RULE.replace("Image|endswith: '\\whoami.exe'", "Size|gt: '5'"),
                        "rules/x.yml:18:18: detection.selection.Size|gt: lt, lte, gt and gte compare numbers, not text;"
                                + " write the number without quotes"),
                mistake("a field whose value is a mapping", TEXT, RULE.replace("'\\whoami.exe'", "{a: b}"),
                        "rules/x.yml:18:25: detection.selection.Image|endswith: a field's value must be a value or a"
                                + " list of values, not a mapping; to match several fields, write each as a key of the"
                                + " selection"),
                mistake("a field written twice", YAML, RULE.replace("Image|endswith: '\\whoami.exe'",
                                "Image|endswith: '\\whoami.exe'\n        Image|endswith: '\\who.exe'"),
                        "rules/x.yml:19:9: detection.selection.Image|endswith: duplicate key (first at line 18); a key"
                                + " may appear once in a mapping, so merge the two"),
                mistake("a correlation without group-by", SCHEMA,
                        CORRELATION.replace("    group-by:\n        - TargetUserName\n", ""),
                        "rules/x.yml:3:5: correlation.group-by: required but missing; the event_count correlation needs"
                                + " it: list the fields whose values group the events, e.g. 'group-by: [User]'"),
                mistake("a correlation of an unknown type", SCHEMA, CORRELATION.replace("event_count", "event_counts"),
                        "rules/x.yml:3:11: correlation.type: 'event_counts' is not a correlation type; did you mean"
                                + " 'event_count'? use one of event_count, value_count, temporal, temporal_ordered,"
                                + " value_sum, value_avg, value_percentile"),
                mistake("a timespan in words", TEXT, CORRELATION.replace("timespan: 1h", "timespan: 1 hour"),
                        "rules/x.yml:8:15: correlation.timespan: '1 hour' is not a timespan; write a whole number above"
                                + " zero and one lower-case unit, s, m, h or d (at most 10 characters), e.g. 90m or 1h"),
                mistake("a timespan of zero", TEXT, CORRELATION.replace("timespan: 1h", "timespan: 0m"),
                        "rules/x.yml:8:15: correlation.timespan: '0m' is not a timespan; write a whole number above zero"
                                + " and one lower-case unit, s, m, h or d (at most 10 characters), e.g. 90m or 1h"),
                mistake("a timespan that is a number", SCHEMA, CORRELATION.replace("timespan: 1h", "timespan: 60"),
                        "rules/x.yml:8:15: correlation.timespan: must be text, not a number; quote it: '60'"),
                mistake("an unknown comparison", TEXT, CORRELATION.replace("gte: 10", "gtee: 10"),
                        "rules/x.yml:10:9: correlation.condition.gtee: unknown condition key; did you mean 'gte'? a"
                                + " condition holds gt, gte, lt, lte, eq or neq with a number, and field",
                        "rules/x.yml:10:9: correlation.condition: compares nothing; add one of gt, gte, lt, lte, eq,"
                                + " neq with a number, e.g. 'gte: 10' (two of them make a range)"),
                mistake("a count compared with text", TEXT, CORRELATION.replace("gte: 10", "gte: many"),
                        "rules/x.yml:10:14: correlation.condition.gte: must be a whole number, not text; write e.g."
                                + " 'gte: 10' without quotes"),
                mistake("a value_count without its field", TEXT, CORRELATION.replace("event_count", "value_count"),
                        "rules/x.yml:10:9: correlation.condition.field: required but missing: the value_count"
                                + " correlation needs the field whose values it aggregates, e.g. 'field:"
                                + " TargetUserName'"),
                mistake("an event_count without a condition", SCHEMA,
                        CORRELATION.replace("    condition:\n        gte: 10\n", ""),
                        "rules/x.yml:3:5: correlation.condition: required but missing; the event_count correlation"
                                + " needs it, e.g. 'condition: {gte: 10}'"),
                mistake("a correlation of no rules", TEXT, CORRELATION.replace("rules:\n        - failed_login",
                                "rules: []"),
                        "rules/x.yml:4:12: correlation.rules: is empty; list the ids or names of the correlated rules"),
                mistake("a rule reference of one character", SCHEMA, CORRELATION.replace("- failed_login", "- f"),
                        "rules/x.yml:5:11: correlation.rules[0]: 'f' is too short to name a rule; refer to the rule by"
                                + " its id or by its name (two characters or more)"),
                mistake("generate as text", SCHEMA, CORRELATION + "generate: 'yes'\n",
                        "rules/x.yml:11:11: generate: must be true or false, not text; write 'generate: true' to also"
                                + " convert the correlated rules on their own"),
                mistake("a filter without rules", SCHEMA, FILTER.replace(
                                "    rules:\n        - 6f3e2987-db24-4c78-a860-b4f4095a7095\n", ""),
                        "rules/x.yml:6:5: filter.rules: required but missing; list the ids or names of the rules to"
                                + " filter"),
                mistake("a filter of no rules", SCHEMA, FILTER.replace(
                                "rules:\n        - 6f3e2987-db24-4c78-a860-b4f4095a7095", "rules: []"),
                        "rules/x.yml:6:12: filter.rules: is empty; list at least one rule id or name to filter"),
                mistake("a filter without a log source", SCHEMA, FILTER.replace(
                                "logsource:\n    category: process_creation\n    product: windows\n", ""),
                        "rules/x.yml:1:1: logsource: required but missing; add the log source the filter applies to,"
                                + " e.g. 'logsource: {category: process_creation, product: windows}'"));
    }

    private static Arguments mistake(String name, Authority authority, String yaml, String... expected) {
        return Arguments.of(name, authority, yaml, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsReportedWhereItIsWithHowToFixIt(String name, Authority authority, String yaml,
            List<String> expected) {
        assertThat(problems(yaml)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void theOfficialSchemasRefuseTheSameMistakesExceptWhereTheyFallShortOfTheSpecification(String name,
            Authority authority, String yaml, List<String> expected) {
        OfficialSchemas official = OfficialSchemas.load();

        List<Error> errors = documents(yaml, SOURCE).stream().flatMap(document -> official.errors(document).stream())
                .toList();

        if (authority == SCHEMA) {
            assertThat(errors).as("the official schema's errors").isNotEmpty();
        } else {
            assertThat(errors).as("the official schema's errors, where %s says it is a mistake", authority).isEmpty();
        }
    }

    static Stream<Arguments> allowed() {
        return Stream.of(
                Arguments.of("keywords joined by all", RULE.replace("Image|endswith: '\\whoami.exe'",
                        "'|all':\n            - whoami\n            - /all")),
                Arguments.of("a regular expression with a flag", RULE.replace("Image|endswith: '\\whoami.exe'",
                        "CommandLine|re|i: 'who?ami'")),
                Arguments.of("null on its own", RULE.replace("Image|endswith: '\\whoami.exe'",
                        "PasswordLastSet: null")),
                Arguments.of("a list of maps", RULE.replace("Image|endswith: '\\whoami.exe'",
                        "- Image|endswith: '\\whoami.exe'\n        - OriginalFileName: whoami.exe")),
                Arguments.of("an id in upper case", RULE.replace("929a690e-bef0-4204-a928-ef5e620d6fcc",
                        "929A690E-BEF0-4204-A928-EF5E620D6FCC")),
                Arguments.of("a custom field", RULE + "custom_field: {anything: [1, 2]}\n"),
                Arguments.of("a temporal correlation without a condition", CORRELATION.replace("type: event_count",
                        "type: temporal").replace("    condition:\n        gte: 10\n", "")),
                Arguments.of("a value_avg range with a fraction", CORRELATION.replace("event_count", "value_avg")
                        .replace("gte: 10", "field: BytesOut\n        gt: 500.5\n        lte: 1000")),
                Arguments.of("a value_count over two fields", CORRELATION.replace("event_count", "value_count")
                        .replace("gte: 10", "field: [User, Host]\n        gte: 3")),
                Arguments.of("a correlation's single false positive", CORRELATION + "falsepositives: Unlikely\n"),
                Arguments.of("the specification's correlation chain", MULTI_DOCUMENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowed")
    void whatTheSpecificationAllowsIsValidHereAndForTheOfficialSchema(String name, String yaml) {
        OfficialSchemas official = OfficialSchemas.load();

        for (MappingNode document : documents(yaml, SOURCE)) {
            assertThat(SigmaValidator.validate(document, SOURCE)).isEmpty();
            assertThat(official.errors(document)).isEmpty();
        }
    }

    @Test
    void aListOfConditionsIsValidThoughTheOfficialSchemaWantsOneString() {
        // The specification: "The condition can be a list, in this case, each of them generates a query".
        MappingNode document = documents(RULE.replace("condition: selection", "condition:\n        - selection\n"
                + "        - not selection"), SOURCE).getFirst();

        assertThat(SigmaValidator.validate(document, SOURCE)).isEmpty();
        assertThat(OfficialSchemas.load().errors(document)).isNotEmpty();
    }

    // ---- the shared data

    @TestFactory
    Stream<DynamicTest> everyExampleOfTheSpecificationIsValidHereAndForTheOfficialSchema() throws IOException {
        Path tests = SharedData.require("sigma-specification", SPECIFICATION).resolve("tests/schema");
        OfficialSchemas official = OfficialSchemas.load();
        return yamlFiles(tests).stream().map(file -> DynamicTest.dynamicTest(tests.relativize(file).toString(), () -> {
            for (MappingNode document : documents(Files.readString(file), file.toString())) {
                assertThat(SigmaValidator.validate(document, file.toString())).isEmpty();
                assertThat(official.errors(document)).isEmpty();
            }
        }));
    }

    /**
     * Every rule of the SigmaHQ corpus gets the same verdict, valid or not, from this validator and from the official
     * schemas: the folders a detection engine loads, and the deprecated and unsupported ones, whose old rules show
     * that the two also agree on what is invalid. It prints, for the notes, how many files each folder has, how many
     * are invalid, and why (files per kind of problem).
     */
    @Test
    void theOfficialSchemasAndThisValidatorAgreeOnEveryRuleOfTheCorpus() throws IOException {
        Path sigma = SharedData.require("sigma", SIGMA);
        Path specificationTests = SharedData.require("sigma-specification", SPECIFICATION).resolve("tests/schema");
        Path shared = sigma.getParent();
        OfficialSchemas official = OfficialSchemas.load();
        List<Path> files = new ArrayList<>(yamlFiles(specificationTests));
        for (String folder : CORPUS_FOLDERS) {
            files.addAll(yamlFiles(sigma.resolve(folder)));
        }

        List<String> disagreements = new ArrayList<>();
        Map<String, int[]> filesAndInvalidByFolder = new LinkedHashMap<>();
        Map<String, Integer> invalidFilesByReason = new TreeMap<>();
        for (Path file : files) {
            Path relative = shared.relativize(file);
            String source = relative.toString();
            List<Problem> ours = new ArrayList<>();
            List<String> theirs = new ArrayList<>();
            for (MappingNode document : documents(Files.readString(file), source)) {
                ours.addAll(SigmaValidator.validate(document, source));
                official.errors(document).forEach(error -> theirs.add(error.toString()));
            }
            int[] counts = filesAndInvalidByFolder.computeIfAbsent(relative.subpath(0, 2).toString(),
                    folder -> new int[2]);
            counts[0]++;
            if (!ours.isEmpty()) {
                counts[1]++;
                ours.stream().map(SigmaValidatorTest::reason).distinct()
                        .forEach(reason -> invalidFilesByReason.merge(reason, 1, Integer::sum));
            }
            if (ours.isEmpty() != theirs.isEmpty()) {
                disagreements.add(source + ": here " + (ours.isEmpty() ? "valid" : ours) + ", official schema "
                        + (theirs.isEmpty() ? "valid" : theirs));
            }
        }

        System.out.println("Sigma corpus (files, invalid):");
        filesAndInvalidByFolder.forEach((folder, counts) ->
                System.out.printf("  %-40s %5d %5d%n", folder, counts[0], counts[1]));
        System.out.println("Invalid files by reason:");
        invalidFilesByReason.forEach((reason, count) -> System.out.printf("  %5d  %s%n", count, reason));
        assertThat(filesAndInvalidByFolder.get("sigma/rules")[0]).as("files in sigma/rules").isGreaterThan(3000);
        assertThat(disagreements).as("files on which this validator and the official JSON schemas disagree")
                .isEmpty();
    }

    @Test
    void theJsonGivenToTheOfficialSchemasKeepsTheYamlTypes() {
        MappingNode document = documents("a: 1\nb: 1.5\nc: true\nd: null\ne: no\nf: 2024-01-01\ng: [x]\n", SOURCE)
                .getFirst();

        assertThat(OfficialSchemas.json(document)).hasToString(
                "{\"a\":1,\"b\":1.5,\"c\":true,\"d\":null,\"e\":\"no\",\"f\":\"2024-01-01\",\"g\":[\"x\"]}");
    }

    /** What a problem says is wrong, without its particulars (values, numbers, fields) or its fix: to count by kind. */
    private static String reason(Problem problem) {
        String path = problem.path().replaceAll("\\[\\d+]", "[]")
                .replaceAll("^(detection|filter)\\.(?!condition$).*", "$1.<search identifier>");
        String what = problem.message().split("; ", 2)[0];
        return path + ": " + what.replaceAll("'[^']*'", "'…'").replaceAll("(item|line|is) \\d+", "$1 N");
    }

    // ---- helpers

    private static List<String> problems(String yaml) {
        return documents(yaml, SOURCE).stream()
                .flatMap(document -> SigmaValidator.validate(document, SOURCE).stream())
                .map(Problem::toString)
                .toList();
    }

    private static List<MappingNode> documents(String yaml, String source) {
        Iterable<Node> nodes = new Compose(LoadSettings.builder().setLabel(source).build()).composeAllFromString(yaml);
        return StreamSupport.stream(nodes.spliterator(), false).map(node -> {
            assertThat(node).as("a document of %s", source).isInstanceOf(MappingNode.class);
            return (MappingNode) node;
        }).toList();
    }

    private static List<Path> yamlFiles(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> path.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /**
     * The specification's three JSON schemas, read from the shared data (never copied here), applied to the same node
     * tree the validator reads, turned into JSON. Formats are asserted: JSON Schema 2020-12 makes {@code format} an
     * annotation unless asked, but the schemas mean the id to be a UUID, and so does the specification. Scalars
     * keep the types their YAML 1.2 tags give them, as the validator sees them.
     */
    private record OfficialSchemas(Map<Kind, Schema> schemas) {
        private static final JsonMapper JSON = JsonMapper.builder().build();
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        static OfficialSchemas load() {
            Path folder = SharedData.require("sigma-specification", SPECIFICATION).resolve("json-schema");
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaRegistryConfig(
                            SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
            Map<Kind, Schema> schemas = new EnumMap<>(Kind.class);
            schemas.put(Kind.DETECTION, schema(registry, folder.resolve("sigma-detection-rule-schema.json")));
            schemas.put(Kind.CORRELATION, schema(registry, folder.resolve("sigma-correlation-rules-schema.json")));
            schemas.put(Kind.FILTER, schema(registry, folder.resolve("sigma-filters-schema.json")));
            return new OfficialSchemas(schemas);
        }

        private static Schema schema(SchemaRegistry registry, Path file) {
            try {
                return registry.getSchema(JSON.readTree(Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<Error> errors(MappingNode document) {
            return schemas.get(SigmaValidator.kindOf(document)).validate(json(document));
        }

        private static JsonNode json(Node node) {
            if (node instanceof MappingNode mapping) {
                ObjectNode object = NODES.objectNode();
                for (NodeTuple tuple : mapping.getValue()) {
                    object.set(((ScalarNode) tuple.getKeyNode()).getValue(), json(tuple.getValueNode()));
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = NODES.arrayNode();
                sequence.getValue().forEach(item -> array.add(json(item)));
                return array;
            }
            String value = ((ScalarNode) node).getValue();
            Tag tag = node.getTag();
            if (tag.equals(Tag.NULL)) {
                return NODES.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                return NODES.booleanNode(Boolean.parseBoolean(value));
            }
            if (tag.equals(Tag.INT)) {
                return NODES.numberNode(new BigInteger(value));
            }
            if (tag.equals(Tag.FLOAT)) {
                return NODES.numberNode(new BigDecimal(value));
            }
            return NODES.stringNode(value);
        }
    }
}
