package io.influxrelay.recovery;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineEncoderTest {

    private static String field(FieldType type, Object value) {
        StringBuilder b = new StringBuilder();
        LineEncoder.fieldValue(b, type, value);
        return b.toString();
    }

    private static String floatText(double d) {
        StringBuilder b = new StringBuilder();
        LineEncoder.floatValue(b, d);
        return b.toString();
    }

    @Test
    void measurementEscapesCommaAndSpaceButNotEquals() {
        assertThat(LineEncoder.seriesKey("cpu load,total=x", Map.of())).isEqualTo("cpu\\ load\\,total=x");
    }

    @Test
    void tagKeysAndValuesEscapeCommaEqualsAndSpaceAndEmptyValuesAreOmitted() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("host name", "a,b=c d");
        tags.put("k=v,x", "plain");
        tags.put("empty", "");
        tags.put("path", "C:\\temp\\x");
        assertThat(LineEncoder.seriesKey("m", tags))
                .isEqualTo("m,host\\ name=a\\,b\\=c\\ d,k\\=v\\,x=plain,path=C:\\temp\\x");
    }

    @Test
    void fieldKeysEscapeCommaEqualsAndSpace() {
        StringBuilder b = new StringBuilder();
        LineEncoder.fieldKey(b, "a b,c=d");
        assertThat(b).hasToString("a\\ b\\,c\\=d");
    }

    @Test
    void stringsEscapeQuotesAndBackslashesAndKeepCommasSpacesNewlines() {
        assertThat(field(FieldType.STRING, "say \"hi\", then\nC:\\dir\\ =x"))
                .isEqualTo("\"say \\\"hi\\\", then\nC:\\\\dir\\\\ =x\"");
        assertThat(field(FieldType.STRING, "\\")).isEqualTo("\"\\\\\"");
        assertThat(field(FieldType.STRING, "")).isEqualTo("\"\"");
    }

    @Test
    void integersKeepTheirTextWithTheISuffix() {
        assertThat(field(FieldType.INTEGER, new NumberText("9223372036854775807"))).isEqualTo("9223372036854775807i");
        assertThat(field(FieldType.INTEGER, new NumberText("-9223372036854775808"))).isEqualTo("-9223372036854775808i");
        assertThat(field(FieldType.INTEGER, new NumberText("0"))).isEqualTo("0i");
        StringBuilder b = new StringBuilder();
        LineEncoder.integerValue(b, Long.MAX_VALUE);
        assertThat(b).hasToString("9223372036854775807i");
    }

    @Test
    void floatsFromAnswersKeepGosTextAndStayFloats() {
        // Go prints a float 1 as "1": without a suffix it is still a float in line protocol
        assertThat(field(FieldType.FLOAT, new NumberText("1"))).isEqualTo("1");
        assertThat(field(FieldType.FLOAT, new NumberText("1e-300"))).isEqualTo("1e-300");
        assertThat(field(FieldType.FLOAT, new NumberText("-0"))).isEqualTo("-0");
        assertThat(field(FieldType.FLOAT, new NumberText("1.7976931348623157e+308"))).isEqualTo("1.7976931348623157e+308");
    }

    @Test
    void floatsFromDoublesRoundTrip() {
        assertThat(floatText(1.0)).isEqualTo("1.0");
        assertThat(floatText(1e-300)).isEqualTo("1.0e-300");
        assertThat(floatText(-0.0)).isEqualTo("-0.0");
        assertThat(floatText(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e308");
        for (double d : new double[]{1.0, 1e-300, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, 0.1 + 0.2}) {
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(floatText(d)))).isEqualTo(Double.doubleToRawLongBits(d));
        }
        assertThatThrownBy(() -> floatText(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> floatText(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void booleans() {
        assertThat(field(FieldType.BOOLEAN, Boolean.TRUE)).isEqualTo("true");
        assertThat(field(FieldType.BOOLEAN, Boolean.FALSE)).isEqualTo("false");
    }
}
