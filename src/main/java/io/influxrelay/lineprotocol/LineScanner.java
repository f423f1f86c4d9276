package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a line-protocol body into lines, checks each the way InfluxDB 1.6 would, and writes the valid ones
 * out once, stamping those without a timestamp. Invalid lines are dropped and described like influxd does.
 *
 * <p>Lines split where Go's models.scanLine splits them: at a '\n' that is neither escaped nor inside a
 * quoted field value. Unlike influxd 1.6, a '\r' ending a line is dropped (influxd would reject the line).
 * Blank lines and '#' comments are skipped and not counted.
 *
 * <p>The output is a slice of the input while every valid line can be forwarded byte for byte and the
 * valid lines are contiguous; only the first line that needs rewriting (a stamp, a CR, leading blanks, a
 * dropped line between valid ones) makes the scan copy into a new array. A body whose last line lacks its
 * '\n' (clients often send it so) is copied once, exactly, with the '\n' added at the end.
 *
 * <p>A scan that hands its lines to a router (a shard splitter) builds no output of its own: the router
 * makes the bodies that are sent.
 */
public final class LineScanner {
    private static final byte[] EMPTY = new byte[0];
    /** Bytes scanLine must look at; everything else is skipped in a tight loop. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        Arrays.fill(PLAIN, true);
        for (char c : new char[] {'\\', '\n', ' ', '=', ',', '"'}) {
            PLAIN[c] = false;
        }
    }

    private final byte[] body;
    private final int start;
    private final int end;
    private final byte[] stamp;
    private final PointSyntax syntax;

    private int sliceFrom = -1;
    private int sliceTo = -1;
    private ByteSink out;
    private int validLines;
    private int invalidLines;
    private final long now;
    /** Hears every valid line as it is kept, or null. */
    private ValidLines router;
    /** The slice ends with the body's last line, whose '\n' the result must add. */
    private boolean sliceUnterminated;
    /** The range of the valid lines' timestamps (stamped ones count as now): what a backend misses if it misses them. */
    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;
    private StringBuilder errors;
    /** Whether the line scanLine last returned holds a '"' or a '\\'; if not, no rewrite can change where it ends. */
    private boolean lineHasQuoteOrEscape;
    /** Whether that line ran to the end of the body inside a quoted value. */
    private boolean lineEndsQuoted;

    private LineScanner(byte[] body, int offset, int length, long nowInPrecision, PointSyntax syntax) {
        this.body = body;
        this.start = offset;
        this.end = offset + length;
        this.stamp = (" " + nowInPrecision).getBytes(StandardCharsets.US_ASCII);
        this.now = nowInPrecision;
        this.syntax = syntax;
    }

    /**
     * Scans with nanosecond timestamps and without unsigned integers, as influxd 1.6 does by default. Callers
     * that know the request's precision should pass it: it decides which timestamps are out of range.
     */
    public static ScanResult scan(byte[] body, int offset, int length, long nowInPrecision) {
        return scan(body, offset, length, nowInPrecision, Precision.NANOSECONDS, false);
    }

    /** Scans with timestamps in the given precision, which decides the range they must fit. */
    public static ScanResult scan(byte[] body, int offset, int length, long nowInPrecision, Precision precision) {
        return scan(body, offset, length, nowInPrecision, precision, false);
    }

    /**
     * Scans body[offset, offset+length). {@code nowInPrecision} is stamped on valid lines that have no timestamp.
     * {@code unsignedIntegers} accepts {@code 123u} field values, which influxd 1.6 rejects. Never throws on any
     * content; the input array is never modified.
     *
     * @throws IndexOutOfBoundsException if the range lies outside {@code body}
     */
    public static ScanResult scan(byte[] body, int offset, int length, long nowInPrecision, Precision precision,
                                  boolean unsignedIntegers) {
        Objects.checkFromIndexSize(offset, length, body.length);
        LineScanner scanner = new LineScanner(body, offset, length, nowInPrecision,
                new PointSyntax(precision, unsignedIntegers));
        scanner.scanLines();
        return scanner.result();
    }

