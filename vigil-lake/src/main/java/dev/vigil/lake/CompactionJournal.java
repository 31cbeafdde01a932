package dev.vigil.lake;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one compaction in a partition folder: the output file it is putting in place and the input files it
 * replaces. Written (atomically) before the output is renamed into place and deleted after the inputs are; its
 * presence with the output in place means the inputs are superseded, its presence without the output means the
 * compaction never took effect.
 *
 * <p>The file reads {@code output NAME} then one {@code input NAME} per line.
 */
record CompactionJournal(String output, List<String> inputs) {
    static final String PREFIX = "_compaction-";
    static final String SUFFIX = ".journal";

    CompactionJournal {
        requireNonNull(output, "output is null");
        inputs = List.copyOf(inputs);
    }

    static boolean isJournal(String fileName) {
        return fileName.startsWith(PREFIX) && fileName.endsWith(SUFFIX);
    }

    /** The journal, or null if it vanished meanwhile (its compaction finished) or was never completely written. */
    static CompactionJournal read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String output = null;
        List<String> inputs = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("output ")) {
                output = line.substring("output ".length());
            } else if (line.startsWith("input ")) {
                inputs.add(line.substring("input ".length()));
            }
        }
        return output == null ? null : new CompactionJournal(output, inputs);
    }

    /** Writes the journal whole: a temporary file renamed into place. */
    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder("output ").append(output).append('\n');
        for (String input : inputs) {
            text.append("input ").append(input).append('\n');
        }
        Path temporary = file.resolveSibling(".tmp-" + file.getFileName());
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        LakeWriter.publish(temporary, file);
    }
}
