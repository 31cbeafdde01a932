package dev.vigil.copilot.promptbook;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An ordered list of prompts that run one after another in a session, each building on the answers before it, with
 * {@code <Input>} placeholders filled when it runs (Security Copilot's promptbooks, in the same shape).
 *
 * <p>A promptbook is valid by construction: it has a name and at least one non-empty prompt, its input names are
 * unique ignoring case, and every {@code <Name>} a prompt uses is a declared input (compared ignoring case). Any
 * text of the form {@code <Name>}, where the name starts with a letter and holds letters, digits, {@code _ - .} and
 * single inner spaces, is a placeholder. An input that no prompt uses is allowed.
 *
 * @param name the promptbook's name, unique among the promptbooks offered ({@code incident-investigation})
 * @param description what it produces, in a sentence or two
 * @param prompts the prompts, in the order they run
 * @param inputs the values it asks for, in the order they are asked
 * @param tags words to find it by
 * @param author who wrote it, when known
 * @throws VigilException {@link ErrorCode#PROMPTBOOK_INVALID} naming the promptbook, the prompt number and the
 *     placeholder, and how to fix it
 */
public record Promptbook(String name, String description, List<PromptbookPrompt> prompts,
        List<PromptbookInput> inputs, List<String> tags, Optional<String> author) {

    private static final Pattern PLACEHOLDER = Pattern.compile("<(" + PromptbookInput.NAME.pattern() + ")>");

    public Promptbook {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(author, "author is null");
        name = name.strip();
        description = description.strip();
        prompts = List.copyOf(prompts);
        inputs = List.copyOf(inputs);
        tags = List.copyOf(tags);
        Optional<Problem> problem = check(name, prompts, inputs);
        if (problem.isPresent()) {
            throw problem.get().exception();
        }
    }

    /**
     * A promptbook whose inputs are the placeholders its prompts use, in order of first use, each required and
     * without a description; each prompt stops the run when it fails.
     */
    public static Promptbook of(String name, String description, List<String> prompts) {
        List<PromptbookPrompt> steps = prompts.stream().map(PromptbookPrompt::of).toList();
        return new Promptbook(name, description, steps, inferInputs(steps), List.of(), Optional.empty());
    }

    /**
     * A custom promptbook made from the prompts of a session, with the concrete values it was about turned into
     * inputs: {@code "Summarize incident 12"} with {@code {"12": "IncidentId"}} becomes
     * {@code "Summarize incident <IncidentId>"}.
     *
     * <p>A value is replaced where it stands as a whole token, ignoring case: {@code 12} is replaced in
     * {@code "incident #12"} but not in {@code "2012"} or {@code "10.0.0.12"}. Longer values win over values they
     * contain. Each input gets the value it replaced as its example ("for example 12").
     *
     * @param valuesToGeneralize each concrete value as the prompts contain it, mapped to the name of the input it
     *     becomes; several values may map to the same input
     * @throws VigilException {@link ErrorCode#USAGE} when a value occurs in none of the prompts, or an input name
     *     cannot stand inside {@code <>}
     */
    public static Promptbook fromSession(String name, String description, List<String> prompts,
            Map<String, String> valuesToGeneralize) {
        requireNonNull(name, "name is null");
        Map<String, String> inputByValue = new LinkedHashMap<>();
        Map<String, PromptbookInput> inputs = new LinkedHashMap<>();
        valuesToGeneralize.forEach((value, input) -> {
            if (value.isBlank()) {
                throw new VigilException(ErrorCode.USAGE, "cannot generalize an empty value into <" + input + ">",
                        "Name a value the session's prompts contain, such as an incident number or a host.", null);
            }
            if (!PromptbookInput.NAME.matcher(input.strip()).matches()) {
                throw new VigilException(ErrorCode.USAGE, "'" + input + "' cannot name an input: " + NAME_RULE,
                        "Rename the input, for example to " + suggestName(input) + ".", null);
            }
            inputByValue.put(value.strip().toLowerCase(Locale.ROOT), input.strip());
            inputs.computeIfAbsent(input.strip().toLowerCase(Locale.ROOT),
                    k -> PromptbookInput.of(input.strip(), "for example " + value.strip()));
        });
        List<String> values = valuesToGeneralize.keySet().stream().map(String::strip)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        Map<String, Boolean> used = new LinkedHashMap<>();
        values.forEach(v -> used.put(v, false));
        List<PromptbookPrompt> general = new ArrayList<>();
        if (values.isEmpty()) {
            prompts.forEach(p -> general.add(PromptbookPrompt.of(p)));
        } else {
            Pattern anyValue = Pattern.compile("(?<![\\w.\\-])(" + values.stream().map(Pattern::quote)
                    .collect(Collectors.joining("|")) + ")(?![\\w\\-]|\\.\\w)",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            for (String prompt : prompts) {
                Matcher matcher = anyValue.matcher(prompt);
                StringBuilder text = new StringBuilder();
                while (matcher.find()) {
                    String found = matcher.group(1);
                    used.replaceAll((v, seen) -> seen || v.equalsIgnoreCase(found));
                    String input = inputByValue.get(found.toLowerCase(Locale.ROOT));
                    matcher.appendReplacement(text, Matcher.quoteReplacement("<" + input + ">"));
                }
                matcher.appendTail(text);
                general.add(PromptbookPrompt.of(text.toString()));
            }
        }
        used.forEach((value, seen) -> {
            if (!seen) {
                throw new VigilException(ErrorCode.USAGE, "the value '" + value + "' for <" + inputByValue.get(
                        value.toLowerCase(Locale.ROOT)) + "> occurs in none of the session's prompts",
                        "Generalize only values the prompts contain, written as they are there.", null);
            }
        });
        // Placeholders the session's prompts already held become inputs too.
        for (PromptbookInput inferred : inferInputs(general)) {
            inputs.putIfAbsent(inferred.name().toLowerCase(Locale.ROOT), inferred);
        }
        return new Promptbook(name, description, general, List.copyOf(inputs.values()), List.of(), Optional.empty());
    }

    /** The names of the placeholders in a text, in order, each once (the first spelling wins). */
    public static List<String> placeholders(String text) {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.putIfAbsent(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(1));
        }
        return List.copyOf(names.values());
    }

    /** The input of that name, ignoring case. */
    public Optional<PromptbookInput> input(String inputName) {
        return inputs.stream().filter(i -> i.named(inputName)).findFirst();
    }

    /** The inputs without which it cannot run. */
    public List<PromptbookInput> requiredInputs() {
        return inputs.stream().filter(PromptbookInput::required).toList();
    }

    /**
     * The prompts with their placeholders filled, in order. Input names match ignoring case; a value's own text is
     * never searched for placeholders. A missing optional input reads as empty text.
     *
     * @param values input name to value
     * @throws VigilException {@link ErrorCode#USAGE} listing every missing required input with its description and
     *     the {@code --input} that supplies it, or naming a value given for an input the promptbook does not have
     */
    public List<String> instantiate(Map<String, String> values) {
        Map<String, String> byName = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            PromptbookInput input = input(key).orElseThrow(() -> new VigilException(ErrorCode.USAGE,
                    "promptbook '" + name + "' has no input <" + key.strip() + ">; its inputs are " + inputList(),
                    "Pass only the inputs the promptbook declares, named as it names them.", null));
            if (value != null && !value.isBlank()) {
                byName.put(input.name().toLowerCase(Locale.ROOT), value);
            }
        });
        List<PromptbookInput> missing = requiredInputs().stream()
                .filter(i -> !byName.containsKey(i.name().toLowerCase(Locale.ROOT))).toList();
        if (!missing.isEmpty()) {
            String fix = "run with " + missing.stream().map(i -> inputFlag(i.name())).collect(Collectors.joining(" "));
            String needs = missing.stream()
                    .map(i -> i.placeholder() + (i.description().isEmpty() ? "" : " (" + i.description() + ")"))
                    .collect(Collectors.joining(", "));
            throw new VigilException(ErrorCode.USAGE, "promptbook '" + name + "' needs " + needs + ": " + fix,
                    fix.substring(0, 1).toUpperCase(Locale.ROOT) + fix.substring(1) + ".", null);
        }
        List<String> filled = new ArrayList<>(prompts.size());
        for (PromptbookPrompt prompt : prompts) {
            Matcher matcher = PLACEHOLDER.matcher(prompt.content());
            StringBuilder text = new StringBuilder();
            boolean emptied = false;
            while (matcher.find()) {
                String value = byName.get(matcher.group(1).toLowerCase(Locale.ROOT));
                emptied |= value == null;
                matcher.appendReplacement(text, Matcher.quoteReplacement(value == null ? "" : value));
            }
            matcher.appendTail(text);
            filled.add(emptied ? text.toString().replaceAll("[ \\t]{2,}", " ").strip() : text.toString());
        }
        return List.copyOf(filled);
    }

    private String inputList() {
        return inputs.isEmpty() ? "none" : inputs.stream().map(PromptbookInput::placeholder)
                .collect(Collectors.joining(", "));
    }

    private static String inputFlag(String inputName) {
        String flag = inputName + "=...";
        return "--input " + (inputName.contains(" ") ? '"' + flag + '"' : flag);
    }

    // --- validation --------------------------------------------------------------------------------------------

    private static final String NAME_RULE = "an input name starts with a letter and holds letters, digits, '_', '-',"
            + " '.' and single spaces";

    /**
     * What is wrong with a promptbook: a message that names the promptbook, the prompt (1-based; 0 for the whole
     * promptbook) or input (0-based; -1 for none) and the fix.
     */
    record Problem(int prompt, int input, String message, String fix) {
        VigilException exception() {
            return new VigilException(ErrorCode.PROMPTBOOK_INVALID, message, fix, null);
        }
    }

    /** The first problem of a promptbook with these parts, if any. */
    static Optional<Problem> check(String name, List<PromptbookPrompt> prompts, List<PromptbookInput> inputs) {
        if (name.isBlank()) {
            return problem(0, -1, "a promptbook needs a name", "set \"name\"");
        }
        String book = "promptbook '" + name + "'";
        if (prompts.isEmpty()) {
            return problem(0, -1, book + " has no prompts", "add at least one under \"prompts\"");
        }
        Map<String, Integer> declared = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            PromptbookInput input = inputs.get(i);
            if (!PromptbookInput.NAME.matcher(input.name()).matches()) {
                return problem(0, i, book + " has an input named '" + input.name() + "', but " + NAME_RULE,
                        "rename it, for example to " + suggestName(input.name()));
            }
            if (declared.putIfAbsent(input.name().toLowerCase(Locale.ROOT), i) != null) {
                return problem(0, i, book + " declares the input " + input.placeholder() + " twice",
                        "remove one (input names are compared ignoring case)");
            }
        }
        for (int i = 0; i < prompts.size(); i++) {
            String content = prompts.get(i).content();
            if (content.isBlank()) {
                return problem(i + 1, -1, book + ", prompt " + (i + 1) + " is empty", "give it content or remove it");
            }
            for (String used : placeholders(content)) {
                if (!declared.containsKey(used.toLowerCase(Locale.ROOT))) {
                    String known = inputs.isEmpty() ? "" : ", or write one of " + inputs.stream()
                            .map(PromptbookInput::placeholder).collect(Collectors.joining(", "));
                    return problem(i + 1, -1, book + ", prompt " + (i + 1) + " uses <" + used
                            + ">, which is not a declared input", "declare it under \"inputs\"" + known);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(int prompt, int input, String what, String fix) {
        return Optional.of(new Problem(prompt, input, what + ": " + fix,
                fix.substring(0, 1).toUpperCase(Locale.ROOT) + fix.substring(1) + "."));
    }

    /** The placeholders of the prompts as required inputs without descriptions, in order of first use. */
    static List<PromptbookInput> inferInputs(List<PromptbookPrompt> prompts) {
        Map<String, PromptbookInput> inputs = new LinkedHashMap<>();
        for (PromptbookPrompt prompt : prompts) {
            for (String used : placeholders(prompt.content())) {
                inputs.putIfAbsent(used.toLowerCase(Locale.ROOT), PromptbookInput.of(used, ""));
            }
        }
        return List.copyOf(inputs.values());
    }

    private static String suggestName(String name) {
        String letters = name.replaceAll("[^A-Za-z0-9_.\\- ]", "").strip().replaceAll(" {2,}", " ");
        letters = letters.replaceFirst("^[^A-Za-z]+", "");
        return letters.isEmpty() ? "Value" : letters;
    }
}
