package io.influxrelay.log;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void plainTextIsLeftAsItIs() {
        String text = "unable to parse 'cpu,host=a\\ b v=': missing field value";
        assertThat(LogText.escape(text)).isSameAs(text);
        assertThat(LogText.escape("température=21.5 ✓")).isEqualTo("température=21.5 ✓");
        assertThat(LogText.escape(null)).isNull();
    }

    @Test
    void lineBreaksCannotForgeALogLine() {
        assertThat(LogText.escape("bad\r\n2026-01-01 00:00:00 ERROR forged"))
                .isEqualTo("bad\\r\\n2026-01-01 00:00:00 ERROR forged");
        assertThat(LogText.escape("a\u2028b\u2029c\u0085d")).isEqualTo("a\\u2028b\\u2029c\\u0085d");
    }

    @Test
    void terminalEscapesAndOtherControlsAreWrittenOut() {
        assertThat(LogText.escape("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
        assertThat(LogText.escape("\t\u0000\u0007\u007f\u009b")).isEqualTo("\\t\\u0000\\u0007\\u007f\\u009b");
    }
}
