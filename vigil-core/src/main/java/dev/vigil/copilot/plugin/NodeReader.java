package dev.vigil.copilot.plugin;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads YAML (with SnakeYAML Engine, YAML 1.2, so {@code no} stays text) or JSON (with Jackson's token stream) into a
 * {@link Node} tree with positions. A file whose first non-blank character is <code>{</code> or {@code [} is JSON.
 */
final class NodeReader {
    static final int MAX_CHARS = 2_000_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NodeReader() {}

    static boolean looksLikeJson(String text) {
        String start = text.stripLeading();
        return start.startsWith("{") || start.startsWith("[");
    }

    /**
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} for text that is not YAML or JSON, at the line and
     *     column where reading stopped
     */
    static Node read(String text, String source) {
        if (text.length() > MAX_CHARS) {
            throw new VigilException(ErrorCode.PLUGIN_INVALID, source + ":1:1: the file has " + text.length()
                    + " characters, more than the " + MAX_CHARS + " a plugin file may have",
                    "Split the OpenAPI specification, or keep only the operations the plugin needs.", null);
        }
        return looksLikeJson(text) ? json(text, source) : yaml(text, source);
    }

    private static Node yaml(String text, String source) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false).setCodePointLimit(MAX_CHARS * 2).build();
        try {
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            if (!composer.hasNext()) {
                throw empty(source);
            }
            Node root = convert(composer.next(), source);
            if (composer.hasNext()) {
                org.snakeyaml.engine.v2.nodes.Node next = composer.next();
                throw new VigilException(ErrorCode.PLUGIN_INVALID, at(source, next.getStartMark())
                        + ": a second YAML document; a plugin manifest is one document",
                        "Remove the '---' and what follows, or put the second plugin in a file of its own.", null);
            }
            return root;
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark();
            throw new VigilException(ErrorCode.PLUGIN_INVALID, at(source, mark) + ": not valid YAML: "
                    + e.getProblem(), "Fix the YAML at the line and column named (indentation, a missing ':' or"
                    + " an unclosed quote).", e);
        } catch (YamlEngineException e) {
            throw new VigilException(ErrorCode.PLUGIN_INVALID, source + ":1:1: not valid YAML: " + e.getMessage(),
                    "Fix the YAML of the file.", e);
        }
    }

    private static String at(String source, Optional<Mark> mark) {
        return source + ":" + mark.map(m -> m.getLine() + 1).orElse(1) + ":" + mark.map(m -> m.getColumn() + 1).orElse(1);
    }

    private static Node.Position position(String source, org.snakeyaml.engine.v2.nodes.Node node) {
        Optional<Mark> mark = node.getStartMark();
        return new Node.Position(source, mark.map(m -> m.getLine() + 1).orElse(1),
                mark.map(m -> m.getColumn() + 1).orElse(1));
    }

    private static Node convert(org.snakeyaml.engine.v2.nodes.Node node, String source) {
        Node.Position position = position(source, node);
        return switch (node) {
            case MappingNode map -> {
                Map<String, Node> values = new LinkedHashMap<>();
                Map<String, Node.Position> keys = new LinkedHashMap<>();
                for (NodeTuple tuple : map.getValue()) {
                    String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(tuple.getKeyNode());
                    Node.Position keyPosition = position(source, tuple.getKeyNode());
                    if (values.containsKey(key)) {
                        throw new VigilException(ErrorCode.PLUGIN_INVALID, keyPosition + ": the key '" + key
                                + "' appears twice in this mapping", "Keep one '" + key + "' and remove the other.", null);
                    }
                    values.put(key, convert(tuple.getValueNode(), source));
                    keys.put(key, keyPosition);
                }
                yield new Node.Mapping(values, keys, position);
            }
            case SequenceNode seq -> {
                List<Node> items = new ArrayList<>();
                seq.getValue().forEach(n -> items.add(convert(n, source)));
                yield new Node.Sequence(items, position);
            }
            case ScalarNode scalar -> new Node.Scalar(scalar.getTag().equals(Tag.NULL) ? null : scalar.getValue(), position);
            default -> new Node.Scalar(null, position);
        };
    }

    private static Node json(String text, String source) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                throw empty(source);
            }
            Node root = json(parser, source);
            if (parser.nextToken() != null) {
                throw new VigilException(ErrorCode.PLUGIN_INVALID, position(source, parser.currentTokenLocation())
                        + ": more JSON after the end of the document", "Keep one JSON document per file.", null);
            }
            return root;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? source + ":1:1" : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            String message = String.valueOf(e.getOriginalMessage()).strip();
            int newline = message.indexOf('\n');
            throw new VigilException(ErrorCode.PLUGIN_INVALID, where + ": not valid JSON: "
                    + (newline < 0 ? message : message.substring(0, newline)),
                    "Fix the JSON at the line and column named (a missing comma, quote or brace).", e);
        }
    }

    private static Node.Position position(String source, TokenStreamLocation location) {
        return new Node.Position(source, location.getLineNr(), location.getColumnNr());
    }

    private static Node json(JsonParser parser, String source) {
        Node.Position position = position(source, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node> values = new LinkedHashMap<>();
            Map<String, Node.Position> keys = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                Node.Position keyPosition = position(source, parser.currentTokenLocation());
                if (values.containsKey(name)) {
                    throw new VigilException(ErrorCode.PLUGIN_INVALID, keyPosition + ": the key '" + name
                            + "' appears twice in this object", "Keep one \"" + name + "\" and remove the other.", null);
                }
                parser.nextToken();
                values.put(name, json(parser, source));
                keys.put(name, keyPosition);
            }
            return new Node.Mapping(values, keys, position);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(json(parser, source));
            }
            return new Node.Sequence(items, position);
        }
        return new Node.Scalar(token == JsonToken.VALUE_NULL ? null : parser.getString(), position);
    }

    private static VigilException empty(String source) {
        return new VigilException(ErrorCode.PLUGIN_INVALID, source + ":1:1: the file is empty",
                "Write a manifest with a Descriptor and SkillGroups; plugins/samples/ has examples.", null);
    }
}
