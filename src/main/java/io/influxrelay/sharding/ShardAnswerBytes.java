package io.influxrelay.sharding;

import org.apache.camel.Message;

import java.io.IOException;
import java.io.InputStream;

/**
 * One shard's whole answer to a read that is merged in memory (InfluxQL or a Prometheus remote read),
 * bounded: a shard that sends more than {@link #MAX} is not read further, and the merge answers 413.
 */
public final class ShardAnswerBytes {
    public static final int MAX = 256 << 20;

    private ShardAnswerBytes() {
    }

    /** The answer's bytes, at most MAX + 1 of them ({@link #tooLarge} then), or null when it has none. */
    public static byte[] read(Message m) throws IOException {
        if (m.getBody() instanceof InputStream in) {
            try (in) {
                return in.readNBytes(MAX + 1);
            }
        }
        return m.getBody(byte[].class);
    }

    public static boolean tooLarge(byte[] bytes) {
        return bytes != null && bytes.length > MAX;
    }
}
