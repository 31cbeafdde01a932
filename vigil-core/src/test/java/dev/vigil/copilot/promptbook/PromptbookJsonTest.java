package dev.vigil.copilot.promptbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.copilot.promptbook.PromptbookJson.Shape;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Promptbook JSON")
class PromptbookJsonTest {
    /** A promptbook as Security Copilot's promptbook builder exports it, with the fields Vigil has no use for. */
    static final String SECURITY_COPILOT = """
            {"name":"Defender incident triage",
            "description":"Triage a Defender incident and write a short report for the shift lead",
            "prompts":
            [
             {"promptType":"Prompt","content":"Summarize Defender incident <IncidentId>","skillName":null,"inputs":null,"plugins":[],"sequenceNumber":0},
             {"promptType":"Prompt","content":"What are the entities associated with incident <IncidentId>?","skillName":null,"inputs":null,"plugins":[],"sequenceNumber":1},
             {"promptType":"Prompt","content":"Is the user <UserPrincipalName> considered risky?","skillName":null,"inputs":null,"plugins":["Entra"],"sequenceNumber":2},
             {"promptType":"Prompt","content":"/SummarizeData Write an executive report of the investigation so far.","skillName":null,"inputs":null,"plugins":[],"sequenceNumber":3}
            ],
            "promptbookinputs":
            [
             {"name":"IncidentId","description":"Defender incident id"},
             {"name":"UserPrincipalName","description":"User input"}
            ],
            "visibility":"Private","tags":"Defender, Triage"}
            """;

    @Test
    void readsSecurityCopilotsShapeIgnoringWhatItDoesNotUse() {
        assertThat(PromptbookJson.detect(SECURITY_COPILOT)).isEqualTo(Shape.SECURITY_COPILOT);
        List<Promptbook> books = PromptbookJson.read(SECURITY_COPILOT, "triage.json");

        assertThat(books).containsExactly(new Promptbook("Defender incident triage",
                "Triage a Defender incident and write a short report for the shift lead", List.of(
                        PromptbookPrompt.of("Summarize Defender incident <IncidentId>"),
                        PromptbookPrompt.of("What are the entities associated with incident <IncidentId>?"),
                        PromptbookPrompt.of("Is the user <UserPrincipalName> considered risky?"),
                        PromptbookPrompt.of("/SummarizeData Write an executive report of the investigation so far.")),
                List.of(PromptbookInput.of("IncidentId", "Defender incident id"),
                        PromptbookInput.of("UserPrincipalName", "User input")),
                List.of("Defender", "Triage"), Optional.empty()));
    }

    @Test
    void ordersSecurityCopilotPromptsBySequenceNumber() {
        Promptbook book = PromptbookJson.read("""
                {"name": "b", "prompts": [{"content": "second", "sequenceNumber": 1},
                                          {"content": "first", "sequenceNumber": 0}], "tags": null}""", "b.json").get(0);
        assertThat(book.prompts()).extracting(PromptbookPrompt::content).containsExactly("first", "second");
    }

    @Test
    void readsVigilsShape() {
        String json = """
                {"name": "incident-investigation", "description": "Investigates an incident.", "author": "Vigil",
                 "tags": ["incident"],
                 "inputs": [{"name": "IncidentId", "description": "the incident number"},
                            {"name": "Window", "description": "", "required": false}],
                 "prompts": [{"content": "Summarize incident <IncidentId>"},
                             {"content": "Show the timeline of incident <IncidentId> <Window>", "continueOnFailure": true}]}
                """;
        assertThat(PromptbookJson.detect(json)).isEqualTo(Shape.VIGIL);
        assertThat(PromptbookJson.read(json, "ii.json")).containsExactly(new Promptbook("incident-investigation",
                "Investigates an incident.", List.of(PromptbookPrompt.of("Summarize incident <IncidentId>"),
                        new PromptbookPrompt("Show the timeline of incident <IncidentId> <Window>", true)),
                List.of(PromptbookInput.of("IncidentId", "the incident number"),
                        new PromptbookInput("Window", "", false)),
                List.of("incident"), Optional.of("Vigil")));
    }

