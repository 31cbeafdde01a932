package dev.vigil.posture.vuln;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vulnerability knowledge kept as one gzipped JSON-lines file ({@code DATA/knowledge/vulns/knowledge.jsonl.gz}): one
 * line per record, KEV entry and EPSS score. It is written whole to a temporary file and moved into place, so a
 * crash during an import leaves the previous knowledge intact.
 */
public final class VulnKnowledgeFile {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private VulnKnowledgeFile() {}

    /** One line of the file: exactly one of its values is set. */
    record Line(Vulnerability record, KevEntry kev, EpssScore epss, String kevCatalogVersion) {}

    public static VulnKnowledge load(Path file) {
        VulnKnowledge knowledge = new VulnKnowledge();
        if (!Files.exists(file)) {
            return knowledge;
        }
        List<Vulnerability> records = new java.util.ArrayList<>();
        List<KevEntry> kev = new java.util.ArrayList<>();
        List<EpssScore> epss = new java.util.ArrayList<>();
        String catalog = null;
        int number = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                number++;
                Line line = JSON.readValue(text, Line.class);
                if (line.record() != null) {
                    records.add(line.record());
                } else if (line.kev() != null) {
                    kev.add(line.kev());
                } else if (line.epss() != null) {
                    epss.add(line.epss());
                } else if (line.kevCatalogVersion() != null) {
                    catalog = line.kevCatalogVersion();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot read the vulnerability knowledge " + file + ":"
                    + number + ": " + e.getMessage(), "Import the vulnerability files again (vigil vulns import);"
                    + " the file is rebuilt from them.", e);
        }
        knowledge.merge(new VulnImport(file.toString(), "stored", records, kev, epss, catalog, List.of(), List.of(),
                null));
        return knowledge;
    }

    public static void save(VulnKnowledge knowledge, Path file) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
                    Files.newOutputStream(temporary), 1 << 16), StandardCharsets.UTF_8))) {
                writer.write(JSON.writeValueAsString(new Line(null, null, null, knowledge.kevCatalogVersion())));
                writer.newLine();
                for (Vulnerability record : knowledge.records()) {
                    writer.write(JSON.writeValueAsString(new Line(record, null, null, null)));
                    writer.newLine();
                }
                for (KevEntry entry : knowledge.kevEntries()) {
                    writer.write(JSON.writeValueAsString(new Line(null, entry, null, null)));
                    writer.newLine();
                }
                for (EpssScore score : knowledge.epssScores()) {
                    writer.write(JSON.writeValueAsString(new Line(null, null, score, null)));
                    writer.newLine();
                }
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VigilException(ErrorCode.STORE_FAILED, "cannot write the vulnerability knowledge " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
