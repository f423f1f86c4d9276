package io.influxrelay.recovery;

import io.influxrelay.lineprotocol.LineScanner;
import io.influxrelay.lineprotocol.ScanResult;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every line the encoder writes is one valid point to the relay's scanner (which follows influxd 1.6's parser). */
class LineEncoderPropertyTest {

    @Provide
    Arbitrary<String> names() {
        // no newline, and no backslash before an escaped character or at the end: line protocol 1.x has no
        // form for those in names (influxd escapes nothing but , = and space there)
        return Arbitraries.strings().withChars("ab, =\"'\\#é").ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.matches("(?s).*\\\\([, =].*|$)") && !s.startsWith("#") && !s.isBlank());
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.strings().withChars("ab, =\"\\\n\t{}é").ofMaxLength(30);
    }

    @Property
    void encodedLinesAreValidPoints(@ForAll("names") String measurement, @ForAll("names") String tagKey,
                                    @ForAll("names") String tagValue, @ForAll("names") String fieldKey,
                                    @ForAll("strings") String text, @ForAll long integer, @ForAll double number) {
        StringBuilder line = new StringBuilder(LineEncoder.seriesKey(measurement, Map.of(tagKey, tagValue))).append(' ');
        LineEncoder.fieldKey(line, fieldKey);
        line.append('=');
        LineEncoder.stringValue(line, text);
        line.append(",i=");
        LineEncoder.integerValue(line, integer);
        if (Double.isFinite(number)) {
            line.append(",f=");
            LineEncoder.floatValue(line, number);
        }
        line.append(" 1\n");
        byte[] body = line.toString().getBytes(StandardCharsets.UTF_8);
        ScanResult scanned = LineScanner.scan(body, 0, body.length, 0);
        assertThat(scanned.invalidLines()).as(scanned.errors()).isZero();
        assertThat(scanned.validLines()).isEqualTo(1);
    }

    @Property
    void stringValuesComeBackUnescaped(@ForAll("strings") String text) {
        StringBuilder b = new StringBuilder();
        LineEncoder.stringValue(b, text);
        // influxd unescapes \" and \\ inside a string field and keeps everything else as written
        String inner = b.substring(1, b.length() - 1);
        StringBuilder back = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && (inner.charAt(i + 1) == '"' || inner.charAt(i + 1) == '\\')) {
                c = inner.charAt(++i);
            }
            back.append(c);
        }
        assertThat(back).hasToString(text);
    }
}
