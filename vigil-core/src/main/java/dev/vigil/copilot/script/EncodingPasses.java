package dev.vigil.copilot.script;

import static dev.vigil.copilot.script.Literals.LITERAL;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** The passes that decode bytes: {@code -EncodedCommand}, base64 text, and compressed payloads. */
final class EncodingPasses {
    private EncodingPasses() {}

    /** Base64 as .NET reads it, white space and all; at most 4 MiB so that one match stays bounded. */
    private static final String BASE64 = "[A-Za-z0-9+/]{4,4194304}+={0,2}+";

    /**
     * {@code -EncodedCommand} and every unambiguous prefix of it ({@code -e}, {@code -en}, {@code -enc}...), its alias
     * {@code -ec}, with a hyphen, a slash or the dashes that copied command lines carry, in any case; then the base64
     * argument, quoted or not.
     */
    private static final Pattern ENCODED_COMMAND = Pattern.compile("(?i)(?<![\\w-])[-/\u2013\u2014\u2015]"
            + "(?:e(?:n(?:c(?:o(?:d(?:e(?:d(?:c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?)?)?)?)?)?)?)?|ec)"
            + "\\s++(['\"]?)(" + BASE64 + ")\\1(?![\\w+/=])");

    private static int firstOf(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    static final class EncodedCommand implements Pass {
        @Override
        public Obfuscation obfuscation() {
            return Obfuscation.ENCODED_COMMAND;
        }

        @Override
        public Rewrite apply(String text, Context context) {
            String lowerCase = context.lowerCase(text);
            int launcher = firstOf(lowerCase.indexOf("powershell"), lowerCase.indexOf("pwsh"));
            Matcher matcher = ENCODED_COMMAND.matcher(text);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            int rewrites = 0;
            String before = "";
            String after = "";
            while (matcher.find()) {
                // -e is also netcat's "execute": the flag counts only on a PowerShell command line.
                if (launcher < 0 || launcher > matcher.start()) {
                    continue;
                }
                String base64 = matcher.group(2);
                byte[] bytes = decodeBase64(base64, "the -EncodedCommand argument", context);
                if (bytes == null) {
                    continue;
                }
                String script = new String(bytes, StandardCharsets.UTF_16LE);
                if (bytes.length % 2 != 0 || !Literals.readable(script)) {
                    context.note("the -EncodedCommand argument " + Literals.excerpt(base64, 24)
                            + " does not decode to UTF-16LE text (" + bytes.length + " bytes); left as is");
                    continue;
                }
                boolean more = Literals.next(text, matcher.end()) != 0;
                String replacement = "-Command\n" + script.strip() + (more ? "\n" : "");
                if (rewrites == 0) {
                    before = Literals.excerpt(matcher.group(), Literals.EXCERPT);
                    after = Literals.excerpt(script, Literals.EXCERPT);
                }
                out.append(text, copied, matcher.start()).append(replacement);
                copied = matcher.end();
                rewrites++;
            }
            if (rewrites == 0) {
                return Rewrite.NONE;
            }
            out.append(text, copied, text.length());
            return new Rewrite(out.toString(), rewrites, before, after);
        }
    }

    private static final Pattern BASE64_TEXT = Literals.skippingStrings(
            "\\[(?:System\\.)?Text\\.Encoding\\]::(\\w{1,20}+)\\.GetString\\(\\s*+"
                    + "\\[(?:System\\.)?Convert\\]::FromBase64String\\(\\s*+(" + LITERAL + ")\\s*+\\)\\s*+\\)",
            Pattern.CASE_INSENSITIVE);

    static final class Base64Text implements Pass {
        @Override
        public Obfuscation obfuscation() {
            return Obfuscation.BASE64;
        }

        @Override
        public Rewrite apply(String text, Context context) {
            if (!context.lowerCase(text).contains("frombase64string")) {
                return Rewrite.NONE;
            }
            return Literals.rewrite(text, context.codeEnd(text), BASE64_TEXT, (subject, matcher) -> {
                Charset charset = charset(matcher.group(1));
                String argument = Literals.value(matcher.group(2));
                if (charset == null) {
                    return null;
                }
                byte[] bytes = decodeBase64(argument, "the FromBase64String argument", context);
                if (bytes == null) {
                    return null;
                }
                String decoded = new String(bytes, charset);
                if (!Literals.readable(decoded)) {
                    context.note("the FromBase64String argument " + Literals.excerpt(argument, 24)
                            + " does not decode to " + matcher.group(1) + " text (" + bytes.length
                            + " bytes); left as is");
                    return null;
                }
                return Literals.quote(decoded);
            });
        }

        private static Charset charset(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "unicode" -> StandardCharsets.UTF_16LE;
                case "bigendianunicode" -> StandardCharsets.UTF_16BE;
                case "utf8", "default" -> StandardCharsets.UTF_8;
                case "ascii" -> StandardCharsets.US_ASCII;
                case "utf32" -> Charset.forName("UTF-32LE");
                default -> null;
            };
        }
    }

