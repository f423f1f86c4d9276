package io.influxrelay.lineprotocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The scanner's integer parsing, eight digits at a time, against Java's own. */
class GoNumbersPropertyTest {
    @Property(tries = 2000)
    void parsesEveryInt64AsJavaDoes(@ForAll long value, @ForAll @IntRange(max = 3) int leadingZeros) {
        String digits = Long.toString(Math.abs(value == Long.MIN_VALUE ? 0 : value));
        String text = (value < 0 ? "-" : "") + "0".repeat(leadingZeros) + (value == Long.MIN_VALUE ? "9223372036854775808" : digits);
        byte[] b = ("x" + text + " ").getBytes(StandardCharsets.US_ASCII); // inside a longer array, as in a line
        assertThat(GoNumbers.fitsInt64(b, 1, 1 + text.length())).isTrue();
        assertThat(GoNumbers.parseInt64(b, 1, 1 + text.length())).as(text).isEqualTo(value);
    }

    @Property(tries = 500)
    void eightDigitsAtATimeAreTheirDecimalValue(@ForAll @IntRange(max = 99_999_999) int value) {
        byte[] b = String.format("%08d", value).getBytes(StandardCharsets.US_ASCII);
        assertThat(ByteSearch.eightDigits(b, 0)).isTrue();
        assertThat(ByteSearch.eightDigitValue(b, 0)).isEqualTo(value);
    }
}
