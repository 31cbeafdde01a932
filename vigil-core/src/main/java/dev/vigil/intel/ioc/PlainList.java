package dev.vigil.intel.ioc;

import static java.util.Objects.requireNonNull;


/**
 * Reads a plain list of indicators: one per line, its type recognized ({@link IndicatorValues#detect}); blank lines
 * and everything from a {@code #} at the start of a line or after a space are ignored; defanged spellings
 * ({@code hxxp://}, {@code [.]}, ...) are undone; the first word of a line is the value, except in hosts-file lines
 * ({@code 0.0.0.0 evil.example}), where it is the name.
 *
 * <p>A file in which fewer than half of the lines that are not comments hold an indicator is not taken for a list
 * (a README, a licence, prose): it is refused as a whole, so that the odd domain-like word of a text never becomes
 * an indicator. Otherwise lines that are not indicators are rejected one by one, with the reason.
 */
public final class PlainList {
    private PlainList() {}

    public static IndicatorImport read(String source, String text, ImportOptions options) {
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        ImportCollector collector = new ImportCollector(source, IntelFormat.PLAIN, options);
        Provenance provenance = Provenance.of(options.feed(null, source), options.confidence(null));
        String[] lines = text.split("\r?\n|\r", -1);
        String firstRejected = null;
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            collector.entry();
            String location = "line " + (i + 1);
            String[] words = line.split("\\s+");
            String value = words[0];
            if (words.length > 1 && (value.equals("0.0.0.0") || value.equals("127.0.0.1"))) {
                value = words[1];
            }
            String refanged = IndicatorValues.refang(value);
            IndicatorValues.Value detected = IndicatorValues.detect(refanged);
            if (detected == null) {
                String reason = IndicatorValues.whyNot(refanged);
                collector.reject(location, reason);
                if (firstRejected == null) {
                    firstRejected = location + ": " + reason;
                }
                continue;
            }
            collector.add(location, new Indicator(detected.type(), detected.value(), provenance));
        }
        int indicators = collector.entries() - collector.rejectedCount();
        if (collector.entries() > 0 && indicators * 2 < collector.entries()) {
            return IndicatorImport.problem(source, IntelFormat.PLAIN, "not a list of indicators: " + indicators
                    + " of " + collector.entries() + " lines hold one (" + firstRejected + ")");
        }
        if (collector.entries() == 0) {
            return IndicatorImport.problem(source, IntelFormat.PLAIN, "no indicators: the file holds only blank lines"
                    + " and comments");
        }
        return collector.build();
    }

    private static String stripComment(String line) {
        if (line.startsWith("#")) {
            return "";
        }
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '#' && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
