package io.influxrelay.lineprotocol;

import io.influxrelay.testing.Influxd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanner against the real thing: for each body, influxd 1.6.7's verdict on the raw body (204, or 400 or
 * 500 and its error text) must be the scanner's, and the points stored from the scanner's output must be the
 * points stored from the raw body. Every body gets fresh databases, so no schema carries over between bodies.
 *
 * <p>Excused, and counted: lines the relay refuses on purpose ("cannot be re-serialized unambiguously", and the
 * line that crashes influxd, which is never sent), and a field given two types within one body, which the
 * scanner does not look for. Fuzzing takes -Dfuzz.seed and -Dfuzz.bodies.
 */
class ScannerAgreesWithInfluxdIT {
    /** The relay's "now" for unstamped lines: any fixed instant works, since influxd's own stamps are masked. */
    private static final long NOW_NANOS = 1_500_000_000_123_456_789L;
    private static final String UNFORWARDABLE = ": cannot be re-serialized unambiguously";
    private static final Pattern ROW_TIME = Pattern.compile("\\[(-?\\d+),");
    private static final Pattern DROPPED = Pattern.compile(" dropped=\\d+$");

    private static Influxd influxd;
    private static final AtomicInteger databases = new AtomicInteger();

    @BeforeAll
    static void startInfluxd() {
        influxd = Influxd.start();
    }

    @AfterAll
    static void stopInfluxd() {
        if (influxd != null) {
            influxd.close();
        }
    }

