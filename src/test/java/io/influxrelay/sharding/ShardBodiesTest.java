package io.influxrelay.sharding;

import io.influxrelay.lineprotocol.LineRanges;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ShardBodiesTest {
    private static final byte[] BODY = "a 1\nb 2\nc 3\nd 4\n".getBytes(StandardCharsets.UTF_8);

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** A shard's part as text, null when it has none. */
    private static String text(LineRanges part) {
        return part == null ? null : text(part.bytes());
    }

    @Test
    void eachShardGetsItsLinesInOrderAtExactSize() {
        ShardBodies bodies = new ShardBodies(3);
        byte[] rewritten = "x 9\n".getBytes(StandardCharsets.UTF_8);
        bodies.add(0, BODY, 0, 4);
        bodies.add(0, BODY, 4, 8); // joins the range before
        bodies.add(1, BODY, 8, 12);
        bodies.add(0, rewritten, 0, 4); // another array: a range of its own
        bodies.add(1, BODY, 12, 16);
        assertThat(text(bodies.ranges(0))).isEqualTo("a 1\nb 2\nx 9\n");
        assertThat(text(bodies.ranges(1))).isEqualTo("c 3\nd 4\n");
        assertThat(bodies.ranges(2)).isNull();
        assertThat(bodies.points(0)).isEqualTo(3);
        assertThat(bodies.points(1)).isEqualTo(2);
        assertThat(bodies.points(2)).isZero();
    }

    @Test
    void aShardsPartIsRangesOfTheScannedArraysNotACopy() {
        ShardBodies bodies = new ShardBodies(2);
        byte[] rewritten = "x 9\n".getBytes(StandardCharsets.UTF_8);
        bodies.add(0, BODY, 0, 8); // two lines, one range
        bodies.add(1, BODY, 8, 12);
        bodies.add(0, rewritten, 0, 4);
        bodies.add(0, BODY, 12, 16);
        LineRanges part = bodies.ranges(0);
        assertThat(part.ranges()).isEqualTo(3);
        assertThat(part.array(0)).isSameAs(BODY);
        assertThat(part.array(1)).isSameAs(rewritten);
        assertThat(part.length()).isEqualTo(16);
        assertThat(text(part)).isEqualTo("a 1\nb 2\nx 9\nd 4\n");
        assertThat(bodies.ranges(1).bytes()).isNotSameAs(BODY).asString(StandardCharsets.UTF_8).isEqualTo("c 3\n");
        assertThat(new ShardBodies(2).ranges(0)).isNull();
    }

    @Test
    void aLineForTwoShardsIsInBoth() {
        ShardBodies bodies = new ShardBodies(2);
        for (int line = 0; line < 4; line++) {
            bodies.add(0, BODY, line * 4, line * 4 + 4);
            bodies.add(1, BODY, line * 4, line * 4 + 4);
        }
        assertThat(text(bodies.ranges(0))).isEqualTo(text(BODY));
        assertThat(text(bodies.ranges(1))).isEqualTo(text(BODY));
    }
}
