package dev.vigil.intel.attack;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an ATT&amp;CK STIX bundle into an {@link AttackKnowledge}.
 *
 * <p>Both shapes ATT&amp;CK publishes are read: STIX 2.0 ({@code mitre/cti}, {@code spec_version} on the bundle) and
 * STIX 2.1 ({@code mitre-attack/attack-stix-data}, {@code spec_version} on each object, an {@code x-mitre-collection}
 * naming the release). The bundle is streamed: only one object's tree is held at a time, and each is turned at once
 * into a compact record, so the enterprise bundle (37 MB of JSON) loads into a few tens of megabytes of heap.
 *
 * <p>Objects of types the knowledge base does not use ({@code identity}, {@code marking-definition},
 * {@code x-mitre-asset}, ...) are counted and passed over. Objects of a used type without an ATT&amp;CK id, relationships
 * to objects the bundle lacks, and other damage are left out with a reason in {@link Summary#warnings()}. What makes
 * the whole bundle unusable (not JSON, not a bundle, an object without {@code id} or {@code type}) is an error.
 */
public final class AttackBundle {
    /** How many reasons for left-out objects {@link Summary#warnings()} keeps; it counts them all. */
    public static final int MAX_WARNINGS = 50;

    // The caller who opened a stream closes it.
    private static final JsonMapper MAPPER = JsonMapper.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    private AttackBundle() {}

    /**
     * Reads the bundle in a file.
     *
     * @throws VigilException {@link ErrorCode#INPUT_NOT_FOUND} when the file does not exist,
     *     {@link ErrorCode#INPUT_UNREADABLE} when it cannot be read or is not an ATT&amp;CK STIX bundle; the message names
     *     the file and, for malformed content, the line and column
     */
    public static AttackKnowledge read(Path file) {
        requireNonNull(file, "file is null");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new VigilException(ErrorCode.INPUT_NOT_FOUND, file + ": no such file", e);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a bundle from a stream, which is read to the end of the bundle but not closed.
     *
     * @param source how error messages and {@link Summary#source()} name the stream, e.g. its file name
     * @throws VigilException {@link ErrorCode#INPUT_UNREADABLE} when the stream is not an ATT&amp;CK STIX bundle
     */
    public static AttackKnowledge read(InputStream in, String source) {
        requireNonNull(in, "in is null");
        requireNonNull(source, "source is null");
        try (JsonParser parser = MAPPER.createParser(in)) {
            return read(parser, source);
        } catch (JacksonIOException e) {
            throw unreadable(source, null, "cannot be read: " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw unreadable(source, e.getLocation(), "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static AttackKnowledge read(JsonParser parser, String source) {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw unreadable(source, null, "empty; expected a STIX bundle, a JSON object with \"type\": \"bundle\"",
                    null);
        }
        if (first != JsonToken.START_OBJECT) {
            throw unreadable(source, parser.currentTokenLocation(), "not a STIX bundle: the top-level JSON value is "
                    + describe(first) + "; expected an object with \"type\": \"bundle\"", null);
        }
        BundleAssembler assembler = new BundleAssembler(source);
        String type = null;
        String specVersion = null;
        boolean sawObjects = false;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "type" -> {
                    if (value != JsonToken.VALUE_STRING || !parser.getString().equals("bundle")) {
                        String found = value == JsonToken.VALUE_STRING ? "\"" + parser.getString() + "\""
                                : describe(value);
                        throw unreadable(source, parser.currentTokenLocation(), "not a STIX bundle: its \"type\" is "
                                + found + "; expected \"bundle\", whose \"objects\" hold the attack-pattern, "
                                + "intrusion-set, ... objects", null);
                    }
                    type = "bundle";
                }
                case "spec_version" -> specVersion = value == JsonToken.VALUE_STRING ? parser.getString() : null;
                case "objects" -> {
                    sawObjects = true;
                    readObjects(parser, source, assembler);
                }
                default -> parser.skipChildren();
            }
        }
        if (type == null) {
            throw unreadable(source, null, "not a STIX bundle: the top-level object has no \"type\"; expected "
                    + "\"type\": \"bundle\"", null);
        }
        if (!sawObjects) {
            throw unreadable(source, null, "the bundle has no \"objects\" array", null);
        }
        return assembler.build(specVersion);
    }

    private static void readObjects(JsonParser parser, String source, BundleAssembler assembler) {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw unreadable(source, parser.currentTokenLocation(), "the bundle's \"objects\" is "
                    + describe(parser.currentToken()) + "; expected an array of STIX objects", null);
        }
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            TokenStreamLocation where = parser.currentTokenLocation();
            if (token != JsonToken.START_OBJECT) {
                throw unreadable(source, where, "objects[" + index + "] is " + describe(token)
                        + "; expected a STIX object", null);
            }
            JsonNode node = parser.readValueAsTree();
            String problem = assembler.accept(node);
            if (problem != null) {
                throw unreadable(source, where, "objects[" + index + "] " + problem, null);
            }
            index++;
        }
    }

    private static VigilException unreadable(String source, TokenStreamLocation where, String problem,
            Throwable cause) {
        String position = where == null || where == TokenStreamLocation.NA || where.getLineNr() < 1 ? ""
                : " line " + where.getLineNr() + ", column " + where.getColumnNr() + ":";
        return new VigilException(ErrorCode.INPUT_UNREADABLE, source + ":" + position + " " + problem,
                "Pass an ATT&CK STIX bundle such as enterprise-attack.json from github.com/mitre/cti or "
                        + "github.com/mitre-attack/attack-stix-data, complete and unmodified.",
                cause);
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "missing (the input ends)";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