    static Stream<Arguments> corpus() {
        Stream<Arguments> accepted = LineCorpus.ACCEPTED.stream().map(line -> Arguments.of(line, true));
        Stream<Arguments> rejected = LineCorpus.REJECTED.stream().map(line -> Arguments.of(line, false));
        return Stream.concat(accepted, rejected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    void agreesOnEachCorpusLine(String line, boolean acceptedByInfluxd) {
        Verdict verdict = compare(line, Precision.NANOSECONDS);
        assertThat(verdict.influxdAccepted).as("influxd's verdict on the corpus line").isEqualTo(acceptedByInfluxd);
    }

    @Test
    void agreesOnMultiLineBodies() {
        compare("cpu a=1 1\n\n# comment\n  # indented comment\n   \nmem b=2i 2\n", Precision.NANOSECONDS);
        compare("cpu a=1 1\nbad\nmem b=2i\nworse,t a=1\n", Precision.NANOSECONDS);
        compare("bad\nworse,t a=1", Precision.NANOSECONDS);
        compare("cpu s=\"multi\nline\n# not a comment\" 1\nmem v=1", Precision.NANOSECONDS);
        compare("cpu,time=x a=1 1\nmem a=1 1\nbad", Precision.NANOSECONDS);
        compare(" = \"=0.0\nA A=0.0", Precision.NANOSECONDS); // behind a blank, the quote opens a string
        compare(" m=x,t=\"v f=1 \nzzz\n", Precision.NANOSECONDS);
        compare("", Precision.NANOSECONDS);
        compare("\n\n   \n#only comments\n", Precision.NANOSECONDS);
    }

    @Test
    void precisionDecidesTheTimestampRange() {
        for (Precision precision : Precision.values()) {
            for (String ts : List.of("1", "-1", "9223372036", "9223372037", "153722867", "153722868", "2562047", "2562048",
                    "9223372036854775", "9223372036854776", "-9223372036854775806", "9223372036854775806")) {
                compare("cpu value=1 " + ts, precision);
            }
            compare("cpu value=1", precision);
        }
    }

    /** The one deliberate difference in splitting: influxd 1.6 rejects CRLF lines, the relay drops the CR. */
    @Test
    void carriageReturnsAreDroppedWhereInfluxdWouldReject() {
        String crlf = "cpu a=1 1\r\nmem b=2\r\n";
        byte[] bytes = crlf.getBytes(StandardCharsets.UTF_8);
        assertThat(write(newDatabase(), Precision.NANOSECONDS, bytes, 0, bytes.length).status).isEqualTo(400);
        ScanResult scan = LineScanner.scan(bytes, 0, bytes.length, 7);
        assertThat(scan.bodyAsString()).isEqualTo("cpu a=1 1\nmem b=2 7\n");
        compare("cpu a=1 1\nmem b=2\n", Precision.NANOSECONDS);
    }

    /** Mutations of accepted lines: the bytes that matter to the grammar, put where they hurt. */
    @Test
    void agreesOnMutatedLines() {
        long seed = Long.getLong("fuzz.seed", 20240611L);
        int bodies = Integer.getInteger("fuzz.bodies", 300);
        Random random = new Random(seed);
        String alphabet = " ,=\"\\\t\n#-+.eEiutfTF019aN\0é";
        List<String> seeds = new ArrayList<>(LineCorpus.ACCEPTED);
        seeds.removeIf(line -> line.length() > 200);
        Tally tally = new Tally();
        for (int n = 0; n < bodies; n++) {
            StringBuilder line = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                int at = random.nextInt(line.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> line.insert(at, c);
                    case 1 -> {
                        if (at < line.length()) {
                            line.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < line.length()) {
                            line.setCharAt(at, c);
                        }
                    }
                }
            }
            tally.add(compare(line.toString(), Precision.NANOSECONDS, "seed " + seed + ", mutated body " + n));
        }
        tally.check("mutated lines");
    }

    /**
     * Bodies of point-shaped lines made of the bytes that trouble line splitting: '=' and quotes in names (which
     * Go's splitter counts behind leading blanks), escapes, raw newlines in strings, lone backslashes.
     */
    @Test
    void agreesOnOddLines() {
        long seed = Long.getLong("fuzz.seed", 20240611L);
        int bodies = Integer.getInteger("fuzz.bodies", 300);
        Random random = new Random(seed);
        Tally tally = new Tally();
        for (int n = 0; n < bodies; n++) {
            StringBuilder body = new StringBuilder();
            int lines = 1 + random.nextInt(2);
            for (int l = 0; l < lines; l++) {
                body.append(pick(random, "", "", "", " ", "\t", " \t"));
                body.append(pick(random, "m", "m", "m=", "\"m", "\\ m", "m\\,", "x=y", "é", "\\=m", "#m", "\\m"));
                for (int t = random.nextInt(3); t > 0; t--) {
                    body.append(pick(random, ",t=v", ",t=v", ",t=\"v", ",\"=\"", ",t=a\\ b", ",k=v=", ",t=\\"));
                }
                body.append(' ');
                List<String> keys = new ArrayList<>(List.of("a", "b", "\"", "k\\=", "b\\ c", "\"q\"", "time"));
                java.util.Collections.shuffle(keys, random);
                for (int f = random.nextInt(3); f >= 0; f--) {
                    body.append(keys.get(f)).append('=');
                    body.append(pick(random, "1", "-1.5e3", "1i", "t", "\"s\"", "\"a b\"", "\"a\nb\"", "\"a\nb\"", "\"x\"y",
                            "\"x\"\\", "\"e\\\"\"", "\"\"", "\"open"));
                    if (f > 0) {
                        body.append(',');
                    }
                }
                body.append(pick(random, "", "", " 1", " -1", " 1 ", "  2"));
                body.append(pick(random, "", "", "", " ", "\t"));
                body.append(pick(random, "\n", "\n", "\n", "\n", "\n\n", "\\\n", "\n7\n", "\nx 7\n", "\n\"\n", ""));
            }
            tally.add(compare(body.toString(), Precision.NANOSECONDS, "seed " + seed + ", odd body " + n));
        }
        tally.check("odd lines");
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** How the fuzzed bodies went: both verdicts must be common, excused differences rare. */
    private static final class Tally {
        int accepted;
        int rejected;
        int excused;

        void add(Verdict verdict) {
            if (verdict.knownDisagreement) {
                System.out.println("excused: " + verdict.why);
                excused++;
            } else if (verdict.influxdAccepted) {
                accepted++;
            } else {
                rejected++;
            }
        }

        void check(String what) {
            System.out.printf("%s: %d accepted by both, %d rejected by both, %d excused%n", what, accepted, rejected, excused);
            int all = accepted + rejected + excused;
            assertThat(accepted).as(what + " accepted").isGreaterThan(all / 20);
            assertThat(rejected).as(what + " rejected").isGreaterThan(all / 20);
            assertThat(excused).as(what + " excused").isLessThan(all / 10);
        }
    }

    private record Verdict(boolean influxdAccepted, boolean knownDisagreement, String why) {
        Verdict(boolean influxdAccepted) {
            this(influxdAccepted, false, null);
        }
    }

    private static Verdict compare(String body, Precision precision) {
        return compare(body, precision, "");
    }

    private static Verdict compare(String body, Precision precision, String context) {
        String what = context + " body " + printable(body) + " precision " + precision;
        String rawDb = newDatabase();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long now = precision.fromEpochNanos(NOW_NANOS);
        ScanResult scan = LineScanner.scan(bytes, 0, bytes.length, now, precision);
        String errors = scan.errors();
        if (errors != null && errors.contains(": it would crash influxd")) {
            return new Verdict(false, true, errors); // and it would: see LineScannerTest
        }

        RawResponse response = write(rawDb, precision, bytes, 0, bytes.length);
        boolean influxdAccepted = response.status == 204;
        assertThat(response.status).as(what + " -> " + response.body).isIn(204, 400, 500);

        if (errors != null && errors.contains(UNFORWARDABLE)) {
            // lines influxd takes but the relay cannot cut or stamp safely: the relay refuses them on purpose
            return new Verdict(influxdAccepted, true, errors);
        }
        String influxdError = influxdAccepted ? null : errorOf(response.body);
        if (response.status == 500) {
            // the parser took the body but the storage engine could not read a value: the whole write fails
            assertThat(influxdError).as(what).startsWith("engine: ");
            String complaint = influxdError.substring("engine: ".length()).split(": ")[0];
            assertThat(errors).as(what + " influxd said " + influxdError).contains("': " + complaint);
            return new Verdict(false);
        }
        if (influxdError != null && influxdError.startsWith("field type conflict")) {
            return new Verdict(false, true, influxdError); // the scanner does not look for a field with two types in one body
        }
        assertThat(scan.invalidLines() == 0).as(what + " scanner accepts all (influxd said " + influxdError + ")")
                .isEqualTo(influxdAccepted);
        if (!influxdAccepted) {
            if (influxdError.startsWith("unable to parse")) {
                assertThat(errors).as(what).isEqualTo(influxdError);
            } else {
                assertThat(errors).as(what).contains("': " + influxdError); // a rule influxd checks when writing
            }
        }
        // influxd indexes the series of a point it then drops for having only "time" fields, so its tags show up
        // as empty columns in the raw database: only the values could be compared there, so skip those bodies
        boolean droppedAfterIndexing = errors != null && errors.contains("': invalid field name: input field \"time\"");
        if (scan.hasValidLines() && !droppedAfterIndexing) {
            assertSamePoints(rawDb, scan, now, precision, what);
        }
        return new Verdict(influxdAccepted);
    }

    /** What influxd stored from the raw body equals what it stores from the scanner's output. */
    private static void assertSamePoints(String rawDb, ScanResult scan, long now, Precision precision, String what) {
        String relayedDb = newDatabase();
        RawResponse response = write(relayedDb, precision, scan.body(), scan.bodyOffset(), scan.bodyLength());
        assertThat(response.status).as(what + " relayed output " + printable(scan.bodyAsString()) + " -> " + response.body)
                .isEqualTo(204);
        String raw = influxd.query(rawDb, "SELECT * FROM /.*/");
        String relayed = influxd.query(relayedDb, "SELECT * FROM /.*/");
        if (scan.bodyAsString().contains(" " + now + "\n")) {
            // influxd stamped the raw lines with its own clock; the relay's stamp must be the one stored
            if (scan.validLines() == 1 && relayed.contains("\"values\"")) { // SELECT misses some odd names
                assertThat(relayed).as(what).contains("[" + now * precision.nanosPerUnit() + ",");
            }
            raw = ROW_TIME.matcher(raw).replaceAll("[T,");
            relayed = ROW_TIME.matcher(relayed).replaceAll("[T,");
        }
        assertThat(relayed).as(what + " stored points").isEqualTo(raw);
        // SELECT cannot reach every odd measurement name; the series keys show the rest
        String rawSeries = influxd.query(rawDb, "SHOW SERIES");
        assertThat(influxd.query(relayedDb, "SHOW SERIES")).as(what + " series").isEqualTo(rawSeries);
        assertThat(rawSeries).as(what + " something was stored").contains("\"values\"");
    }

    private record RawResponse(int status, String body) {
    }

    /**
     * POST /write over a plain socket: java.net.http refuses the X-Influxdb-Error header influxd sends when
     * the rejected line holds control bytes such as NUL.
     */
    private static RawResponse write(String db, Precision precision, byte[] body, int offset, int length) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), influxd.port())) {
            socket.setSoTimeout(30_000);
            String head = "POST /write?db=" + db + "&precision=" + precision.queryValue() + " HTTP/1.0\r\n"
                    + "Host: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " + length + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int bodyStart = response.indexOf("\r\n\r\n");
            return new RawResponse(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh database; the one before it is dropped, since influxd keeps files open for each. */
    private static String newDatabase() {
        int n = databases.incrementAndGet();
        if (n > 2) {
            influxd.query("d" + (n - 2), "DROP DATABASE \"d" + (n - 2) + "\"");
        }
        String db = "d" + n;
        influxd.createDatabase(db);
        return db;
    }

    /** The "error" string of influxd's JSON answer, without "partial write: " and " dropped=N". */
    private static String errorOf(String json) {
        int start = json.indexOf("\"error\":\"") + 9;
        StringBuilder text = new StringBuilder();
        for (int i = start; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                char e = json.charAt(++i);
                switch (e) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case 'r' -> text.append('\r');
                    case 'b' -> text.append('\b');
                    case 'f' -> text.append('\f');
                    case 'u' -> {
                        text.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> text.append(e);
                }
            } else {
                text.append(c);
            }
        }
        String error = text.toString();
        if (error.startsWith("partial write: ")) {
            Matcher dropped = DROPPED.matcher(error);
            error = dropped.replaceFirst("").substring("partial write: ".length());
        }
        return error;
    }

    private static String printable(String s) {
        String shown = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
        return "'" + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\0", "\\0") + "'";
    }
}