    @Test
    void infersTheInputsWhenTheJsonOmitsThem() {
        Promptbook book = PromptbookJson.read("""
                {"name": "host", "prompts": ["What did <Host> do?", {"content": "Is <Host> exposed to <CVE>?"}]}""",
                "host.json").get(0);
        assertThat(book.inputs()).containsExactly(PromptbookInput.of("Host", ""), PromptbookInput.of("CVE", ""));
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void readsBackWhatItWrites(Shape shape) {
        Promptbook full = PromptbookTest.investigation();
        Promptbook expected = shape == Shape.VIGIL ? full
                // Security Copilot's shape has no place for continueOnFailure or the author
                : new Promptbook(full.name(), full.description(), full.prompts().stream()
                        .map(p -> PromptbookPrompt.of(p.content())).toList(), full.inputs(), full.tags(),
                        Optional.empty());
        String one = PromptbookJson.write(full, shape);
        assertThat(PromptbookJson.detect(one)).isEqualTo(shape);
        assertThat(PromptbookJson.read(one, "one.json")).containsExactly(expected);

        Promptbook other = Promptbook.of("other", "", List.of("Who is <User>?"));
        String many = PromptbookJson.write(List.of(full, other), shape);
        assertThat(PromptbookJson.read(many, "many.json")).containsExactly(expected, other);
    }

    @Test
    void readsSeveralPromptbooksWrappedInAnObject() {
        String wrapped = "{\"value\": [" + SECURITY_COPILOT + ", " + PromptbookJson.write(
                PromptbookTest.investigation(), Shape.VIGIL) + "], \"count\": 2}";
        assertThat(PromptbookJson.read(wrapped, "all.json")).extracting(Promptbook::name)
                .containsExactly("Defender incident triage", "incident-investigation");
    }

    @Test
    void readsAFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("triage.json");
        Files.writeString(file, SECURITY_COPILOT);
        assertThat(PromptbookJson.read(file)).extracting(Promptbook::name).containsExactly("Defender incident triage");
        assertThatThrownBy(() -> PromptbookJson.read(directory.resolve("absent.json")))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_NOT_FOUND));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "b.json: the file is empty"),
                Arguments.of("{\"name\": \"b\",\n \"prompts\": [{\"content\": \"x\"},\n  {\"content\" \"y\"}]}",
                        "b.json:3:14: not valid JSON in field prompts[1]: Unexpected character ('\"' (code"
                                + " 34)): was expecting a colon to separate property name and value"),
                Arguments.of("{\"name\": \"b\", \"prompts\": []} {}",
                        "b.json:1:30: more JSON after the end of the document"),
                Arguments.of("{\"name\": \"b\",\n \"prompts\": [{\"content\": \"x\"},\n  {\"content\": 12}]}",
                        "b.json:3:15: field prompts[1].content: expected text, found a number"),
                Arguments.of("{\"name\": \"b\",\n \"prompts\": [{\"content\": \"x\", \"continueOnFailure\": \"yes\"}]}",
                        "b.json:2:52: field prompts[0].continueOnFailure: expected true or false, found text"),
                Arguments.of("{\"description\": \"d\", \"prompts\": [{\"content\": \"x\"}]}",
                        "b.json:1:1: field name: \"name\" is missing"),
                Arguments.of("{\"name\": \"b\"}", "b.json:1:1: promptbook 'b' has no \"prompts\""),
                Arguments.of("{\"name\": \"b\", \"prompts\": {\"content\": \"x\"}}",
                        "b.json:1:26: field prompts: expected an array of prompts, found an object"),
                Arguments.of("[{\"name\": \"b\", \"prompts\": [\"x\"]},\n {\"name\": \"B\", \"prompts\": [\"y\"]}]",
                        "b.json:2:11: field [1].name: a second promptbook named 'B' (the first is at b.json:1:2)"),
                Arguments.of("{\"promptbooks\": 1, \"count\": 2}", "b.json:1:1: expected a promptbook (an object"
                        + " with \"name\" and \"prompts\"), an array of them, or an object holding one such array,"
                        + " but found an object with no array"),
                Arguments.of("[]", "b.json:1:1: holds no promptbooks"),
                Arguments.of("{\"name\": \"b\", \"tags\": 3, \"prompts\": [\"x\"]}",
                        "b.json:1:23: field tags: expected an array of tags or a comma-separated text, found a number"),
                Arguments.of("{\"name\": \"triage\",\n \"prompts\": [{\"content\": \"Summarize <IncidentId>\"},\n"
                        + "  {\"content\": \"Hosts of <Incident>\"}],\n"
                        + " \"promptbookinputs\": [{\"name\": \"IncidentId\", \"description\": \"\"}]}",
                        "b.json:3:15: promptbook 'triage', prompt 2 uses <Incident>, which is not a declared input:"
                                + " declare it under \"inputs\", or write one of <IncidentId>"),
                Arguments.of("{\"name\": \"triage\", \"prompts\": [\"<A>\"],\n"
                        + " \"inputs\": [{\"name\": \"A\"}, {\"name\": \"a\"}]}",
                        "b.json:2:37: promptbook 'triage' declares the input <a> twice: remove one (input names are"
                                + " compared ignoring case)"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void placesEachErrorAtItsLineColumnAndField(String json, String message) {
        assertThatThrownBy(() -> PromptbookJson.read(json, "b.json"))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROMPTBOOK_INVALID))
                .hasMessage(message);
    }

    @Test
    void writesVigilsShapeReadably() {
        assertThat(PromptbookJson.write(Promptbook.of("b", "d", List.of("Who is <User>?")), Shape.VIGIL))
                .isEqualToNormalizingNewlines("""
                        {
                          "name" : "b",
                          "description" : "d",
                          "tags" : [ ],
                          "inputs" : [ {
                            "name" : "User",
                            "description" : "",
                            "required" : true
                          } ],
                          "prompts" : [ {
                            "content" : "Who is <User>?",
                            "continueOnFailure" : false
                          } ]
                        }""");
    }
}
