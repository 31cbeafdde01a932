package dev.vigil.copilot.script;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** The obfuscations the tests undo, done the way attackers' tools do them. */
final class Obfuscate {
    private Obfuscate() {}

    /** The argument of {@code powershell -EncodedCommand}: base64 of the script's UTF-16LE bytes. */
    static String encodedCommand(String script) {
        return base64(script, StandardCharsets.UTF_16LE);
    }

    static String base64(String text, Charset charset) {
        return Base64.getEncoder().encodeToString(text.getBytes(charset));
    }

    static String gzipBase64(String text) {
        return gzipBase64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String gzipBase64(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Raw deflate, as .NET's DeflateStream writes it: no zlib header. */
    static String deflateBase64(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, true))) {
            deflate.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** The script as a gzip payload read back and run, as Invoke-Obfuscation's compression does. */
    static String gzipCradle(String script) {
        return "IEX (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object IO.MemoryStream(,"
                + "[Convert]::FromBase64String('" + gzipBase64(script) + "'))),"
                + "[IO.Compression.CompressionMode]::Decompress))).ReadToEnd()";
    }

    /** {@code [char[]](72,105) -join ''} for the text. */
    static String charCodes(String text) {
        return "([char[]](" + text.chars().mapToObj(Integer::toString).collect(Collectors.joining(",")) + ") -join '')";
    }

    static String powershellEncoded(String script) {
        return "powershell.exe -NoP -NonI -W Hidden -Enc " + encodedCommand(script);
    }
}
