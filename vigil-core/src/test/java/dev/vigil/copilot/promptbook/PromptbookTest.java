package dev.vigil.copilot.promptbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("A promptbook")
class PromptbookTest {
    static final PromptbookInput INCIDENT = PromptbookInput.of("IncidentId", "the incident number");

    static Promptbook investigation() {
        return new Promptbook("incident-investigation", "Investigates an incident.",
                List.of(PromptbookPrompt.of("Summarize incident <IncidentId>"),
                        new PromptbookPrompt("Show the timeline of incident <incidentid>", true)),
                List.of(INCIDENT), List.of("incident"), Optional.of("Vigil"));
    }

    @Test
    void fillsItsPlaceholdersIgnoringTheCaseOfInputNames() {
        assertThat(investigation().instantiate(Map.of("INCIDENTID", "12")))
                .containsExactly("Summarize incident 12", "Show the timeline of incident 12");
    }

    @Test
    void neverReadsPlaceholdersInsideAValue() {
        Promptbook script = Promptbook.of("script", "", List.of("Analyze this script: <Script>"));
        assertThat(script.instantiate(Map.of("Script", "echo '<Script>' $1")))
                .containsExactly("Analyze this script: echo '<Script>' $1");
    }

    @Test
    void namesTheMissingInputsTheirDescriptionsAndHowToPassThem() {
        assertThatThrownBy(() -> investigation().instantiate(Map.of()))
                .isInstanceOfSatisfying(VigilException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.fix()).isEqualTo("Run with --input IncidentId=....");
                })
                .hasMessage("promptbook 'incident-investigation' needs <IncidentId> (the incident number): run with"
                        + " --input IncidentId=...");

        Promptbook two = new Promptbook("pair", "", List.of(PromptbookPrompt.of("Compare <Host> with <Other host>")),
                List.of(PromptbookInput.of("Host", "a host name"), PromptbookInput.of("Other host", "")), List.of(),
                Optional.empty());
        assertThatThrownBy(() -> two.instantiate(Map.of("Host", " ")))
                .hasMessage("promptbook 'pair' needs <Host> (a host name), <Other host>: run with --input Host=..."
                        + " --input \"Other host=...\"");
    }

    @Test
    void refusesAValueForAnInputItDoesNotHave() {
        assertThatThrownBy(() -> investigation().instantiate(Map.of("IncidentId", "12", "Host", "ws1")))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("promptbook 'incident-investigation' has no input <Host>; its inputs are <IncidentId>");
    }

    @Test
    void readsAMissingOptionalInputAsEmptyText() {
        Promptbook book = new Promptbook("activity", "", List.of(PromptbookPrompt.of("What did <User> do <Window>?")),
                List.of(PromptbookInput.of("User", ""), new PromptbookInput("Window", "such as last week", false)),
                List.of(), Optional.empty());
        assertThat(book.instantiate(Map.of("user", "alice"))).containsExactly("What did alice do ?");
        assertThat(book.instantiate(Map.of("user", "alice", "window", "last week")))
                .containsExactly("What did alice do last week?");
    }

    @Test
    void infersItsInputsFromThePromptsInOrderOfFirstUse() {
        Promptbook book = Promptbook.of("hosts", "", List.of("Is <Host> exposed to <CVE>?", "Who used <host>?"));
        assertThat(book.inputs()).containsExactly(PromptbookInput.of("Host", ""), PromptbookInput.of("CVE", ""));
        assertThat(Promptbook.placeholders("a <b> c < d > <e f> <1x> <x.y-z_1>")).containsExactly("b", "e f", "x.y-z_1");
    }

    static Stream<Arguments> invalid() {
        PromptbookPrompt ok = PromptbookPrompt.of("Summarize incident <IncidentId>");
        return Stream.of(
                Arguments.of("", List.of(ok), List.of(INCIDENT),
                        "a promptbook needs a name: set \"name\""),
                Arguments.of("triage", List.of(), List.of(INCIDENT),
                        "promptbook 'triage' has no prompts: add at least one under \"prompts\""),
                Arguments.of("triage", List.of(ok, PromptbookPrompt.of("  ")), List.of(INCIDENT),
                        "promptbook 'triage', prompt 2 is empty: give it content or remove it"),
                Arguments.of("triage", List.of(ok, PromptbookPrompt.of("Show the hosts of <IncidentNumber>")),
                        List.of(INCIDENT), "promptbook 'triage', prompt 2 uses <IncidentNumber>, which is not a"
                                + " declared input: declare it under \"inputs\", or write one of <IncidentId>"),
                Arguments.of("triage", List.of(ok), List.of(),
                        "promptbook 'triage', prompt 1 uses <IncidentId>, which is not a declared input: declare it"
                                + " under \"inputs\""),
                Arguments.of("triage", List.of(ok), List.of(INCIDENT, PromptbookInput.of("incidentID", "")),
                        "promptbook 'triage' declares the input <incidentID> twice: remove one (input names are"
                                + " compared ignoring case)"),
                Arguments.of("triage", List.of(ok), List.of(INCIDENT, PromptbookInput.of("2nd <host>", "")),
                        "promptbook 'triage' has an input named '2nd <host>', but an input name starts with a letter"
                                + " and holds letters, digits, '_', '-', '.' and single spaces: rename it, for example"
                                + " to nd host"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusesToBeInvalidAndSaysHowToFixIt(String name, List<PromptbookPrompt> prompts,
            List<PromptbookInput> inputs, String message) {
        assertThatThrownBy(() -> new Promptbook(name, "", prompts, inputs, List.of(), Optional.empty()))
                .isInstanceOfSatisfying(VigilException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROMPTBOOK_INVALID))
                .hasMessage(message);
    }

    @Test
    void generalizesTheValuesOfASessionIntoInputs() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("12", "IncidentId");
        values.put("WS-042", "Host");
        Promptbook book = Promptbook.fromSession("my-triage", "How I triage an incident.", List.of(
                "Summarize incident #12", "Which alerts of incident 12 involve ws-042?",
                "Show the logons on WS-042 in 2012 from 10.0.0.12", "How do I contain it?"), values);

        assertThat(book.prompts()).extracting(PromptbookPrompt::content).containsExactly(
                "Summarize incident #<IncidentId>", "Which alerts of incident <IncidentId> involve <Host>?",
                "Show the logons on <Host> in 2012 from 10.0.0.12", "How do I contain it?");
        assertThat(book.inputs()).containsExactly(PromptbookInput.of("IncidentId", "for example 12"),
                PromptbookInput.of("Host", "for example WS-042"));
        assertThat(book.instantiate(Map.of("IncidentId", "14", "Host", "db-1")))
                .containsExactly("Summarize incident #14", "Which alerts of incident 14 involve db-1?",
                        "Show the logons on db-1 in 2012 from 10.0.0.12", "How do I contain it?");
    }

    @Test
    void generalizesTheLongerOfTwoOverlappingValues() {
        Promptbook book = Promptbook.fromSession("hosts", "", List.of("Compare ws-1 and ws-12"),
                Map.of("ws-1", "First", "ws-12", "Second"));
        assertThat(book.prompts().get(0).content()).isEqualTo("Compare <First> and <Second>");
    }

    @Test
    void refusesToGeneralizeAValueNoPromptContains() {
        assertThatThrownBy(() -> Promptbook.fromSession("triage", "", List.of("Summarize incident 12"),
                Map.of("14", "IncidentId")))
                .isInstanceOfSatisfying(VigilException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessage("the value '14' for <IncidentId> occurs in none of the session's prompts");
    }
}
