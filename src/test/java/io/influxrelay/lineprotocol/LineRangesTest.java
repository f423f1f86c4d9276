package io.influxrelay.lineprotocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LineRangesTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRangesMakeOneArrayInOrderOnceAndKeepIt() {
        byte[] a = bytes("a 1\nb 2\nc 3\n");
        byte[] b = bytes("x 9\n");
        LineRanges lines = new LineRanges(new byte[][] {a, b, a}, new int[] {4, 0, 0}, new int[] {12, 4, 4});
        assertThat(lines.length()).isEqualTo(16);
        assertThat(new String(lines.bytes(), StandardCharsets.UTF_8)).isEqualTo("b 2\nc 3\nx 9\na 1\n");
        assertThat(lines.bytes()).isSameAs(lines.bytes());
        assertThat(lines.toString()).doesNotContain("a 1").contains("16 bytes");
    }

    @Test
    void linesInAnArrayOfTheirOwnAreNotCopied() {
        byte[] a = bytes("a 1\n");
        LineRanges lines = LineRanges.of(a);
        assertThat(lines.ranges()).isEqualTo(1);
        assertThat(lines.bytes()).isSameAs(a);
    }
}
