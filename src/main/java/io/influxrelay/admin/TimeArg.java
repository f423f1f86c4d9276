package io.influxrelay.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The times an operator types, as the nanoseconds since the epoch the relay takes: RFC3339
 * (2026-11-30T00:00:00.5Z, any offset), a date (midnight UTC), now, now-2h or -2h (several parts,
 * now-1h30m; units ns us ms s m h d w), or an integer of nanoseconds.
 */
final class TimeArg {
    private static final Pattern RELATIVE = Pattern.compile("(?:now)?(?:([+-])((?:\\d+(?:ns|us|ms|s|m|h|d|w))+))?");
    private static final Pattern PART = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d|w)");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NANOS = Pattern.compile("-?\\d+");

    private TimeArg() {
    }

    static long parse(String option, String text, Instant now) {
        String t = text.trim();
        try {
            if (NANOS.matcher(t).matches()) {
                return Long.parseLong(t);
            }
            if (DATE.matcher(t).matches()) {
                return nanos(LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            if (t.length() > 10 && (t.charAt(10) == 'T' || t.charAt(10) == 't')) {
                // RFC3339 allows a lower-case t and z; java.time only the upper case
                return nanos(OffsetDateTime.parse(t.toUpperCase(java.util.Locale.ROOT)).toInstant());
            }
            Matcher m = RELATIVE.matcher(t);
            // "now" alone, or an offset from it; an empty text matches the pattern but is no time
            if (!t.isEmpty() && m.matches()) {
                long offset = m.group(2) == null ? 0 : durationNanos(m.group(2));
                return Math.addExact(nanos(now), "-".equals(m.group(1)) ? -offset : offset);
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // the message below says what is accepted
        }
        throw new UsageException(option + " '" + text + "' is not a time (examples: 2026-11-30T10:00:00Z, "
                + "2026-11-30, now, now-2h, -30m, 1764496800000000000)");
    }

    /** A Go-style duration of whole units (1h, 90m, 1h30m), in nanoseconds. */
    static long durationNanos(String text) {
        Matcher m = PART.matcher(text);
        long total = 0;
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> 604_800_000_000_000L; // w
            };
            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
        }
        return total;
    }

    static boolean isDuration(String text) {
        try {
            return text.matches("(?:\\d+(?:ns|us|ms|s|m|h|d|w))+") && durationNanos(text) > 0;
        } catch (ArithmeticException | NumberFormatException e) {
            return false;
        }
    }

    static long nanos(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }

    /** Back to RFC3339 for messages: whole seconds print without a fraction. */
    static String format(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)).toString();
    }
}
