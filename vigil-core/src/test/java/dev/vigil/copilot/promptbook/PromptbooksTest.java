package dev.vigil.copilot.promptbook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.copilot.promptbook.PromptbookJson.Shape;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The built-in promptbooks")
class PromptbooksTest {
    @Test
    void loadInOrderEachWithItsOneRequiredInput() {
        assertThat(Promptbooks.builtIn()).extracting(Promptbook::name).containsExactlyElementsOf(Promptbooks.BUILT_IN);
        assertThat(Promptbooks.builtIn()).extracting(b -> b.requiredInputs().get(0).name())
                .containsExactly("IncidentId", "Script", "Actor", "CVE", "User", "Article");
        assertThat(Promptbooks.builtIn()).allSatisfy(book -> {
            assertThat(book.inputs()).hasSize(1);
            assertThat(book.inputs().get(0).description()).isNotEmpty();
            assertThat(book.description()).isNotEmpty();
            assertThat(book.author()).contains("Vigil");
            assertThat(book.tags()).isNotEmpty();
            assertThat(book.prompts().size()).isBetween(3, 6);
            // the first prompt names the subject; a failure there stops the run
            assertThat(book.prompts().get(0).content()).contains(book.inputs().get(0).placeholder());
            assertThat(book.prompts().get(0).continueOnFailure()).isFalse();
            assertThat(PromptbookJson.read(PromptbookJson.write(book, Shape.VIGIL), book.name())).containsExactly(book);
        });
    }

    @Test
    void instantiateIntoPromptsThePlannerRoutes() {
        assertThat(Promptbooks.builtIn("Incident-Investigation").orElseThrow()
                .instantiate(Map.of("incidentid", "12"))).containsExactly("Summarize incident 12",
                        "Show the entities of incident 12", "Show the timeline of incident 12",
                        "What is the impact of incident 12?", "How do I contain incident 12?");
        assertThat(Promptbooks.builtIn("vulnerability-impact").orElseThrow().instantiate(Map.of("CVE", "CVE-2024-3400")))
                .contains("Which of our assets are affected by CVE-2024-3400?", "Is CVE-2024-3400 known exploited?");
        assertThat(Promptbooks.builtIn("no-such-book")).isEmpty();
    }
}
