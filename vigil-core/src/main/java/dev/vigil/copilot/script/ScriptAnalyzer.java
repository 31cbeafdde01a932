package dev.vigil.copilot.script;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Analyzes a suspicious PowerShell or cmd command line or script, the way an analyst would before deciding what to
 * do about it: undoes its obfuscation layer by layer, explains each statement of what is left in a sentence, maps
 * what it does to ATT&amp;CK techniques, lists its indicators and gives a verdict.
 *
 * <p>Nothing is executed. Obfuscation is undone by rewriting text until a round of rewrites changes nothing or
 * {@link Limits#maxDepth()} rounds have run; each kind is an {@link Obfuscation}. Where a layer cannot be undone
 * (base64 that is not valid, a payload that is binary, a limit reached), the text stays as it is and the result's
 * {@linkplain ScriptAnalysis#notes() notes} say why. The behaviours recognised are listed with their ATT&amp;CK
 * techniques in {@code behaviours.yaml}.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ScriptAnalyzer {
    /**
     * The bounds that keep hostile input cheap.
     *
     * @param maxInputChars the longest script accepted, in characters; longer ones are refused with
     *     {@link ErrorCode#LIMIT_EXCEEDED}
     * @param maxDepth the most rounds of deobfuscation; a script still obfuscated after them is left as it is, with a
     *     note
     * @param maxDecodedChars the longest the text may grow to while it is decoded (a format string or a payload can
     *     make it longer than the input)
     * @param maxDecompressedBytes the most bytes one compressed payload may decompress to; the rest is cut off, with a
     *     note, so that a decompression bomb stays small
     * @param maxStatements the most statements explained; the rest is left out, with a note
     */
    public record Limits(int maxInputChars, int maxDepth, int maxDecodedChars, int maxDecompressedBytes,
            int maxStatements) {
        public static final int MEBIBYTE = 1 << 20;

        public Limits {
            if (maxInputChars < 1 || maxDepth < 1 || maxDecodedChars < maxInputChars || maxDecompressedBytes < 1
                    || maxStatements < 1) {
                throw new IllegalArgumentException("script analysis limits must be positive, and maxDecodedChars at "
                        + "least maxInputChars: " + maxInputChars + ", " + maxDepth + ", " + maxDecodedChars + ", "
                        + maxDecompressedBytes + ", " + maxStatements);
            }
        }

        /** 1 MiB of input, 10 rounds, 4 MiB of decoded text, 1 MiB per decompressed payload, 5,000 statements. */
        public static Limits defaults() {
            return new Limits(MEBIBYTE, 10, 4 * MEBIBYTE, MEBIBYTE, 5_000);
        }

        public Limits withMaxDepth(int depth) {
            return new Limits(maxInputChars, depth, maxDecodedChars, maxDecompressedBytes, maxStatements);
        }

        public Limits withMaxDecompressedBytes(int bytes) {
            return new Limits(maxInputChars, maxDepth, maxDecodedChars, bytes, maxStatements);
        }
    }

    private static final Pattern POWERSHELL_FIRST = Pattern.compile(
            "(?i)^[\\s'&.]*+(?:\"[^\"\\r\\n]{0,200}\\\\|\"|[^\\s\"]{0,200}\\\\)?(?:powershell|pwsh)(?:_ise)?(?:\\.exe)?\"?(?:\\s|$)");
    private static final Pattern CMD_FIRST = Pattern.compile(
            "(?i)^[\\s'@]*+(?:\"[^\"\\r\\n]{0,200}\\\\|\"|[^\\s\"]{0,200}\\\\)?cmd(?:\\.exe)?\"?(?:\\s|$)");
    private static final Pattern POWERSHELL_SYNTAX = Pattern.compile("(?i)\\$[\\w{]|\\[[\\w.]{1,100}+\\]::"
            + "|(?<![\\w-])(?:Invoke-\\w++|New-Object|Get-\\w++|Set-\\w++|Write-Host|iex|-join|-split|-replace)(?![\\w-])");
    private static final Pattern CMD_SYNTAX = Pattern.compile("(?im)^\\s*+@?echo\\s++off\\b|%\\w{1,40}+%"
            + "|(?<![\\w-])set\\s++\"?\\w{1,40}+=|(?<![\\w-])goto\\s|(?<![\\w-])if\\s++(?:not\\s++)?(?:exist|errorlevel)\\b"
            + "|(?:^|\\s)(?:reg|schtasks|net|sc|wmic|vssadmin|bcdedit|certutil|bitsadmin|whoami|rundll32|regsvr32|mshta)"
            + "(?:\\.exe)?(?:\\s|$)");

    private final Limits limits;

    /** An analyzer with {@linkplain Limits#defaults() the default limits}. */
    public ScriptAnalyzer() {
        this(Limits.defaults());
    }

    public ScriptAnalyzer(Limits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Analyzes one script or command line.
     *
     * @param script the text as pasted; any line endings
     * @throws VigilException with {@link ErrorCode#LIMIT_EXCEEDED} if the script is longer than
     *     {@link Limits#maxInputChars()}
     */
    public ScriptAnalysis analyze(String script) {
        requireNonNull(script, "script is null");
        if (script.length() > limits.maxInputChars()) {
            throw new VigilException(ErrorCode.LIMIT_EXCEEDED, "the script is " + script.length()
                    + " characters long, over the script analyzer's limit of " + limits.maxInputChars()
                    + " characters (" + describe(limits.maxInputChars()) + ")",
                    "Paste only the command line or the part of the script in question, or raise the limit "
                            + "maxInputChars.", null);
        }
        ScriptLanguage language = detect(script);
        Deobfuscator.Result decoded = Deobfuscator.run(script, limits);
        List<String> notes = new ArrayList<>(decoded.notes());
        List<Statements.Statement> statements = Statements.split(decoded.text(), language, limits.maxStatements());
        if (statements.size() >= limits.maxStatements()) {
            notes.add("only the first " + limits.maxStatements() + " statements were explained (the statement limit)");
        }
        Explainer.Explanation explanation = Explainer.explain(decoded.text(), statements, decoded.layers(), language,
                notes, Behaviours.BUILT_IN);
        return new ScriptAnalysis(language, script, decoded.text(), decoded.layers(), explanation.steps(),
                explanation.techniques(), ScriptIndicators.extract(statements), explanation.verdict(), notes);
    }

    /** The language of a script: its first command if that is a shell, else the syntax it uses most. */
    static ScriptLanguage detect(String script) {
        String head = script.length() > 4096 ? script.substring(0, 4096) : script;
        if (POWERSHELL_FIRST.matcher(head).find()) {
            return ScriptLanguage.POWERSHELL;
        }
        if (CMD_FIRST.matcher(head).find()) {
            return ScriptLanguage.CMD;
        }
        long powershell = POWERSHELL_SYNTAX.matcher(head).results().count();
        long cmd = CMD_SYNTAX.matcher(head).results().count();
        if (powershell > 0 && powershell >= cmd) {
            return ScriptLanguage.POWERSHELL;
        }
        return cmd > 0 ? ScriptLanguage.CMD : ScriptLanguage.UNKNOWN;
    }

    private static String describe(int chars) {
        return chars % Limits.MEBIBYTE == 0 ? chars / Limits.MEBIBYTE + " MiB"
                : chars % 1024 == 0 ? chars / 1024 + " KiB" : chars + " characters";
    }
}
