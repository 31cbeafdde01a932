package dev.vigil.copilot.plugin;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A plugin as it is installed: its manifest and the files that come with it (an OpenAPI specification, a query
 * template), each by its path relative to the manifest's folder. Both plugin stores keep exactly these files: the data
 * directory as a folder, PostgreSQL as rows.
 *
 * <p>{@link #read} takes a whole folder (every regular file below it, links not followed), or a manifest file with
 * the files its {@code OpenApiSpecUrl}, {@code TemplateUrl} and {@code TemplateFile} name beside it. Vigil's own
 * state file of an installed plugin ({@value #STATE_FILE}) is never part of a package.
 *
 * @param origin where the package was read from, as messages name it (a folder, or a store and plugin)
 * @param manifestFile the manifest's path among {@code files}
 * @param files every file by its relative, {@code /}-separated path, the manifest included; in path order
 */
public record PluginPackage(String origin, String manifestFile, Map<String, byte[]> files) {
    /** The file of an installed plugin's folder that holds Vigil's state of it, not part of the plugin. */
    public static final String STATE_FILE = "vigil-settings.json";
    /** The most a plugin's files may hold together: a manifest with its specifications, not a program's tree. */
    public static final long MAX_BYTES = 32L * 1024 * 1024;
    private static final List<String> MANIFEST_NAMES = List.of("plugin.yaml", "plugin.yml", "plugin.json",
            "manifest.yaml", "manifest.json");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?i)\"?(?:OpenApiSpecUrl|TemplateUrl|TemplateFile)\"?\\s*:\\s*[\"']?([^\"'\\s,}]+)");

    public PluginPackage {
        requireNonNull(origin, "origin is null");
        requireNonNull(manifestFile, "manifestFile is null");
        TreeMap<String, byte[]> copy = new TreeMap<>();
        files.forEach((path, content) -> copy.put(requireNonNull(path, "path is null"),
                requireNonNull(content, "content is null").clone()));
        if (!copy.containsKey(manifestFile)) {
            throw new IllegalArgumentException("the files hold no manifest " + manifestFile);
        }
        files = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a plugin from a manifest file or the folder holding one ({@code plugin.yaml}, {@code plugin.yml} or
     * {@code plugin.json}).
     *
     * @throws VigilException {@link ErrorCode#INPUT_NOT_FOUND} when there is no such file or folder,
     *     {@link ErrorCode#PLUGIN_INVALID} for a folder without a manifest or files over {@link #MAX_BYTES}
     */
    public static PluginPackage read(Path fileOrFolder) {
        Path manifest = manifestIn(fileOrFolder);
        Path folder = manifest.toAbsolutePath().normalize().getParent();
        if (Files.isDirectory(fileOrFolder)) {
            return readFolder(manifest.getParent(), manifest.getFileName().toString());
        }
        Map<String, byte[]> files = new TreeMap<>();
        try {
            byte[] text = Files.readAllBytes(manifest);
            files.put(manifest.getFileName().toString(), text);
            Matcher m = REFERENCE.matcher(new String(text, StandardCharsets.UTF_8));
            while (m.find()) {
                Path referenced = folder.resolve(m.group(1).replaceFirst("(?i)^file:", "")).normalize();
                if (referenced.startsWith(folder) && Files.isRegularFile(referenced, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(relative(folder, referenced), Files.readAllBytes(referenced));
                    checkSize(fileOrFolder, files);
                }
            }
        } catch (IOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, fileOrFolder + ": cannot be read: " + e, e);
        }
        Path parent = manifest.getParent();
        return new PluginPackage(parent == null ? "" : parent.toString(), manifest.getFileName().toString(), files);
    }

    /**
     * Reads every regular file below a folder (links not followed, {@value #STATE_FILE} left out) as a plugin whose
     * manifest is {@code manifestFile} in it.
     *
     * @throws VigilException {@link ErrorCode#INPUT_UNREADABLE} when a file cannot be read,
     *     {@link ErrorCode#PLUGIN_INVALID} for files over {@link #MAX_BYTES} or no such manifest
     */
    public static PluginPackage readFolder(Path folder, String manifestFile) {
        Path root = folder.toAbsolutePath().normalize();
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                if (!path.getFileName().toString().equals(STATE_FILE)) {
                    files.put(relative(root, path), Files.readAllBytes(path));
                    checkSize(folder, files);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new VigilException(ErrorCode.INPUT_UNREADABLE, folder + ": cannot be read: " + e, e);
        }
        if (!files.containsKey(manifestFile)) {
            throw new VigilException(ErrorCode.PLUGIN_INVALID, folder + ": no " + manifestFile + " in the folder",
                    "Install the plugin again with `vigil plugins install`.", null);
        }
        return new PluginPackage(folder.toString(), manifestFile, files);
    }

    /** The manifest file of a manifest file or a folder holding one. */
    public static Path manifestIn(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) {
            return fileOrFolder;
        }
        if (Files.isDirectory(fileOrFolder)) {
            for (String name : MANIFEST_NAMES) {
                if (Files.isRegularFile(fileOrFolder.resolve(name))) {
                    return fileOrFolder.resolve(name);
                }
            }
            throw new VigilException(ErrorCode.PLUGIN_INVALID, fileOrFolder + ": no plugin.yaml, plugin.yml or"
                    + " plugin.json in the folder", "Name the manifest plugin.yaml, or pass the manifest file itself.",
                    null);
        }
        throw new VigilException(ErrorCode.INPUT_NOT_FOUND, fileOrFolder + ": no such file or folder",
                "Pass a plugin manifest (plugin.yaml or plugin.json) or the folder that holds it.", null);
    }

    /** The manifest's text. */
    public String manifestText() {
        return text(manifestFile).orElseThrow();
    }

    /** A file's text (UTF-8), when the package has it. */
    public Optional<String> text(String path) {
        return Optional.ofNullable(files.get(path)).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    /** Where messages place the manifest: the origin and the manifest's path. */
    public String manifestSource() {
        return origin.isEmpty() ? manifestFile : origin + "/" + manifestFile;
    }

    /**
     * Parses and validates the manifest, reading the files it refers to from the package.
     *
     * @throws VigilException {@link ErrorCode#PLUGIN_INVALID} naming every problem
     */
    public PluginManifest manifest() {
        return PluginParser.parseWithFiles(manifestText(), manifestSource(), files);
    }

    /** How many bytes the files hold together. */
    public long size() {
        return files.values().stream().mapToLong(content -> content.length).sum();
    }

    /**
     * A reference in a manifest as a path of the package: {@code /}-separated, {@code .} and {@code ..} resolved;
     * empty when it is absolute or leaves the plugin's folder.
     */
    public static Optional<String> relativePath(String reference) {
        String ref = reference.replace('\\', '/');
        if (ref.startsWith("/") || ref.matches("(?i)[a-z]:.*")) {
            return Optional.empty();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : ref.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
    }

    private static String relative(Path folder, Path file) {
        return folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static void checkSize(Path source, Map<String, byte[]> files) {
        long size = files.values().stream().mapToLong(content -> content.length).sum();
        if (size > MAX_BYTES) {
            throw new VigilException(ErrorCode.PLUGIN_INVALID, source + ": the plugin's files hold more than "
                    + MAX_BYTES / (1024 * 1024) + " MiB", "Keep only the manifest and the files it refers to in the"
                    + " plugin's folder, or install the manifest file itself (then only the files it names are"
                    + " taken).", null);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PluginPackage that && origin.equals(that.origin)
                && manifestFile.equals(that.manifestFile) && sameFiles(files, that.files);
    }

    @Override
    public int hashCode() {
        int hash = 31 * origin.hashCode() + manifestFile.hashCode();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            hash = 31 * hash + file.getKey().hashCode() + java.util.Arrays.hashCode(file.getValue());
        }
        return hash;
    }

    @Override
    public String toString() {
        return "PluginPackage[" + manifestSource() + ", files=" + files.keySet() + "]";
    }

    private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> java.util.Arrays.equals(
                e.getValue(), b.get(e.getKey())));
    }
}
