package dev.vigil.copilot.promptbook;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Promptbooks as JSON, in Vigil's shape and in Security Copilot's.
 *
 * <p>Vigil's shape:
 * <pre>{@code
 * {"name": "incident-investigation", "description": "...", "author": "Vigil", "tags": ["incident"],
 *  "inputs": [{"name": "IncidentId", "description": "the incident number", "required": true}],
 *  "prompts": [{"content": "Summarize incident <IncidentId>", "continueOnFailure": false}]}
 * }</pre>
 * Security Copilot's shape, as its promptbook builder exports it:
 * <pre>{@code
 * {"name": "...", "description": "...",
 *  "prompts": [{"promptType": "Prompt", "content": "Give me more information on <user>", "sequenceNumber": 0}],
 *  "promptbookinputs": [{"name": "user", "description": "User input"}], "visibility": "Private", "tags": "MDTI"}
 * }</pre>
 *
 * <p>{@link #read} takes either shape (told apart by {@code promptbookinputs}, {@code promptType} and
 * {@code sequenceNumber}), one promptbook, an array of them, or an object holding such an array under any one key
 * ({@code {"promptbooks": [...]}}, {@code {"value": [...]}}). Fields either shape does not use ({@code visibility},
 * {@code plugins}, {@code skillName} ...) are ignored. Prompts are ordered by {@code sequenceNumber} when every prompt
 * has one. Without {@code inputs} or {@code promptbookinputs}, the inputs are the placeholders the prompts use. Tags
 * may be an array, a comma-separated string or null. Every error names the source, the line and column, and the
 * field.
 *
 * <p>Writing in Vigil's shape keeps everything, so reading back gives an equal promptbook. Security Copilot's shape
 * has no place for {@code continueOnFailure}, optional inputs or the author: those read back as their defaults.
 */
public final class PromptbookJson {
    /** The two shapes a promptbook's JSON comes in. */
    public enum Shape {
        VIGIL,
        SECURITY_COPILOT
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String EXAMPLE = "{\"name\": \"...\", \"prompts\": [{\"content\": \"...\"}]}";

    private PromptbookJson() {}

    /**
     * Reads a file holding one promptbook, an array of them, or an object wrapping an array.
     *
     * @throws VigilException {@link ErrorCode#INPUT_NOT_FOUND} or {@link ErrorCode#INPUT_UNREADABLE} when the file
     *     cannot be read, {@link ErrorCode#PROMPTBOOK_INVALID} naming the line, column and field of what is wrong
     */
    public static List<Promptbook> read(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, "no promptbook file " + file, e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        return read(text, file.toString());
    }

    /**
     * Reads JSON text holding one promptbook, an array of them, or an object wrapping an array.
     *
     * @param source what the text is, for messages (a file name)
     * @throws VigilException {@link ErrorCode#PROMPTBOOK_INVALID} naming the source, line, column and field, also
     *     when two promptbooks of the text share a name
     */
    public static List<Promptbook> read(String text, String source) {
        requireNonNull(text, "text is null");
        requireNonNull(source, "source is null");
        LocatedJson json = LocatedJson.parse(JSON, text, source);
        Map<String, String> paths = new LinkedHashMap<>();
        List<Promptbook> books = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : promptbookNodes(json).entrySet()) {
            Promptbook book = promptbook(json, entry.getKey(), entry.getValue());
            String earlier = paths.putIfAbsent(book.name().toLowerCase(Locale.ROOT), entry.getKey());
            if (earlier != null) {
                throw json.error(entry.getKey() + ".name", "a second promptbook named '" + book.name()
                        + "' (the first is at " + json.where(earlier) + ")", "Rename one of them.");
            }
            books.add(book);
        }
        return List.copyOf(books);
    }

    /** Which shape the text's (first) promptbook has. */
    public static Shape detect(String text) {
        LocatedJson json = LocatedJson.parse(JSON, text, "promptbook");
        return promptbookNodes(json).values().stream().findFirst().map(PromptbookJson::shape).orElse(Shape.VIGIL);
    }

    /** One promptbook as a JSON object of the shape. */
    public static String write(Promptbook book, Shape shape) {
        return JSON.writeValueAsString(node(book, shape));
    }

    /** Several promptbooks as a JSON array of objects of the shape. */
    public static String write(List<Promptbook> books, Shape shape) {
        ArrayNode array = JSON.createArrayNode();
        books.forEach(book -> array.add(node(book, shape)));
        return JSON.writeValueAsString(array);
    }

