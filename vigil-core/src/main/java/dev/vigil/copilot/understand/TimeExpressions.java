package dev.vigil.copilot.understand;

import static java.util.Objects.requireNonNull;

import dev.vigil.copilot.TimeRange;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time range a question asks about ("failed logons in the last 24 hours", "what ran on WS5 yesterday
 * between 2 and 4 pm") and resolves it against a given now and time zone, so the same words always give the same
 * range in a test and the analyst's own calendar days in production.
 *
 * <h2>What is understood</h2>
 * <ul>
 *   <li><b>Rolling</b>, ending now: "last 24 hours", "past 7 days", "in the last hour", "last 30 minutes", "the
 *       past week", "last 3 months", "last few days" (3), "last couple of hours" (2), and shorthand "24h", "7d",
 *       "90m", "2w". A bare shorthand after "for", "than", "every", "each" or "after" ("ran for 3h") is a duration,
 *       not a range.
 *   <li><b>Calendar periods</b>: "today" (midnight until now), "yesterday", "this week" (weeks start on Monday),
 *       "last week" (the whole previous week; "the past week" is the last seven days), "this month", "last month",
 *       "this year", "last year".
 *   <li><b>Since</b>, ending now: "since Monday" (the most recent Monday at midnight, today if today is Monday),
 *       "since yesterday", "since 2026-11-20", "since Nov 20", "since 14:00", "since 2pm".
 *   <li><b>Days</b>: "on 2026-11-20", "on Nov 20", "on 20 November 2026", a bare ISO date, "on Monday", "last
 *       Monday" (never today). A month and day without a year is the most recent such day, this year or last.
 *       "May" is read as a month only after a preposition ("on May 2"), as it is more often a verb.
 *   <li><b>Day ranges</b>, whole days: "from Nov 20 to Nov 22", "between 2026-11-20 and 2026-11-22".
 *   <li><b>Hours</b>: "between 2 and 4 pm", "from 9am to 5pm", "between 14:00 and 16:30", "after 6pm", "before
 *       9:00", on today or on the day named elsewhere in the text ("yesterday between 2 and 4 pm", "on Nov 20 from
 *       10:00 to 11:00"). Plain numbers without a colon or am/pm ("between 2 and 4") are not hours. A range that
 *       ends before it starts crosses midnight ("between 10 pm and 2 am").
 *   <li><b>Parts of days</b>: "over the weekend" (the most recent Saturday at midnight to Monday at midnight; "last
 *       weekend" on a weekend is the one before), "last night" (yesterday 18:00 to today 06:00), "this morning"
 *       (00:00 to 12:00), "this afternoon" (12:00 to 18:00), "this evening" and "tonight" (18:00 to midnight),
 *       "yesterday morning".
 * </ul>
 * A range that contains now ends at now ("today" at 15:30 is midnight to 15:30): there is no data from the future.
 * When the text has several expressions, the first wins, except that hours combine with a day.
 */
public final class TimeExpressions {
    private TimeExpressions() {}

    /**
     * A time range found in a text, and the spans of the text it was read from: one, or two when hours and a day
     * are written apart ("yesterday, between 2 and 4 pm").
     *
     * @param range the resolved range; its text is the spans' text joined by a space
     * @param spans the spans read, in order
     */
    public record Match(TimeRange range, List<Span> spans) {
        public Match {
            requireNonNull(range, "range is null");
            spans = List.copyOf(spans);
            if (spans.isEmpty()) {
                throw new IllegalArgumentException("a match has at least one span");
            }
        }

        /** Where the first span starts. */
        public int start() {
            return spans.getFirst().start();
        }

        /** Where the last span ends. */
        public int end() {
            return spans.getLast().end();
        }
    }

    /** The time range the text asks about, resolved against now in the zone; empty if it names none. */
    public static Optional<TimeRange> parse(String text, Instant now, ZoneId zone) {
        return find(text, now, zone).map(Match::range);
    }

    /** The time range the text asks about and where the text says so; empty if it names none. */
    public static Optional<Match> find(String text, Instant now, ZoneId zone) {
        requireNonNull(text, "text is null");
        requireNonNull(now, "now is null");
        requireNonNull(zone, "zone is null");
        String lower = lowerCase(text);
        Context context = new Context(now, zone, lower);
        List<Part> parts = new ArrayList<>();
        for (Rule rule : RULES) {
            if (!rule.mayMatch(lower)) {
                continue;
            }
            Matcher matcher = rule.pattern().matcher(lower);
            while (matcher.find()) {
                Part part = rule.resolve().apply(matcher, context);
                if (part != null) {
                    parts.add(part);
                }
            }
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        parts.sort(Comparator.comparingInt((Part part) -> part.span().start())
                .thenComparing(part -> part.span().end(), Comparator.reverseOrder()));
        List<Part> chosen = new ArrayList<>();
        int taken = 0;
        for (Part part : parts) {
            if (part.span().start() >= taken) {
                chosen.add(part);
                taken = part.span().end();
            }
        }
        return combine(chosen, context, text);
    }

    private static String lowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(chars[i]);
        }
        return new String(chars);
    }

    // ------------------------------------------------------------------------------------------ what is read

    /** A piece of a time expression, before pieces combine. */
    private sealed interface Part {
        Span span();
    }

    /** An explicit range. */
    private record Period(Span span, Instant from, Instant to) implements Part {}

    /** One calendar day, which hours may narrow. */
    private record Day(Span span, LocalDate date) implements Part {}

    /** Hours of a day not yet known; {@code to} null for "until midnight". */
    private record Clock(Span span, LocalTime from, LocalTime to) implements Part {}

    /**
     * A pattern and how to resolve what it matches. It runs only if the text contains one of its needles: most
     * questions name no time, and a plain search is far cheaper than trying a pattern at every position.
     */
    private record Rule(List<String> needles, Pattern pattern, BiFunction<Matcher, Context, Part> resolve) {
        boolean mayMatch(String lower) {
            for (String needle : needles) {
                if (lower.contains(needle)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final List<String> MONTHS_AND_DIGITS;

    static {
        List<String> needles = new ArrayList<>(DIGITS);
        needles.addAll(List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"));
        MONTHS_AND_DIGITS = List.copyOf(needles);
    }

    /** Now, in the zone, and the text read, in lower case. */
    private record Context(Instant now, ZoneId zone, LocalDate today, String text) {
        Context(Instant now, ZoneId zone, String text) {
            this(now, zone, now.atZone(zone).toLocalDate(), text);
        }

        Instant start(LocalDate date) {
            return date.atStartOfDay(zone).toInstant();
        }

        Instant at(LocalDate date, LocalTime time) {
            return ZonedDateTime.of(date, time, zone).toInstant();
        }

        /** The period, ending at now if it contains now. */
        Period capped(Span span, Instant from, Instant to) {
            return new Period(span, from, now.isAfter(from) && now.isBefore(to) ? now : to);
        }
    }

    private static final String NUMBER = "(\\d{1,4}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|few|couple(?: of)?)";
    private static final String UNIT = "(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w"
            + "|months?|mos?|years?|yrs?|y)";
    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
            + "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
    private static final String WEEKDAY = "(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
            + "|fri(?:day)?|sat(?:urday)?|sun(?:day)?)";
    private static final String DATE = "(?:\\d{4}-\\d{1,2}-\\d{1,2}|" + MONTH + "\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?"
            + "(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?" + MONTH + "\\.?(?:,?\\s+\\d{4})?)(?![\\w-])";
    private static final String TIME = "(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm|a\\.m\\.|p\\.m\\.)?";

    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern MONTH_DAY = Pattern.compile("(" + MONTH + ")\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?"
            + "(?:,?\\s+(\\d{4}))?");
    private static final Pattern DAY_MONTH = Pattern.compile("(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(" + MONTH
            + ")\\.?(?:,?\\s+(\\d{4}))?");

    private static final Set<String> DURATION_WORDS = Set.of("for", "than", "every", "each", "after", "lasting",
            "took", "takes", "longer", "shorter");

    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
            Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
            Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
            Map.entry("thirteen", 13), Map.entry("fourteen", 14), Map.entry("fifteen", 15),
            Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
            Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("few", 3), Map.entry("couple", 2),
            Map.entry("couple of", 2));

    private static Pattern pattern(String regex) {
        return Pattern.compile("(?<![\\w-])" + regex);
    }

    private static final List<Rule> RULES = List.of(
            new Rule(List.of("last", "past", "previous", "prior"),
                    pattern("(?:(in|during|over|within|for)\\s+)?(?:(the)\\s+)?(last|past|previous|prior)\\s+(?:"
                    + NUMBER + "\\s*)?" + UNIT + "(?![\\w-])"), TimeExpressions::last),
            new Rule(DIGITS, pattern("(\\d{1,4})(s|m|mins?|h|hrs?|d|w)(?![\\w.:/\\\\-])"), TimeExpressions::shorthand),
            new Rule(List.of("today", "yesterday"), pattern("(today|yesterday)(?![\\w-])"), (m, c) -> new Day(span(m),
                    m.group(1).equals("today") ? c.today() : c.today().minusDays(1))),
            new Rule(List.of("this"), pattern("this\\s+(week|month|year)(?![\\w-])"), (m, c) -> {
                LocalDate start = periodStart(c.today(), m.group(1));
                return new Period(span(m), c.start(start), c.now());
            }),
            new Rule(List.of("weekend"),
                    pattern("(?:(?:over|during|on|in)\\s+)?(the|this|last|past)\\s+weekend(?![\\w-])"),
                    TimeExpressions::weekend),
            new Rule(List.of("night"), pattern("last\\s+night(?![\\w-])"), (m, c) -> c.capped(span(m),
                    c.at(c.today().minusDays(1), LocalTime.of(18, 0)), c.at(c.today(), LocalTime.of(6, 0)))),
            new Rule(List.of("morning", "afternoon", "evening", "tonight"),
                    pattern("(this|today|yesterday)\\s+(morning|afternoon|evening)(?![\\w-])|tonight(?![\\w-])"),
                    TimeExpressions::partOfDay),
            new Rule(List.of("since"),
                    pattern("since\\s+(yesterday|today|last\\s+night|this\\s+morning)(?![\\w-])"), (m, c) -> {
                String since = m.group(1);
                LocalDate day = since.equals("today") || since.startsWith("this") ? c.today() : c.today().minusDays(1);
                LocalTime time = since.startsWith("last") ? LocalTime.of(18, 0) : LocalTime.MIDNIGHT;
                return since(m, c, c.at(day, time));
            }),
            new Rule(List.of("since"), pattern("since\\s+(?:last\\s+)?" + WEEKDAY + "(?![\\w-])"),
                    (m, c) -> since(m, c, c.start(mostRecent(c.today(), weekday(m.group(1)), true)))),
            new Rule(List.of("since"), pattern("since\\s+(" + DATE + ")"), (m, c) -> {
                LocalDate date = date(m.group(1), c.today());
                return date == null ? null : since(m, c, c.start(date));
            }),
            new Rule(List.of("since"), pattern("since\\s+" + TIME + "(?![\\w-])"), (m, c) -> {
                LocalTime time = clock(m.group(1), m.group(2), m.group(3));
                return time == null || (m.group(2) == null && m.group(3) == null) ? null
                        : since(m, c, c.at(c.today(), time));
            }),
            new Rule(List.of("on", "last"),
                    pattern("(on|last)\\s+" + WEEKDAY + "(?![\\w-])"), (m, c) -> new Day(span(m),
                    mostRecent(c.today(), weekday(m.group(2)), m.group(1).equals("on")))),
            new Rule(MONTHS_AND_DIGITS, pattern("(?:(on|from|in)\\s+)?(" + DATE + ")"), (m, c) -> {
                if (m.group(1) == null && m.group(2).startsWith("may")) {
                    return null;
                }
                LocalDate date = date(m.group(2), c.today());
                return date == null ? null : new Day(span(m), date);
            }),
            new Rule(List.of("from", "between"),
                    pattern("(?:from|between)\\s+(" + DATE + ")\\s*(?:to|until|till|through|thru|and|-)\\s*("
                    + DATE + ")"), (m, c) -> {
                        LocalDate from = date(m.group(1), c.today());
                        LocalDate to = from == null ? null : date(m.group(2), c.today());
                        if (to == null) {
                            return null;
                        }
                        while (to.isBefore(from)) {
                            to = to.plusYears(1); // "from Dec 30 to Jan 2"
                        }
                        return new Period(span(m), c.start(from), c.start(to.plusDays(1)));
                    }),
            new Rule(List.of("from", "between"),
                    pattern("(?:between|from)\\s+" + TIME + "\\s*(?:and|to|until|till|-)\\s*" + TIME
                    + "(?![\\w-])"), TimeExpressions::hours),
            new Rule(List.of("after", "before"), pattern("(after|before)\\s+" + TIME + "(?![\\w-])"), (m, c) -> {
                if (m.group(3) == null && m.group(4) == null) {
                    return null;
                }
                LocalTime time = clock(m.group(2), m.group(3), m.group(4));
                if (time == null) {
                    return null;
                }
                return m.group(1).equals("after") ? new Clock(span(m), time, null)
                        : new Clock(span(m), LocalTime.MIDNIGHT, time);
            }));

    private static Span span(Matcher matcher) {
        return new Span(matcher.start(), matcher.end());
    }

    private static Part since(Matcher matcher, Context context, Instant from) {
        return from.isBefore(context.now()) ? new Period(span(matcher), from, context.now()) : null;
    }

    /** "last 24 hours", "past week", "in the last hour"; "last week" alone is the previous calendar week. */
    private static Part last(Matcher m, Context c) {
        String number = m.group(4);
        String unit = m.group(5);
        ChronoUnit chronoUnit = unit(unit);
        if (chronoUnit == null || (number == null && unit.length() <= 2 && !unit.equals("mo"))) {
            return null; // "the last s" is no time
        }
        boolean calendar = number == null && m.group(1) == null && m.group(2) == null
                && (m.group(3).equals("last") || m.group(3).equals("previous"))
                && (chronoUnit == ChronoUnit.WEEKS || chronoUnit == ChronoUnit.MONTHS
                        || chronoUnit == ChronoUnit.YEARS);
        if (calendar) {
            String name = chronoUnit == ChronoUnit.WEEKS ? "week" : chronoUnit == ChronoUnit.MONTHS ? "month" : "year";
            LocalDate thisPeriod = periodStart(c.today(), name);
            LocalDate previous = thisPeriod.minus(1, chronoUnit);
            return new Period(span(m), c.start(previous), c.start(thisPeriod));
        }
        int count = number == null ? 1 : count(number);
        return count <= 0 ? null : rolling(m, c, count, chronoUnit);
    }

    private static Part shorthand(Matcher m, Context c) {
        String before = wordBefore(c.text(), m.start());
        if (DURATION_WORDS.contains(before)) {
            return null;
        }
        int count = Integer.parseInt(m.group(1));
        ChronoUnit unit = unit(m.group(2));
        return count <= 0 || unit == null ? null : rolling(m, c, count, unit);
    }

    /** The word before an offset, or "" at the start. */
    private static String wordBefore(String text, int at) {
        int end = at;
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
            start--;
        }
        return text.substring(start, end);
    }

    private static Part rolling(Matcher m, Context c, int count, ChronoUnit unit) {
        ZonedDateTime now = c.now().atZone(c.zone());
        ZonedDateTime from = switch (unit) {
            case MONTHS -> now.minusMonths(count);
            case YEARS -> now.minusYears(count);
            case WEEKS -> now.minusWeeks(count);
            default -> now.minus(count, unit);
        };
        return new Period(span(m), from.toInstant(), c.now());
    }

    private static ChronoUnit unit(String unit) {
        return switch (unit) {
            case "s", "sec", "secs", "second", "seconds" -> ChronoUnit.SECONDS;
            case "m", "min", "mins", "minute", "minutes" -> ChronoUnit.MINUTES;
            case "h", "hr", "hrs", "hour", "hours" -> ChronoUnit.HOURS;
            case "d", "day", "days" -> ChronoUnit.DAYS;
            case "w", "wk", "wks", "week", "weeks" -> ChronoUnit.WEEKS;
            case "mo", "mos", "month", "months" -> ChronoUnit.MONTHS;
            case "y", "yr", "yrs", "year", "years" -> ChronoUnit.YEARS;
            default -> null;
        };
    }

    static int count(String number) {
        Integer word = NUMBER_WORDS.get(number.replaceAll("\\s+", " "));
        return word != null ? word : Integer.parseInt(number);
    }

    private static LocalDate periodStart(LocalDate today, String period) {
        return switch (period) {
            case "week" -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "month" -> today.withDayOfMonth(1);
            default -> today.withDayOfYear(1);
        };
    }

    private static Part weekend(Matcher m, Context c) {
        LocalDate saturday = c.today().with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY));
        boolean onWeekend = c.today().getDayOfWeek() == DayOfWeek.SATURDAY
                || c.today().getDayOfWeek() == DayOfWeek.SUNDAY;
        if (onWeekend && m.group(1).equals("last")) {
            saturday = saturday.minusWeeks(1);
        }
        return c.capped(span(m), c.start(saturday), c.start(saturday.plusDays(2)));
    }

    private static Part partOfDay(Matcher m, Context c) {
        LocalDate day = "yesterday".equals(m.group(1)) ? c.today().minusDays(1) : c.today();
        String part = m.group(2) == null ? "evening" : m.group(2);
        int from = switch (part) {
            case "morning" -> 0;
            case "afternoon" -> 12;
            default -> 18;
        };
        Instant end = from == 18 ? c.start(day.plusDays(1)) : c.at(day, LocalTime.of(from + (from == 0 ? 12 : 6), 0));
        return c.capped(span(m), c.at(day, LocalTime.of(from, 0)), end);
    }

    /** "between 2 and 4 pm": the first hour takes the second's am or pm unless that would put it after it. */
    private static Part hours(Matcher m, Context c) {
        String firstMeridiem = m.group(3);
        String secondMeridiem = m.group(6);
        boolean colon = m.group(2) != null || m.group(5) != null;
        if (!colon && firstMeridiem == null && secondMeridiem == null) {
            return null; // "between 2 and 4" are numbers
        }
        LocalTime to = clock(m.group(4), m.group(5), secondMeridiem);
        LocalTime from = clock(m.group(1), m.group(2), firstMeridiem);
        if (from == null || to == null) {
            return null;
        }
        if (firstMeridiem == null && secondMeridiem != null) {
            LocalTime shared = clock(m.group(1), m.group(2), secondMeridiem);
            if (shared != null && !shared.isAfter(to)) {
                from = shared;
            }
        }
        return new Clock(span(m), from, to);
    }

    /** A time of day from hour, minute and am/pm; null if out of range. */
    private static LocalTime clock(String hour, String minute, String meridiem) {
        int h = Integer.parseInt(hour);
        int min = minute == null ? 0 : Integer.parseInt(minute);
        if (meridiem != null) {
            if (h < 1 || h > 12) {
                return null;
            }
            boolean pm = meridiem.startsWith("p");
            h = h % 12 + (pm ? 12 : 0);
        }
        return h > 23 || min > 59 ? null : LocalTime.of(h, min);
    }

    private static DayOfWeek weekday(String name) {
        return switch (name.substring(0, 3)) {
            case "mon" -> DayOfWeek.MONDAY;
            case "tue" -> DayOfWeek.TUESDAY;
            case "wed" -> DayOfWeek.WEDNESDAY;
            case "thu" -> DayOfWeek.THURSDAY;
            case "fri" -> DayOfWeek.FRIDAY;
            case "sat" -> DayOfWeek.SATURDAY;
            default -> DayOfWeek.SUNDAY;
        };
    }

    private static LocalDate mostRecent(LocalDate today, DayOfWeek day, boolean includingToday) {
        LocalDate date = includingToday ? today : today.minusDays(1);
        return date.with(TemporalAdjusters.previousOrSame(day));
    }

    /** A date as written; without a year, the most recent such day up to today. Null if no such date. */
    private static LocalDate date(String text, LocalDate today) {
        try {
            Matcher iso = ISO_DATE.matcher(text);
            if (iso.matches()) {
                return LocalDate.of(Integer.parseInt(iso.group(1)), Integer.parseInt(iso.group(2)),
                        Integer.parseInt(iso.group(3)));
            }
            Matcher monthDay = MONTH_DAY.matcher(text);
            if (monthDay.matches()) {
                return withYear(month(monthDay.group(1)), Integer.parseInt(monthDay.group(2)), monthDay.group(3),
                        today);
            }
            Matcher dayMonth = DAY_MONTH.matcher(text);
            if (dayMonth.matches()) {
                return withYear(month(dayMonth.group(2)), Integer.parseInt(dayMonth.group(1)), dayMonth.group(3),
                        today);
            }
        } catch (DateTimeException e) {
            return null; // "Feb 30"
        }
        return null;
    }

    private static LocalDate withYear(int month, int day, String year, LocalDate today) {
        if (year != null) {
            return LocalDate.of(Integer.parseInt(year), month, day);
        }
        LocalDate date = LocalDate.of(today.getYear(), month, day);
        return date.isAfter(today) ? LocalDate.of(today.getYear() - 1, month, day) : date;
    }

    private static int month(String name) {
        return switch (name.substring(0, 3)) {
            case "jan" -> 1;
            case "feb" -> 2;
            case "mar" -> 3;
            case "apr" -> 4;
            case "may" -> 5;
            case "jun" -> 6;
            case "jul" -> 7;
            case "aug" -> 8;
            case "sep" -> 9;
            case "oct" -> 10;
            case "nov" -> 11;
            default -> 12;
        };
    }

    // ---------------------------------------------------------------------------------------- combining parts

    private static Optional<Match> combine(List<Part> parts, Context c, String text) {
        Clock clock = null;
        Part main = null;
        for (Part part : parts) {
            if (part instanceof Clock hours) {
                clock = clock == null ? hours : clock;
            } else if (main == null) {
                main = part;
            }
        }
        List<Span> spans = new ArrayList<>();
        Instant from;
        Instant to;
        if (clock != null) {
            LocalDate day = c.today();
            if (main instanceof Day named) {
                day = named.date();
                spans.add(named.span());
            }
            spans.add(clock.span());
            from = c.at(day, clock.from());
            to = clock.to() == null ? c.start(day.plusDays(1)) : c.at(day, clock.to());
            if (!to.isAfter(from)) {
                to = c.at(day.plusDays(1), clock.to()); // "between 10 pm and 2 am"
            }
        } else {
            spans.add(main.span());
            switch (main) {
                case Period period -> {
                    from = period.from();
                    to = period.to();
                }
                case Day day -> {
                    Period whole = c.capped(day.span(), c.start(day.date()), c.start(day.date().plusDays(1)));
                    from = whole.from();
                    to = whole.to();
                }
                case Clock unreachable -> throw new IllegalStateException("hours are handled above");
            }
        }
        spans.sort(Comparator.comparingInt(Span::start));
        if (!from.isBefore(to)) {
            return Optional.empty();
        }
        StringBuilder written = new StringBuilder();
        for (Span span : spans) {
            written.append(written.isEmpty() ? "" : " ").append(span.of(text));
        }
        return Optional.of(new Match(new TimeRange(from, to, written.toString()), spans));
    }
}
