package io.influxrelay.lineprotocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LineScannerPropertyTest {
    private static final long NOW = -42; // a negative stamp is still a valid timestamp
    private static final long MIN_TIME = Long.MIN_VALUE + 2;
    private static final long MAX_TIME = Long.MAX_VALUE - 1;

    /** One point, serialized with the escaping rules of line protocol. */
    record Point(String measurement, Map<String, String> tags, List<String> fields, Optional<Long> timestamp,
                 String leadingBlanks) {
        String line() {
            StringBuilder line = new StringBuilder(leadingBlanks).append(measurement);
            tags.forEach((key, value) -> line.append(',').append(key).append('=').append(value));
            line.append(' ').append(String.join(",", fields));
            timestamp.ifPresent(ts -> line.append(' ').append(ts));
            return line.toString();
        }

        String forwarded() {
            String line = line().substring(leadingBlanks.length());
            return line + (timestamp.isPresent() ? "" : " " + NOW) + "\n";
        }
    }

    @Property(tries = 300)
    void validPointsComeBackLineForLine(@ForAll("points") List<Point> points, @ForAll("separators") List<String> separators,
                                        @ForAll boolean finalNewline) {
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            if (i > 0) {
                body.append(separators.get(i % separators.size()));
            }
            body.append(points.get(i).line());
            expected.append(points.get(i).forwarded());
        }
        if (finalNewline) {
            body.append('\n');
        }
        ScanResult result = scan(body.toString());
        assertThat(result.errors()).isNull();
        assertThat(result.validLines()).isEqualTo(points.size());
        assertThat(result.bodyAsString()).isEqualTo(expected.toString());
    }

    @Property(tries = 2000)
    void neverThrowsAndCountsEveryLineOnce(@ForAll("lineNoise") String body) {
        ScanResult result = scan(body);
        assertThat(result.validLines() + result.invalidLines())
                .isEqualTo(GoLines.count(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(result.errors() == null).isEqualTo(result.invalidLines() == 0);
        assertThat(result.bodyLength() == 0).isEqualTo(result.validLines() == 0);
    }

    /** Whatever the scanner forwards, it would forward again unchanged: every rewritten line still splits, parses and keeps its timestamp. */
    @Property(tries = 2000)
    void forwardedLinesAreAFixedPoint(@ForAll("lineNoise") String body) {
        ScanResult once = scan(body);
        ScanResult twice = LineScanner.scan(once.body(), once.bodyOffset(), once.bodyLength(), NOW + 1);
        assertThat(twice.errors()).isNull();
        assertThat(twice.validLines()).isEqualTo(once.validLines());
        assertThat(twice.bodyAsString()).isEqualTo(once.bodyAsString());
        if (once.validLines() > 0) {
            assertThat(once.bodyAsString()).endsWith("\n");
        }
    }

    @Property(tries = 1000)
    void scanningASliceEqualsScanningACopy(@ForAll("lineNoise") String body, @ForAll("lineNoise") String before,
                                           @ForAll("lineNoise") String after) {
        byte[] inner = body.getBytes(StandardCharsets.UTF_8);
        byte[] outer = (before + body + after).getBytes(StandardCharsets.UTF_8);
        int offset = before.getBytes(StandardCharsets.UTF_8).length;
        ScanResult alone = LineScanner.scan(inner, 0, inner.length, NOW);
        ScanResult sliced = LineScanner.scan(outer, offset, inner.length, NOW);
        assertThat(sliced.bodyAsString()).isEqualTo(alone.bodyAsString());
        assertThat(sliced.errors()).isEqualTo(alone.errors());
    }

    private static ScanResult scan(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return LineScanner.scan(bytes, 0, bytes.length, NOW);
    }

    // --- generators ---------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<List<Point>> points() {
        return point().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<String>> separators() {
        return Arbitraries.of("\n", "\n", "\r\n", "\n\n", "\n# a comment, with = and \"\n", "\n \t \n", "\n  # indented\r\n")
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private Arbitrary<Point> point() {
        Arbitrary<String> measurement = identifier(",  ").filter(m -> !m.startsWith("#"));
        Arbitrary<Map<String, String>> tags = Arbitraries.maps(identifier(",= ").filter(k -> !k.equals("time")),
                identifier(",= ")).ofMaxSize(4).map(LinkedHashMap::new);
        Arbitrary<List<String>> fields = field().list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Optional<Long>> timestamp = Arbitraries.longs().between(MIN_TIME, MAX_TIME).optional(0.6);
        Arbitrary<String> blanks = Arbitraries.of("", "", "", " ", "\t ");
        // behind leading blanks Go's line splitter counts the '=' of measurement and tags, and a quote in a
        // field key may then open a "string" that swallows the next line: influxd does that too
        return Combinators.combine(measurement, tags, fields, timestamp, blanks).as((m, t, f, ts, b) -> {
            Point point = new Point(m, t, f, ts, "");
            return point.line().contains("\"") ? point : new Point(m, t, f, ts, b);
        });
    }

    /** Text with the bytes that need escaping; escaped with a backslash where {@code escaped} says. */
    private static Arbitrary<String> identifier(String escaped) {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.chars().alpha(), Arbitraries.chars().numeric(),
                Arbitraries.of(',', ' ', '=', '"', '#', '-', '.', '_', 'é', '✓', '\''));
        return chars.list().ofMinSize(1).ofMaxSize(12).map(list -> {
            StringBuilder text = new StringBuilder();
            for (char c : list) {
                if (escaped.indexOf(c) >= 0) {
                    text.append('\\');
                }
                text.append(c);
            }
            return text.toString();
        });
    }

    private Arbitrary<String> field() {
        Arbitrary<String> key = identifier(",= ").filter(k -> !k.equals("time"));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.doubles().map(String::valueOf).filter(v -> !v.contains("N") && !v.contains("I")),
                Arbitraries.of("1", "-1", ".5", "-.5", "1.", "1e10", "1E-10", "-1.5e+3", "0", "007"),
                Arbitraries.longs().map(v -> v + "i"),
                Arbitraries.of("t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"),
                Arbitraries.strings().withChars("ab ,=\"\\\n\r\t#é").ofMaxLength(12)
                        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        return Combinators.combine(key, value).as((k, v) -> k + "=" + v);
    }

    /** Bodies of noise or of odd but often valid lines. */
    @Provide
    Arbitrary<String> lineNoise() {
        return Arbitraries.oneOf(tokenNoise(), oddLines());
    }

    /** Fragments of line protocol thrown together: mostly invalid lines, some valid, some odd. */
    private Arbitrary<String> tokenNoise() {
        Arbitrary<String> token = Arbitraries.of("cpu", "m", ",", "=", " ", " ", "\"", "\\", "\n", "\n", "\r", "\t", "#", "\0",
                "a", "1", "-", ".", "e", "i", "u", "t", "true", "1i", "\"s p\"", " 123", " -5", "x=1", "f=1.5", ",t=v",
                "\\ ", "\\,", "\\=", "\\\"", "\\\n", "time", "é");
        return token.list().ofMaxSize(40).map(tokens -> String.join("", tokens));
    }

    /**
     * Lines shaped like points whose parts are the bytes that trouble line splitting: '=' and quotes in names
     * (which Go's splitter counts behind leading blanks), escapes, raw newlines in strings, lone backslashes.
     */
    private Arbitrary<String> oddLines() {
        Arbitrary<String> blanks = Arbitraries.of("", "", " ", "\t", " \t");
        Arbitrary<String> name = Arbitraries.of("m", "=", "\"", "\\ ", "\\,", "x=y", "é", "\\=", "#", "\\")
                .list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts));
        Arbitrary<String> tags = Arbitraries.of("", ",t=v", ",t=\"v", ",\"=\"", ",t=a\\ b", ",k=v=", ",t=\\")
                .list().ofMaxSize(2).map(parts -> String.join("", parts));
        Arbitrary<String> key = Arbitraries.of("a", "\"", "k\\=", "b\\ c", "\"q\"", "time");
        Arbitrary<String> value = Arbitraries.of("1", "-1.5e3", "1i", "t", "\"s\"", "\"a b\"", "\"a\nb\"", "\"x\"y",
                "\"x\"\\", "\"e\\\"\"", "\"\"", "\"open");
        Arbitrary<String> fields = Combinators.combine(key, value).as((k, v) -> k + "=" + v)
                .list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(",", parts));
        Arbitrary<String> timestamp = Arbitraries.of("", "", " 1", " -1", " 1 ", "  2");
        Arbitrary<String> line = Combinators.combine(blanks, name, tags, fields, timestamp, blanks)
                .as((before, n, t, f, ts, after) -> before + n + t + " " + f + ts + after);
        // the tails after a newline are lines of their own, or junk and a timestamp when Go's splitter is in a "string"
        Arbitrary<String> separator = Arbitraries.of("\n", "\n", "\r\n", "\n\n", "\\\n", "\n7\n", "\nx 7\n", "\n\"\n", "");
        return Combinators.combine(line.list().ofMinSize(1).ofMaxSize(4), separator.list().ofMinSize(1).ofMaxSize(4))
                .as((lines, separators) -> {
                    StringBuilder body = new StringBuilder();
                    for (int i = 0; i < lines.size(); i++) {
                        body.append(lines.get(i)).append(separators.get(i % separators.size()));
                    }
                    return body.toString();
                });
    }

    /** A plain port of the line loop of Go's ParsePointsWithPrecision (plus the relay's CR rule), for counting. */
    static final class GoLines {
        static int count(byte[] buf) {
            int lines = 0;
            int pos = 0;
            while (pos < buf.length) {
                int start = pos;
                int i = pos;
                boolean quoted = false;
                boolean fields = false;
                int equals = 0;
                int commas = 0;
                while (i < buf.length) {
                    byte c = buf[i];
                    if (c == '\\') {
                        i += 2;
                        continue;
                    }
                    if (c == ' ') {
                        fields = true;
                    }
                    if (fields) {
                        if (!quoted && c == '=') {
                            i++;
                            equals++;
                            continue;
                        } else if (!quoted && c == ',') {
                            i++;
                            commas++;
                            continue;
                        } else if (c == '"' && equals > commas) {
                            i++;
                            quoted = !quoted;
                            continue;
                        }
                    }
                    if (c == '\n' && !quoted) {
                        break;
                    }
                    i++;
                }
                int end = Math.min(i, buf.length);
                pos = i + 1;
                if (end > start && buf[end - 1] == '\r') {
                    end--;
                }
                int first = start;
                while (first < end && (buf[first] == ' ' || buf[first] == '\t' || buf[first] == 0)) {
                    first++;
                }
                if (first < end && buf[first] != '#') {
                    lines++;
                }
            }
            return lines;
        }
    }

    @Property(tries = 50)
    void referenceCountsLikeTheExamples(@ForAll("separators") List<String> separators) {
        List<String> parts = new ArrayList<>(separators);
        assertThat(GoLines.count(String.join("cpu a=1", parts).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(parts.size() - 1);
    }
}