    /**
     * Scans as above, handing every valid line, as it will be forwarded, to {@code router} (a shard splitter),
     * which builds the bodies: the result counts the lines and holds no body.
     */
    public static ScanResult scan(byte[] body, int offset, int length, long nowInPrecision, Precision precision,
                                  ValidLines router) {
        Objects.checkFromIndexSize(offset, length, body.length);
        LineScanner scanner = new LineScanner(body, offset, length, nowInPrecision, new PointSyntax(precision, false));
        scanner.router = router;
        scanner.scanLines();
        return scanner.result();
    }

    private void scanLines() {
        int pos = start;
        while (pos < end) {
            int lineStart = pos;
            int lineEnd = scanLine(pos);
            pos = lineEnd + 1;
            boolean terminated = lineEnd < end;
            if (lineEnd == lineStart) {
                continue;
            }
            int to = lineEnd;
            boolean carriageReturn = body[to - 1] == '\r';
            if (carriageReturn) {
                to--;
            }
            int from = PointSyntax.skipWhitespace(body, lineStart, to);
            if (from >= to || body[from] == '#') {
                continue;
            }
            if (body[to - 1] == '\n') {
                to--; // an escaped newline ends the block: Go strips it too
            }
            if (!syntax.check(body, from, to)) {
                reject(from, to, syntax.reason);
            } else if (from == lineStart && to == lineEnd && !carriageReturn && syntax.timestampEnd >= 0
                    && (terminated || extendsSlice(lineStart))) {
                keep(lineStart, terminated ? lineEnd + 1 : lineEnd);
                sliceUnterminated = !terminated;
            } else {
                rewrite(lineStart, lineEnd, from, to);
            }
        }
    }

    /**
     * Returns the index of the '\n' ending the line that starts at i, or the end of the body. Most lines hold
     * no quote and no backslash: their end is simply the first '\n', found eight bytes at a time.
     */
    private int scanLine(int i) {
        int stop = ByteSearch.newlineQuoteOrBackslash(body, i, end);
        lineEndsQuoted = false;
        if (stop == end || body[stop] == '\n') {
            lineHasQuoteOrEscape = false;
            return stop;
        }
        lineHasQuoteOrEscape = true;
        return scanQuotedLine(i);
    }

    /**
     * Go's models.scanLine from i, for lines with quotes or escapes. It tracks quotes only after the first
     * space, and counts '=' and ',' to know whether a quote opens a field value.
     */
    private int scanQuotedLine(int i) {
        boolean quoted = false;
        boolean fields = false;
        int equals = 0;
        int commas = 0;
        while (true) {
            while (i < end && PLAIN[body[i] & 0xff]) {
                i++;
            }
            if (i >= end) {
                lineEndsQuoted = quoted;
                return end; // an escape at the very end may have stepped past it
            }
            switch (body[i]) {
                case '\\':
                    i += 2;
                    continue;
                case '\n':
                    if (!quoted) {
                        return i;
                    }
                    break;
                case ' ':
                    fields = true;
                    break;
                case '=':
                    if (fields && !quoted) {
                        equals++;
                    }
                    break;
                case ',':
                    if (fields && !quoted) {
                        commas++;
                    }
                    break;
                default: // '"'
                    if (fields && equals > commas) {
                        quoted = !quoted;
                    }
                    break;
            }
            i++;
        }
    }