    private static final Pattern COMPRESSED_STREAM = Pattern.compile(
            "(?i)New-Object\\s++(?:System\\.)?IO\\.Compression\\.(Gzip|Deflate)Stream");
    private static final Pattern BASE64_CALL = Pattern.compile(
            "(?i)FromBase64String\\(\\s*+(" + LITERAL + ")\\s*+\\)");
    private static final Pattern STREAM_READER = Pattern.compile("(?i)New-Object\\s++(?:System\\.)?IO\\.StreamReader");
    private static final Pattern READ_TO_END = Pattern.compile("(?i)\\s*+\\.ReadToEnd\\(\\s*+\\)");
    /** How far from the stream its base64 argument and its reader may be, in characters. */
    private static final int REACH = 400;

    /**
     * {@code (New-Object IO.StreamReader(New-Object IO.Compression.GzipStream((New-Object
     * IO.MemoryStream(,[Convert]::FromBase64String('...'))), [IO.Compression.CompressionMode]::Decompress))).ReadToEnd()}
     * and its deflate twin become the decompressed text as a literal. Where the base64 comes earlier, in a variable,
     * the reader expression becomes the text; where there is no reader expression around the stream, the
     * decompressed text replaces the base64 call, so that the rest of the analysis still sees it.
     */
    static final class Compression implements Pass {
        @Override
        public Obfuscation obfuscation() {
            return Obfuscation.COMPRESSION;
        }

        /** One {@code FromBase64String('...')} call: where it starts (with its {@code [Convert]::}) and ends. */
        private record Call(int start, int end, String base64) {}

        @Override
        public Rewrite apply(String text, Context context) {
            String lowerCase = context.lowerCase(text);
            if (!lowerCase.contains("compression.") || !lowerCase.contains("frombase64string(")) {
                return Rewrite.NONE;
            }
            List<Integer> calls = new ArrayList<>();
            for (int at = lowerCase.indexOf("frombase64string("); at >= 0;
                    at = lowerCase.indexOf("frombase64string(", at + 1)) {
                calls.add(at);
            }
            Map<Integer, Optional<Call>> parsed = new HashMap<>();
            Map<Integer, Optional<String>> payloads = new HashMap<>();
            Matcher stream = COMPRESSED_STREAM.matcher(text);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            int rewrites = 0;
            String before = "";
            String after = "";
            while (stream.find()) {
                if (stream.start() < copied) {
                    continue;
                }
                int index = Collections.binarySearch(calls, stream.end());
                int next = index >= 0 ? index : -index - 1;
                Integer position = null;
                if (next < calls.size() && calls.get(next) - stream.end() <= REACH) {
                    position = calls.get(next);
                } else if (next > 0 && calls.get(next - 1) >= copied) {
                    position = calls.get(next - 1);
                }
                if (position == null) {
                    continue;
                }
                int at = position;
                Call call = parsed.computeIfAbsent(at, key -> parse(text, lowerCase, key)).orElse(null);
                if (call == null || call.end() > stream.start() && call.start() < stream.end()
                        || call.end() <= stream.start() && stream.start() - call.end() > 4 * REACH) {
                    continue;
                }
                boolean gzip = stream.group(1).equalsIgnoreCase("gzip");
                String payload = payloads.computeIfAbsent(at,
                        key -> Optional.ofNullable(decompress(call.base64(), gzip, context))).orElse(null);
                if (payload == null) {
                    continue;
                }
                int start = call.start();
                int end = call.end();
                int reader = readerStart(text, stream.start(), copied);
                if (reader >= 0) {
                    int inner = Math.max(call.end(), stream.end());
                    int close = closingParenthesis(text, reader, inner + REACH);
                    Matcher read = READ_TO_END.matcher(text);
                    if (close > inner && read.region(close + 1, text.length()).lookingAt()) {
                        start = reader;
                        end = read.end();
                    }
                }
                if (start < copied) {
                    continue;
                }
                String replacement = Literals.quote(payload);
                if (rewrites == 0) {
                    before = Literals.excerpt(text.substring(start, end), Literals.EXCERPT);
                    after = Literals.excerpt(payload, Literals.EXCERPT);
                }
                out.append(text, copied, start).append(replacement);
                copied = end;
                rewrites++;
            }
            if (rewrites == 0) {
                return Rewrite.NONE;
            }
            out.append(text, copied, text.length());
            return new Rewrite(out.toString(), rewrites, before, after);
        }

