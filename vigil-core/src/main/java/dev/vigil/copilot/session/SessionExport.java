package dev.vigil.copilot.session;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.Answer;
import dev.vigil.copilot.Chart;
import dev.vigil.copilot.Clarification;
import dev.vigil.copilot.Evidence;
import dev.vigil.copilot.ExecutedQuery;
import dev.vigil.copilot.Table;
import dev.vigil.model.ErrorCode;
import dev.vigil.model.VigilException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A session written out for people and for other tools.
 *
 * <p>The Markdown form is a report of the investigation: the session's name and owner, the pin board, then each
 * turn with its prompt quoted, the answer's Markdown (its headings moved two levels down, under the turn's), its
 * tables as GitHub tables, its queries in fenced blocks of their language ({@code kql}, {@code sql}), the evidence
 * behind each claim and the suggested follow-ups. Times are UTC.
 *
 * <p>The JSON form is {@link SessionJson#write}: everything, and it reads back into an equal session.
 */
public final class SessionExport {
    /** The forms a session exports to. */
    public enum Format {
        MARKDOWN,
        JSON;

        /**
         * The format named {@code markdown} (or {@code md}) or {@code json}, in any case.
         *
         * @throws VigilException {@link ErrorCode#USAGE} for another name
         */
        public static Format parse(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "markdown", "md" -> MARKDOWN;
                case "json" -> JSON;
                default -> throw new VigilException(ErrorCode.USAGE, "unknown session export format '" + name
                        + "'", "Use markdown or json.", null);
            };
        }

        /** The usual file extension, without the dot. */
        public String extension() {
            return this == MARKDOWN ? "md" : "json";
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private SessionExport() {}

    /** The session in the format. */
    public static String render(Session session, Format format) {
        requireNonNull(session, "session is null");
        requireNonNull(format, "format is null");
        return switch (format) {
            case MARKDOWN -> markdown(session);
            case JSON -> SessionJson.write(session);
        };
    }

    /** The session as a Markdown report; see the class description. */
    public static String markdown(Session session) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(inline(session.name())).append("\n\n");
        out.append("Session ").append(session.id()).append(" of ").append(inline(session.owner()))
                .append(session.shared() ? ", shared within the tenant" : ", private").append(". Created ")
                .append(time(session.created())).append(", updated ").append(time(session.updated())).append("; ")
                .append(count(session.turns().size(), "turn")).append(".\n\n");
        if (!session.pins().isEmpty()) {
            out.append("## Pin board\n\n");
            for (Pin pin : session.pins()) {
                out.append("- Turn ").append(pin.turn());
                session.turn(pin.turn()).ifPresent(t -> out.append(" (").append(inline(firstLine(t.prompt())))
                        .append(')'));
                out.append(pin.note().isBlank() ? "" : ": " + inline(pin.note())).append(" (pinned by ")
                        .append(inline(pin.by())).append(", ").append(time(pin.at())).append(")\n");
            }
            out.append('\n');
        }
        for (Turn turn : session.turns()) {
            out.append("## Turn ").append(turn.number()).append("\n\n");
            out.append(quote(turn.prompt())).append("\n\n");
            Optional<Pin> pin = session.pinOf(turn.number());
            out.append('_').append(time(turn.at()));
            pin.ifPresent(p -> out.append(" · pinned").append(p.note().isBlank() ? "" : ": " + inline(p.note())));
            out.append("_\n\n");
            answer(out, turn.answer());
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static void answer(StringBuilder out, Answer answer) {
        if (!answer.markdown().isBlank()) {
            out.append(demoteHeadings(answer.markdown().strip())).append("\n\n");
        }
        Optional<Clarification> clarification = answer.plan().clarification();
        clarification.ifPresent(c -> {
            for (Clarification.Option option : c.options()) {
                out.append("- ").append(inline(option.label())).append(": ").append(code(option.prompt()))
                        .append('\n');
            }
            out.append('\n');
        });
        for (Table table : answer.tables()) {
            table(out, table);
        }
        for (Chart chart : answer.charts()) {
            out.append("Chart (").append(chart.kind().name().toLowerCase(Locale.ROOT)).append("): ")
                    .append(inline(chart.title())).append(", ").append(count(chart.series().size(), "series"))
                    .append(" over ").append(count(chart.labels().size(), "label")).append(".\n\n");
        }
        if (!answer.queries().isEmpty()) {
            out.append("**Queries**\n\n");
            int n = 1;
            for (ExecutedQuery query : answer.queries()) {
                out.append(n++).append(". ").append(count(query.rows(), "row")).append(" in ").append(query.millis())
                        .append(" ms:\n\n");
                String fence = fence(query.text());
                out.append(fence).append(query.language().toLowerCase(Locale.ROOT)).append('\n')
                        .append(query.text().strip()).append('\n').append(fence).append("\n\n");
            }
        }
        if (!answer.evidence().isEmpty()) {
            out.append("**Evidence**\n\n");
            for (Evidence evidence : answer.evidence()) {
                out.append("- ").append(inline(evidence.claim())).append(": ")
                        .append(evidence.refs().stream().map(SessionExport::code).collect(Collectors.joining(", ")))
                        .append('\n');
            }
            out.append('\n');
        }
        if (!answer.followUps().isEmpty()) {
            out.append("**Follow-ups**\n\n");
            answer.followUps().forEach(f -> out.append("- ").append(inline(f)).append('\n'));
            out.append('\n');
        }
    }

    private static void table(StringBuilder out, Table table) {
        out.append("**").append(inline(table.title())).append("**");
        if (table.columns().isEmpty()) {
            out.append("\n\n");
            return;
        }
        out.append("\n\n| ").append(table.columns().stream().map(SessionExport::cell).collect(Collectors.joining(" | ")))
                .append(" |\n|").append(" --- |".repeat(table.columns().size())).append('\n');
        for (List<Object> row : table.rows()) {
            out.append("| ").append(row.stream().map(SessionExport::cell).collect(Collectors.joining(" | ")))
                    .append(" |\n");
        }
        if (table.isEmpty()) {
            out.append("\n_No rows._\n");
        }
        out.append('\n');
    }

    /** A table cell: one line, with the pipes that would end the cell escaped. */
    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        return String.valueOf(value).replace("\\", "\\\\").replace("|", "\\|").replaceAll("\\R", " ").strip();
    }

    /** The text as a block quote, line by line. */
    private static String quote(String text) {
        return text.strip().lines().map(line -> line.isBlank() ? ">" : "> " + line).collect(Collectors.joining("\n"));
    }

    /** Text that must stay on one line. */
    private static String inline(String text) {
        return text.replaceAll("\\R", " ").strip();
    }

    private static String code(String text) {
        String flat = inline(text);
        String ticks = flat.contains("`") ? "``" : "`";
        return ticks + (ticks.length() > 1 ? " " + flat + " " : flat) + ticks;
    }

    /** A fence longer than any run of backticks inside the text. */
    private static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** Moves ATX headings two levels down (at most to level 6), outside fenced code. */
    private static String demoteHeadings(String markdown) {
        StringBuilder out = new StringBuilder();
        String openFence = null;
        for (String line : markdown.lines().toList()) {
            String trimmed = line.stripLeading();
            if (openFence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                openFence = trimmed.substring(0, 3);
            } else if (openFence != null && trimmed.startsWith(openFence)) {
                openFence = null;
            } else if (openFence == null && trimmed.matches("#{1,6}(\\s.*)?")) {
                int level = trimmed.indexOf(' ') < 0 ? trimmed.length() : trimmed.indexOf(' ');
                line = "#".repeat(Math.min(6, level + 2)) + trimmed.substring(level);
            }
            out.append(line).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 79) + "…" : line;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 || noun.endsWith("s") ? "" : "s");
    }

    private static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