    /**
     * Whether influxd, scanning lines from {@code from}, would end a line exactly at {@code keepTo} if a '\n'
     * (or " stamp\n") followed: no unquoted '\n' before it, no quote left open, no escape reaching past it.
     * The line was checked in b[from, to); scanLine ran over b[lineStart, lineEnd).
     */
    private boolean endsCleanlyAt(int lineStart, int from, int keepTo, int to, int lineEnd) {
        if (!lineHasQuoteOrEscape) {
            return true; // nothing in the line can open a quote or escape a byte
        }
        if (from == lineStart && !lineEndsQuoted && body[keepTo - 1] != '\\'
                && PointSyntax.skipWhitespace(body, keepTo, to) == to && (to == lineEnd || body[to] == '\r')) {
            // scanLine's state at keepTo is its unquoted state at the line's end: only blanks lie between
            return true;
        }
        boolean quoted = false;
        boolean fields = false;
        int equals = 0;
        int commas = 0;
        int i = from;
        while (i < keepTo) {
            byte c = body[i];
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == ' ') {
                fields = true;
            }
            if (fields && !quoted && c == '=') {
                equals++;
            } else if (fields && !quoted && c == ',') {
                commas++;
            } else if (fields && c == '"' && equals > commas) {
                quoted = !quoted;
            } else if (c == '\n' && !quoted) {
                return false;
            }
            i++;
        }
        return i == keepTo && !quoted;
    }

    /**
     * Whether the body's last line, valid as it stands but for its missing '\n', can end the slice: the
     * result then copies the slice once with the '\n' added. Otherwise it is rewritten like any other.
     */
    private boolean extendsSlice(int lineStart) {
        return router == null && out == null && !lineEndsQuoted && (sliceFrom < 0 || sliceTo == lineStart);
    }

    /** A valid line forwarded byte for byte, terminator included (but for the last line, see extendsSlice). */
    private void keep(int from, int to) {
        validLines++;
        timeOfValidLine(syntax.timestamp);
        if (router != null) {
            router.line(body, from, syntax.measurementEnd, to);
            return; // the router builds the bodies
        }
        if (out != null) {
            out.append(body, from, to - from);
        } else if (sliceFrom < 0) {
            sliceFrom = from;
            sliceTo = to;
        } else if (sliceTo == from) {
            sliceTo = to;
        } else {
            copyMode().append(body, from, to - from);
        }
    }

    /** A valid line that needs changes: leading blanks, CR, or trailing blanks dropped, a stamp added. */
    private void rewrite(int lineStart, int lineEnd, int from, int to) {
        boolean stamped = syntax.timestampEnd < 0;
        int keepTo = stamped ? syntax.fieldsEnd : syntax.timestampEnd;
        if (stamped && syntax.danglingBackslash || !endsCleanlyAt(lineStart, from, keepTo, to, lineEnd)) {
            // influxd takes such a line, but it cannot be cut or stamped without changing its meaning
            reject(from, to, "cannot be re-serialized unambiguously");
            return;
        }
        validLines++;
        timeOfValidLine(stamped ? now : syntax.timestamp);
        ByteSink sink = router != null ? rewritten() : copyMode();
        int at = sink.size();
        sink.append(body, from, keepTo - from);
        if (stamped) {
            sink.append(stamp, 0, stamp.length);
        }
        sink.append((byte) '\n');
        if (router != null) {
            router.line(sink.array(), at, at + syntax.measurementEnd - from, sink.size());
        }
    }

    /** With a router: the rewritten lines only, which the router may keep referring to (never overwritten). */
    private ByteSink rewritten() {
        if (out == null) {
            out = new ByteSink(256);
        }
        return out;
    }

    private ByteSink copyMode() {
        if (out == null) {
            int length = end - (sliceFrom < 0 ? start : sliceFrom);
            out = new ByteSink(length + (length >> 2) + stamp.length + 1);
            if (sliceFrom >= 0) {
                out.append(body, sliceFrom, sliceTo - sliceFrom);
            }
        }
        return out;
    }

    private void reject(int from, int to, String reason) {
        invalidLines++;
        if (errors == null) {
            errors = new StringBuilder(128);
        } else {
            errors.append('\n');
        }
        errors.append("unable to parse '")
                .append(new String(body, from, to - from, StandardCharsets.UTF_8))
                .append("': ")
                .append(reason);
    }

    private void timeOfValidLine(long time) {
        minTime = Math.min(minTime, time);
        maxTime = Math.max(maxTime, time);
    }

    private ScanResult result() {
        String errorText = errors == null ? null : errors.toString();
        if (router != null) {
            return new ScanResult(EMPTY, 0, 0, validLines, invalidLines, errorText, minTime, maxTime);
        }
        if (sliceUnterminated) {
            byte[] lines = Arrays.copyOfRange(body, sliceFrom, sliceTo + 1);
            lines[lines.length - 1] = '\n';
            return new ScanResult(lines, 0, lines.length, validLines, invalidLines, errorText, minTime, maxTime);
        }
        if (out != null) {
            return new ScanResult(out.array(), 0, out.size(), validLines, invalidLines, errorText, minTime, maxTime);
        }
        if (sliceFrom >= 0) {
            return new ScanResult(body, sliceFrom, sliceTo - sliceFrom, validLines, invalidLines, errorText, minTime, maxTime);
        }
        return new ScanResult(EMPTY, 0, 0, validLines, invalidLines, errorText, minTime, maxTime);
    }
}