        private static Optional<Call> parse(String text, String lowerCase, int at) {
            Matcher call = BASE64_CALL.matcher(text).region(at, text.length());
            if (!call.lookingAt()) {
                return Optional.empty();
            }
            int start = at;
            for (String prefix : List.of("[convert]::", "[system.convert]::")) {
                if (at >= prefix.length() && lowerCase.startsWith(prefix, at - prefix.length())) {
                    start = at - prefix.length();
                }
            }
            return Optional.of(new Call(start, call.end(), Literals.value(call.group(1))));
        }

        /** The opening parenthesis of {@code (New-Object IO.StreamReader(...` just before the stream, or -1. */
        private static int readerStart(String text, int streamStart, int notBefore) {
            Matcher reader = STREAM_READER.matcher(text);
            reader.region(Math.max(notBefore, streamStart - REACH), streamStart);
            int found = -1;
            while (reader.find()) {
                found = reader.start();
            }
            if (found < 0) {
                return -1;
            }
            int open = found - 1;
            while (open >= notBefore && Character.isWhitespace(text.charAt(open))) {
                open--;
            }
            return open >= notBefore && text.charAt(open) == '(' ? open : -1;
        }

        private static String decompress(String base64, boolean gzip, Context context) {
            byte[] compressed = decodeBase64(base64, "the compressed payload", context);
            if (compressed == null) {
                return null;
            }
            int limit = context.limits().maxDecompressedBytes();
            boolean isGzip = compressed.length > 2 && (compressed[0] & 0xff) == 0x1f && (compressed[1] & 0xff) == 0x8b;
            try (InputStream in = isGzip || gzip ? new GZIPInputStream(new ByteArrayInputStream(compressed))
                    : new InflaterInputStream(new ByteArrayInputStream(compressed), new Inflater(true))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1L - out.size()))) > 0) {
                    out.write(buffer, 0, read);
                    if (out.size() > limit) {
                        break;
                    }
                }
                byte[] bytes = out.toByteArray();
                if (bytes.length > limit) {
                    context.note("a compressed payload decompresses to more than " + limit
                            + " bytes (the decompression limit); only its first " + limit + " bytes were kept");
                    bytes = Arrays.copyOf(bytes, limit);
                }
                String payload = new String(bytes, StandardCharsets.UTF_8);
                if (!Literals.readable(payload)) {
                    context.note("a compressed payload (" + Literals.excerpt(base64, 24)
                            + ") decompresses to binary data, not text; left as is");
                    return null;
                }
                return payload;
            } catch (IOException | RuntimeException e) {
                context.note("a compressed payload (" + Literals.excerpt(base64, 24) + ") is not valid "
                        + (gzip ? "gzip" : "deflate") + " data (" + e.getMessage() + "); left as is");
                return null;
            }
        }
    }

    /** The bytes of base64 text, or null with a note naming what was not valid. White space is ignored, as .NET does. */
    static byte[] decodeBase64(String base64, String what, Pass.Context context) {
        String compact = base64.replaceAll("\\s++", "");
        try {
            return Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            context.note(what + " " + Literals.excerpt(compact, 24) + " is not valid base64 (" + e.getMessage()
                    + "); left as is");
            return null;
        }
    }

    /**
     * The index of the parenthesis that closes the one at {@code open}, skipping strings; -1 if none closes it before
     * {@code limit}, which bounds the work on hostile text.
     */
    static int closingParenthesis(String text, int open, int limit) {
        int depth = 0;
        int end = Math.min(limit, text.length());
        for (int i = open; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int close = i + 1;
                while (close < end) {
                    if (text.charAt(close) != c) {
                        close++;
                    } else if (close + 1 < end && text.charAt(close + 1) == c) {
                        close += 2; // a doubled quote inside the string
                    } else {
                        break;
                    }
                }
                if (close >= end) {
                    return -1;
                }
                i = close;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