    // --- reading -----------------------------------------------------------------------------------------------

    /** The promptbook objects of the document by path: the root, the root's elements, or one wrapped array's. */
    private static Map<String, JsonNode> promptbookNodes(LocatedJson json) {
        JsonNode root = json.root();
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                nodes.put("[" + i + "]", root.get(i));
            }
        } else if (root.isObject() && !root.has("prompts") && !root.has("name")) {
            List<String> arrays = root.propertyNames().stream().filter(k -> root.get(k).isArray()).toList();
            if (arrays.size() != 1) {
                throw json.error("", "expected a promptbook (an object with \"name\" and \"prompts\"), an array of"
                        + " them, or an object holding one such array, but found an object with "
                        + (arrays.isEmpty() ? "no array" : "the arrays " + arrays),
                        "Write the promptbook as " + EXAMPLE + ".");
            }
            JsonNode array = root.get(arrays.get(0));
            for (int i = 0; i < array.size(); i++) {
                nodes.put(arrays.get(0) + "[" + i + "]", array.get(i));
            }
        } else {
            nodes.put("", root);
        }
        if (nodes.isEmpty()) {
            throw json.error("", "holds no promptbooks", "Add at least one promptbook: " + EXAMPLE + ".");
        }
        return nodes;
    }

    private static Shape shape(JsonNode book) {
        if (book.has("promptbookinputs")) {
            return Shape.SECURITY_COPILOT;
        }
        JsonNode prompts = book.get("prompts");
        if (prompts != null && prompts.isArray()) {
            for (JsonNode prompt : prompts) {
                if (prompt.has("promptType") || prompt.has("sequenceNumber")) {
                    return Shape.SECURITY_COPILOT;
                }
            }
        }
        return Shape.VIGIL;
    }

    private static Promptbook promptbook(LocatedJson json, String path, JsonNode node) {
        if (!node.isObject()) {
            throw json.error(path, "expected a promptbook object, found " + kind(node),
                    "Write the promptbook as " + EXAMPLE + ".");
        }
        String at = path.isEmpty() ? "" : path + ".";
        Shape shape = shape(node);
        String name = text(json, at + "name", node.get("name"), true);
        String description = text(json, at + "description", node.get("description"), false);

        JsonNode promptsNode = node.get("prompts");
        if (promptsNode == null || promptsNode.isNull()) {
            throw json.error(path, "promptbook '" + name + "' has no \"prompts\"",
                    "Add the prompts: \"prompts\": [{\"content\": \"...\"}].");
        }
        if (!promptsNode.isArray()) {
            throw json.error(at + "prompts", "expected an array of prompts, found " + kind(promptsNode),
                    "Write \"prompts\": [{\"content\": \"...\"}].");
        }
        List<Located<PromptbookPrompt>> prompts = new ArrayList<>();
        boolean allNumbered = !promptsNode.isEmpty();
        for (int i = 0; i < promptsNode.size(); i++) {
            String promptPath = at + "prompts[" + i + "]";
            JsonNode prompt = promptsNode.get(i);
            if (prompt.isString()) {
                prompts.add(new Located<>(promptPath, new PromptbookPrompt(prompt.asString(), false), i));
                allNumbered = false;
                continue;
            }
            if (!prompt.isObject()) {
                throw json.error(promptPath, "expected a prompt object, found " + kind(prompt),
                        "Write the prompt as {\"content\": \"...\"}.");
            }
            String content = text(json, promptPath + ".content", prompt.get("content"), true);
            boolean continueOnFailure = bool(json, promptPath + ".continueOnFailure", prompt.get("continueOnFailure"),
                    false);
            JsonNode sequence = prompt.get("sequenceNumber");
            long order = i;
            if (sequence != null && sequence.isIntegralNumber()) {
                order = sequence.asLong();
            } else {
                allNumbered = false;
            }
            prompts.add(new Located<>(promptPath + ".content", new PromptbookPrompt(content, continueOnFailure),
                    order));
        }
        if (allNumbered) {
            prompts.sort(Comparator.comparingLong(Located::order));
        }

        String inputsKey = shape == Shape.SECURITY_COPILOT ? "promptbookinputs" : "inputs";
        JsonNode inputsNode = node.get(inputsKey);
        List<PromptbookPrompt> steps = prompts.stream().map(Located::value).toList();
        List<PromptbookInput> inputs = new ArrayList<>();
        if (inputsNode == null || inputsNode.isNull()) {
            inputs.addAll(Promptbook.inferInputs(steps));
        } else if (!inputsNode.isArray()) {
            throw json.error(at + inputsKey, "expected an array of inputs, found " + kind(inputsNode),
                    "Write \"" + inputsKey + "\": [{\"name\": \"IncidentId\", \"description\": \"...\"}].");
        } else {
            for (int i = 0; i < inputsNode.size(); i++) {
                String inputPath = at + inputsKey + "[" + i + "]";
                JsonNode input = inputsNode.get(i);
                if (!input.isObject()) {
                    throw json.error(inputPath, "expected an input object, found " + kind(input),
                            "Write the input as {\"name\": \"IncidentId\", \"description\": \"...\"}.");
                }
                inputs.add(new PromptbookInput(text(json, inputPath + ".name", input.get("name"), true),
                        text(json, inputPath + ".description", input.get("description"), false),
                        bool(json, inputPath + ".required", input.get("required"), true)));
            }
        }
        List<String> tags = tags(json, at + "tags", node.get("tags"));
        String author = text(json, at + "author", node.get("author"), false);

        Optional<Promptbook.Problem> problem = Promptbook.check(name, steps, inputs);
        if (problem.isPresent()) {
            Promptbook.Problem p = problem.get();
            String problemPath = p.prompt() > 0 ? prompts.get(p.prompt() - 1).path()
                    : p.input() >= 0 ? at + inputsKey + "[" + p.input() + "].name" : path;
            throw new VigilException(ErrorCode.PROMPTBOOK_INVALID, json.where(problemPath) + ": " + p.message(),
                    p.fix(), null);
        }
        return new Promptbook(name, description, steps, inputs, tags,
                author.isEmpty() ? Optional.empty() : Optional.of(author));
    }

    private record Located<T>(String path, T value, long order) {}

    private static String text(LocatedJson json, String path, JsonNode node, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                String field = path.substring(Math.max(path.lastIndexOf('.'), -1) + 1);
                throw json.error(path, "\"" + field + "\" is missing", "Add \"" + field + "\" with a text value.");
            }
            return "";
        }
        if (!node.isString()) {
            throw json.error(path, "expected text, found " + kind(node), "Put the value in double quotes.");
        }
        return node.asString();
    }

    private static boolean bool(LocatedJson json, String path, JsonNode node, boolean absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw json.error(path, "expected true or false, found " + kind(node), "Write true or false, unquoted.");
        }
        return node.booleanValue();
    }

    private static List<String> tags(LocatedJson json, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        if (node.isString()) {
            for (String tag : node.asString().split(",")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                tags.add(text(json, path + "[" + i + "]", node.get(i), true).strip());
            }
        } else {
            throw json.error(path, "expected an array of tags or a comma-separated text, found " + kind(node),
                    "Write \"tags\": [\"incident\", \"triage\"].");
        }
        return tags;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    // --- writing -----------------------------------------------------------------------------------------------

    private static ObjectNode node(Promptbook book, Shape shape) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", book.name());
        node.put("description", book.description());
        switch (shape) {
            case VIGIL -> {
                book.author().ifPresent(author -> node.put("author", author));
                ArrayNode tags = node.putArray("tags");
                book.tags().forEach(tags::add);
                ArrayNode inputs = node.putArray("inputs");
                for (PromptbookInput input : book.inputs()) {
                    inputs.addObject().put("name", input.name()).put("description", input.description())
                            .put("required", input.required());
                }
                ArrayNode prompts = node.putArray("prompts");
                for (PromptbookPrompt prompt : book.prompts()) {
                    prompts.addObject().put("content", prompt.content())
                            .put("continueOnFailure", prompt.continueOnFailure());
                }
            }
            case SECURITY_COPILOT -> {
                ArrayNode prompts = node.putArray("prompts");
                for (int i = 0; i < book.prompts().size(); i++) {
                    prompts.addObject().put("promptType", "Prompt").put("content", book.prompts().get(i).content())
                            .put("sequenceNumber", i);
                }
                ArrayNode inputs = node.putArray("promptbookinputs");
                for (PromptbookInput input : book.inputs()) {
                    inputs.addObject().put("name", input.name()).put("description", input.description());
                }
                node.put("visibility", "Private");
                ArrayNode tags = node.putArray("tags");
                book.tags().forEach(tags::add);
            }
        }
        return node;
    }
}
