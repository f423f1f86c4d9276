package io.influxrelay.lineprotocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineScannerTest {
    private static final long NOW = 1_700_000_000_000_000_000L;

    private static ScanResult scan(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return LineScanner.scan(bytes, 0, bytes.length, NOW);
    }

    // --- forwarding as is, slicing and copying ---------------------------------------------------------------

    @Test
    void returnsTheInputItselfWhenEveryLineIsValidTimestampedAndTerminated() {
        byte[] body = "cpu,host=a value=1 1\nmem free=2i 2\n".getBytes(StandardCharsets.UTF_8);
        ScanResult result = LineScanner.scan(body, 0, body.length, NOW);
        assertThat(result.body()).isSameAs(body);
        assertThat(result.bodyOffset()).isZero();
        assertThat(result.bodyLength()).isEqualTo(body.length);
        assertThat(result.validLines()).isEqualTo(2);
        assertThat(result.invalidLines()).isZero();
        assertThat(result.errors()).isNull();
        assertThat(result.hasValidLines()).isTrue();
    }

    @Test
    void scansOnlyTheGivenRangeAndSlicesIt() {
        byte[] array = "garbage\ncpu value=1 1\nmem value=2 2\nmore garbage".getBytes(StandardCharsets.UTF_8);
        int offset = "garbage\n".length();
        int length = "cpu value=1 1\nmem value=2 2\n".length();
        ScanResult result = LineScanner.scan(array, offset, length, NOW);
        assertThat(result.body()).isSameAs(array);
        assertThat(result.bodyOffset()).isEqualTo(offset);
        assertThat(result.bodyLength()).isEqualTo(length);
        assertThat(result.validLines()).isEqualTo(2);
    }

    @Test
    void leadingAndTrailingSkippedLinesOnlyNarrowTheSlice() {
        byte[] body = "# header\n\ncpu value=1 1\nmem value=2 2\n\n  \n# footer\nbad\n".getBytes(StandardCharsets.UTF_8);
        ScanResult result = LineScanner.scan(body, 0, body.length, NOW);
        assertThat(result.body()).isSameAs(body);
        assertThat(result.bodyAsString()).isEqualTo("cpu value=1 1\nmem value=2 2\n");
        assertThat(result.validLines()).isEqualTo(2);
        assertThat(result.invalidLines()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo("unable to parse 'bad': missing fields");
    }

    @Test
    void aDroppedLineBetweenValidOnesMakesACopy() {
        byte[] body = "cpu value=1 1\nbad\nmem value=2 2\n".getBytes(StandardCharsets.UTF_8);
        byte[] original = body.clone();
        ScanResult result = LineScanner.scan(body, 0, body.length, NOW);
        assertThat(result.body()).isNotSameAs(body);
        assertThat(result.bodyAsString()).isEqualTo("cpu value=1 1\nmem value=2 2\n");
        assertThat(body).isEqualTo(original);
    }

    @Test
    void stampsLinesWithoutTimestampWithNow() {
        assertThat(scan("cpu value=1\nmem value=2 2\ndisk value=3\n").bodyAsString())
                .isEqualTo("cpu value=1 " + NOW + "\nmem value=2 2\ndisk value=3 " + NOW + "\n");
    }

    @Test
    void terminatesTheLastLine() {
        ScanResult result = scan("cpu value=1 1\nmem value=2 2");
        assertThat(result.bodyAsString()).isEqualTo("cpu value=1 1\nmem value=2 2\n");
    }

    @Test
    void aBodyWithoutItsFinalNewlineIsCopiedOnceAtItsExactSize() {
        byte[] body = "\ncpu value=1 1\nmem value=2 2  ".getBytes(StandardCharsets.UTF_8);
        byte[] original = body.clone();
        ScanResult result = LineScanner.scan(body, 0, body.length, NOW);
        assertThat(result.body()).isNotSameAs(body);
        // the whole array, so the sender need not copy it again
        assertThat(result.bodyOffset()).isZero();
        assertThat(result.bodyLength()).isEqualTo(result.body().length);
        assertThat(result.bodyAsString()).isEqualTo("cpu value=1 1\nmem value=2 2  \n");
        assertThat(body).isEqualTo(original);
    }

    @Test
    void aScanWithARouterHandsItEveryLineTerminatedWithItsMeasurementAndBuildsNoBody() {
        byte[] body = "cpu value=1 1\nbad\n mem,host=a value=2\nw\\ e\\,ird,t=1 v=1 4\ndisk value=3 3".getBytes(StandardCharsets.UTF_8);
        StringBuilder heard = new StringBuilder();
        ScanResult result = LineScanner.scan(body, 0, body.length, NOW, Precision.NANOSECONDS,
                (array, from, measurementEnd, to) -> heard.append(new String(array, from, measurementEnd - from, StandardCharsets.UTF_8))
                        .append(':').append(new String(array, from, to - from, StandardCharsets.UTF_8)).append('|'));
        assertThat(heard).hasToString("cpu:cpu value=1 1\n|mem:mem,host=a value=2 " + NOW + "\n|w\\ e\\,ird:w\\ e\\,ird,t=1 v=1 4\n|"
                + "disk:disk value=3 3\n|");
        assertThat(result.validLines()).isEqualTo(4);
        assertThat(result.invalidLines()).isEqualTo(1);
        assertThat(result.bodyLength()).isZero();
    }

    @Test
    void dropsCarriageReturnsEndingLines() {
        assertThat(scan("cpu value=1 1\r\nmem value=2\r\n\r\n# c\r\nnet s=\"a\r\nb\" 3\r").bodyAsString())
                .isEqualTo("cpu value=1 1\nmem value=2 " + NOW + "\nnet s=\"a\r\nb\" 3\n");
    }

    @Test
    void trimsBlanksAroundLines() {
        assertThat(scan("  \tcpu value=1 1  \n\0mem value=2   \n").bodyAsString())
                .isEqualTo("cpu value=1 1\nmem value=2 " + NOW + "\n");
    }

    @Test
    void emptyAndBlankBodiesHaveNoLines() {
        for (String body : new String[] {"", "\n", "\n\n \t\n", "# only\n  # comments", "\r\n"}) {
            ScanResult result = scan(body);
            assertThat(result.validLines()).as(body).isZero();
            assertThat(result.invalidLines()).as(body).isZero();
            assertThat(result.bodyLength()).as(body).isZero();
            assertThat(result.errors()).as(body).isNull();
            assertThat(result.hasValidLines()).isFalse();
        }
    }

    // --- what a line is -----------------------------------------------------------------------------------------

    @Test
    void aNewlineInsideAQuotedValueDoesNotEndTheLine() {
        ScanResult result = scan("cpu s=\"first\n# not a comment\nthird\",n=1i 1\nmem value=2 2\n");
        assertThat(result.validLines()).isEqualTo(2);
        assertThat(result.bodyAsString()).isEqualTo("cpu s=\"first\n# not a comment\nthird\",n=1i 1\nmem value=2 2\n");
    }

    @Test
    void anEscapedNewlineDoesNotEndTheLine() {
        ScanResult result = scan("cpu\\\nx value=1 1\n");
        assertThat(result.validLines()).isEqualTo(1);
        assertThat(result.bodyAsString()).isEqualTo("cpu\\\nx value=1 1\n");
    }

    @Test
    void quotesInMeasurementsTagsAndKeysAreOrdinaryBytes() {
        ScanResult result = scan("\"cpu\",tag=\"v\" \"k\"=1 1\nmem value=2 2\n");
        assertThat(result.validLines()).isEqualTo(2);
    }

    @Test
    void commentsAndBlankLinesAreNeitherValidNorInvalid() {
        ScanResult result = scan("# comment\n   # indented\n\t\n\ncpu value=1 1\n");
        assertThat(result.validLines()).isEqualTo(1);
        assertThat(result.invalidLines()).isZero();
    }

    // --- accepted forms -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @FieldSource("io.influxrelay.lineprotocol.LineCorpus#ACCEPTED")
    void acceptsWhatInfluxdAccepts(String line) {
        ScanResult result = scan(line);
        assertThat(result.errors()).isNull();
        assertThat(result.validLines()).isEqualTo(1);
    }

    @ParameterizedTest
    @FieldSource("io.influxrelay.lineprotocol.LineCorpus#REJECTED")
    void rejectsWhatInfluxdRejects(String line) {
        ScanResult result = scan(line);
        assertThat(result.validLines()).isZero();
        assertThat(result.invalidLines()).isEqualTo(1);
        assertThat(result.bodyLength()).isZero();
    }

    @Test
    void keepsEveryByteOfTrickyValidLines() {
        String lines = """
                cpu\\,with\\ escapes,tag\\ key\\,x\\=y=tag\\ value\\,x\\=y field\\ key\\,x\\=y=1 1
                cpu s="with space, comma = and \\"quotes\\" and \\\\" -1
                cpu i=-9223372036854775808i,f=-1.5e-3,g=.5,h=1E10,b=FALSE,t=t -9223372036854775806
                cpu,t== a="x"y 9223372036854775806
                """;
        ScanResult result = scan(lines);
        assertThat(result.errors()).isNull();
        assertThat(result.bodyAsString()).isEqualTo(lines);
    }

    // --- error messages -----------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            cpu                                | missing fields
            cpu,host=a                         | missing fields
            ,tag=a value=1                     | missing measurement
            cpu,=a value=1                     | missing tag key
            cpu,host=a, value=1                | missing tag key
            cpu,host value=1                   | missing tag value
            cpu,host= value=1                  | missing tag value
            cpu,host=a=b value=1               | invalid tag format
            cpu,b=1,a=2,b=3 value=1            | duplicate tags
            `cpu `                             | invalid field format
            cpu value                          | invalid field format
            cpu a=1,b                          | invalid field format
            cpu value=                         | missing field value
            cpu value=,x=1                     | missing field value
            cpu =1                             | missing field key
            cpu a=1,=2                         | missing field key
            cpu a="open                        | unbalanced quotes
            cpu a=1.2.3                        | invalid number
            cpu a=1u                           | invalid number
            cpu a=1.5i                         | invalid number
            cpu a=NaN                          | invalid number
            cpu a=-                            | invalid number
            cpu a=1e400                        | invalid float
            cpu a=1e                           | invalid float
            cpu a=.e5                          | invalid float
            cpu a=tRUE                         | invalid boolean
            cpu a=Inf                          | invalid boolean
            cpu a=+1                           | invalid boolean
            cpu a=9223372036854775808i         | unable to parse integer 9223372036854775808: strconv.ParseInt: parsing "9223372036854775808": value out of range
            cpu a=1 1x                         | bad timestamp
            cpu a=1 1.5                        | bad timestamp
            cpu a=1 -                          | strconv.ParseInt: parsing "-": invalid syntax
            cpu a=1 99999999999999999999       | strconv.ParseInt: parsing "99999999999999999999": value out of range
            cpu a=1 9223372036854775807        | time outside range -9223372036854775806 - 9223372036854775806
            cpu a=1 1 2                        | point is invalid
            cpu k\\\\=1                        | invalid value: field-key=k\\\\=1
            cpu a="x"\\,"=1.5z" 1               | unable to parse floating point value "1.5z\\"": strconv.ParseFloat: parsing "1.5z\\"": invalid syntax
            cpu a="x"\\,"=tru" 1                | unable to parse bool value "tru\\"": strconv.ParseBool: parsing "tru\\"": invalid syntax
            cpu time=1                         | invalid field name: input field "time" on measurement "cpu" is invalid
            cp\\ u,time=x a=1                   | invalid tag key: input tag "time" on measurement "cp u" is invalid
            """)
    void describesInvalidLinesLikeInfluxd(String line, String reason) {
        ScanResult result = scan(line);
        assertThat(result.errors()).isEqualTo("unable to parse '" + line + "': " + reason);
    }

    @Test
    void joinsErrorsWithNewlinesAndQuotesLinesWithoutLeadingBlanksOrCr() {
        ScanResult result = scan("  bad\r\ncpu value=1 1\nworse,t a=1\n");
        assertThat(result.errors()).isEqualTo("unable to parse 'bad': missing fields\n"
                + "unable to parse 'worse,t a=1': missing tag value");
        assertThat(result.invalidLines()).isEqualTo(2);
        assertThat(result.validLines()).isEqualTo(1);
    }

    @Test
    void reportsKeysLongerThanInfluxdAllows() {
        String measurement = "m".repeat(65536);
        assertThat(scan(measurement + " a=1").errors()).endsWith("': max key length exceeded: 65536 > 65535");
        assertThat(scan("m " + "f".repeat(65531) + "=1").errors()).endsWith("': max key length exceeded: 65536 > 65535");
        assertThat(scan("m " + "f".repeat(65530) + "=1").errors()).isNull();
    }

    @Test
    void refusesLinesItCannotStampWithoutChangingThem() {
        // influxd takes a string value followed by a lone backslash; stamped, the backslash would escape the space
        ScanResult trailingBackslash = scan("mem b=1 1\ncpu a=\"x\"\\");
        assertThat(trailingBackslash.bodyAsString()).isEqualTo("mem b=1 1\n");
        assertThat(trailingBackslash.errors()).isEqualTo("unable to parse 'cpu a=\"x\"\\': cannot be re-serialized unambiguously");
        // without its leading blank, the quote in the tag would open a string that swallows the next line
        ScanResult leadingBlank = scan(" m=x,t=\"v f=1 \nzzz\n");
        assertThat(leadingBlank.validLines()).isEqualTo(1);
        assertThat(leadingBlank.bodyAsString()).isEqualTo("m=x,t=\"v f=1 " + NOW + "\n");
    }

    /**
     * The parser of influxd 1.6.7 takes this line, but its storage engine reads the fields again with other
     * escaping rules, finds a string value that is a lone quote, and panics: the whole influxd process exits.
     */
    @Test
    void refusesTheLineThatCrashesInfluxd() {
        ScanResult result = scan("cpu a=\"x\"\\,\"=\" 1\nmem b=1 1\n");
        assertThat(result.bodyAsString()).isEqualTo("mem b=1 1\n");
        assertThat(result.errors()).isEqualTo(
                "unable to parse 'cpu a=\"x\"\\,\"=\" 1': unable to parse string value \"\\\"\": it would crash influxd");
    }

    // --- options ------------------------------------------------------------------------------------------------

    @Test
    void theTimestampRangeDependsOnThePrecision() {
        byte[] body = "cpu a=1 9223372036\n".getBytes(StandardCharsets.UTF_8);
        assertThat(LineScanner.scan(body, 0, body.length, 1, Precision.NANOSECONDS).validLines()).isEqualTo(1);
        assertThat(LineScanner.scan(body, 0, body.length, 1, Precision.SECONDS).validLines()).isEqualTo(1);
        byte[] late = "cpu a=1 9223372037\n".getBytes(StandardCharsets.UTF_8);
        assertThat(LineScanner.scan(late, 0, late.length, 1, Precision.SECONDS).errors())
                .isEqualTo("unable to parse 'cpu a=1 9223372037': time outside range -9223372036854775806 - 9223372036854775806");
        byte[] hours = "cpu a=1 2562048\ncpu a=1 -2562047\n".getBytes(StandardCharsets.UTF_8);
        ScanResult result = LineScanner.scan(hours, 0, hours.length, 1, Precision.HOURS);
        assertThat(result.validLines()).isEqualTo(1);
        assertThat(result.errors()).startsWith("unable to parse 'cpu a=1 2562048'");
    }

    @Test
    void unsignedIntegersOnlyWhenAsked() {
        byte[] body = "cpu a=18446744073709551615u\ncpu a=18446744073709551616u\ncpu a=-1u\ncpu a=0u 5\n"
                .getBytes(StandardCharsets.UTF_8);
        ScanResult without = LineScanner.scan(body, 0, body.length, 1);
        assertThat(without.validLines()).isZero();
        ScanResult with = LineScanner.scan(body, 0, body.length, 1, Precision.NANOSECONDS, true);
        assertThat(with.bodyAsString()).isEqualTo("cpu a=18446744073709551615u 1\ncpu a=0u 5\n");
        assertThat(with.errors()).isEqualTo("unable to parse 'cpu a=18446744073709551616u': unable to parse unsigned "
                + "18446744073709551616: strconv.ParseUint: parsing \"18446744073709551616\": value out of range\n"
                + "unable to parse 'cpu a=-1u': invalid number");
    }

    @Test
    void neverThrowsOnTruncatedOrOddBodies() {
        String[] bodies = {"\\", "cpu\\", "cpu a=\"x\\", "cpu a=\"x\"\\", "\"", "=", ",", " ", "cpu,a\\", "cpu a=1e+",
            "cpu a=-", "cpu a=1 -", "#", "\0", "cpu a=\"\n", "\\\n", "\\\r\n"};
        for (String body : bodies) {
            ScanResult result = scan(body);
            assertThat(result.validLines() + result.invalidLines()).as(body).isLessThanOrEqualTo(1);
        }
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ScanResult result = LineScanner.scan(all, 0, all.length, 1);
        assertThat(result.validLines()).isZero();
    }
}
