package io.influxrelay.sharding;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.ShardConfig;
import io.influxrelay.lineprotocol.LineRanges;
import io.influxrelay.lineprotocol.LineScanner;
import io.influxrelay.lineprotocol.Precision;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardSplitterTest {
    private static final List<BackendConfig> BACKENDS = List.of(backend("a"), backend("b"), backend("c"), backend("d"));

    private static BackendConfig backend(String name) {
        return new BackendConfig(name, URI.create("http://127.0.0.1:1"), null, Duration.ofSeconds(1), 0, 1024, Duration.ofSeconds(1), null, 1024);
    }

    private static ShardLayout layout(String tag) {
        return new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of("a", "b")),
                new ShardConfig.Shard("s2", List.of("c", "d"))), true, tag), BACKENDS);
    }

    private static String[] split(ShardLayout layout, String body) {
        ShardSplitter split = new ShardSplitter(layout, "mydb", null);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        LineScanner.scan(bytes, 0, bytes.length, 42, Precision.NANOSECONDS, split);
        String[] parts = new String[layout.size()];
        for (int i = 0; i < parts.length; i++) {
            LineRanges part = split.lines(i);
            parts[i] = part == null ? "" : new String(part.bytes(), StandardCharsets.UTF_8);
        }
        return parts;
    }

    @Test
    void partsHoldTheirLinesInOrderWhetherForwardedAsSentOrRewritten() {
        ShardLayout layout = layout(null);
        StringBuilder body = new StringBuilder();
        StringBuilder[] expected = {new StringBuilder(), new StringBuilder()};
        for (int i = 0; i < 3000; i++) {
            String measurement = "m" + (i % 7);
            // every third line without a timestamp: stamped into the scan's own growing copy
            String line = measurement + ",host=h v=" + i + (i % 3 == 0 ? "" : " " + (1000 + i));
            body.append(i % 5 == 0 ? "  " : "").append(line).append(i % 11 == 0 ? "\r\n" : "\n");
            expected[layout.shardOf("mydb", measurement)].append(line).append(i % 3 == 0 ? " 42" : "").append('\n');
        }
        body.setLength(body.length() - 1); // the last line without its '\n'
        String[] parts = split(layout, body.toString());
        assertThat(parts[0]).isEqualTo(expected[0].toString());
        assertThat(parts[1]).isEqualTo(expected[1].toString());
    }

    @Test
    void everyLineGoesWholeToTheShardOfItsMeasurement() {
        ShardLayout layout = layout(null);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append("m").append(i).append(",host=h v=").append(i).append(" ").append(1000 + i).append('\n');
        }
        body.append("m7 s=\"two\nlines, and \\\"quotes\\\"\"\n"); // a string field with a newline, stamped
        String[] parts = split(layout, body.toString());
        assertThat(parts[0]).isNotEmpty();
        assertThat(parts[1]).isNotEmpty();
        for (int shard = 0; shard < 2; shard++) {
            for (String line : parts[shard].split("\n(?=m)")) {
                String measurement = line.substring(0, line.indexOf(line.startsWith("m7 ") ? ' ' : ','));
                assertThat(layout.shardOf("mydb", measurement)).as(line).isEqualTo(shard);
            }
        }
        int shardOf7 = layout.shardOf("mydb", "m7");
        assertThat(parts[shardOf7]).contains("m7 s=\"two\nlines, and \\\"quotes\\\"\" 42\n");
        assertThat(parts[0].length() + parts[1].length()).isEqualTo(body.length() + " 42".length());
    }

    @Test
    void escapedMeasurementsGoWhereTheirQueriedNameGoes() {
        ShardLayout layout = layout(null);
        String[] parts = split(layout, "cpu\\ load\\,x,host=a v=1 1\n");
        assertThat(parts[layout.shardOf("mydb", "cpu load,x")]).isEqualTo("cpu\\ load\\,x,host=a v=1 1\n");
    }

    @Test
    void aTagKeySpreadsOneMeasurementByTheTagsValue() {
        ShardLayout layout = layout("host");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            body.append("cpu,host=h").append(i).append(",zone=z v=1 ").append(i + 1).append('\n');
            // an escaped measurement and no timestamp: the line is stamped into the scan's own copy
            body.append("c\\ pu,zone=z,host=h").append(i).append(" v=2\n");
        }
        String[] parts = split(layout, body.toString());
        assertThat(parts[0]).isNotEmpty();
        assertThat(parts[1]).isNotEmpty();
        assertThat(parts[layout.shardOf("mydb", "cpu", "h5")]).contains("cpu,host=h5,zone=z v=1 6\n");
        for (int i = 0; i < 100; i++) {
            assertThat(parts[layout.shardOf("mydb", "c pu", "h" + i)]).contains("c\\ pu,zone=z,host=h" + i + " v=2 42\n");
        }
    }

    @Test
    void duringARebalanceAKeyOnTheMoveIsWrittenToItsOldShardToo() {
        // s2 was added; s1 held everything before
        ShardLayout layout = new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of("a", "b")),
                new ShardConfig.Shard("s2", List.of("c", "d"))), true, null, List.of("s1")), BACKENDS);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            body.append("m").append(i).append(" v=1 1\n");
        }
        String[] parts = split(layout, body.toString());
        assertThat(parts[0]).isEqualTo(body.toString()); // the old shard still gets every key
        assertThat(parts[1]).isNotEmpty();
        for (String line : parts[1].split("\n")) {
            String m = line.substring(0, line.indexOf(' '));
            assertThat(layout.shardOf("mydb", m, null)).isEqualTo(1);
            assertThat(layout.readShardOf("mydb", m)).as("read from the shard that holds it whole").isZero();
        }
        assertThat(layout.wholeShards()).containsExactly(0);
    }

    @Test
    void theSharedCacheRoutesEveryLineAsTheRingDoes() {
        ShardLayout layout = layout(null);
        ShardCache cache = new ShardCache();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            body.append("m").append(i % 37).append(",host=h v=").append(i).append(' ').append(1 + i).append('\n');
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String[] uncached = split(layout, body.toString());
        for (int round = 0; round < 2; round++) { // the second round is served from the cache
            ShardSplitter split = new ShardSplitter(layout, "mydb", null, cache);
            LineScanner.scan(bytes, 0, bytes.length, 42, Precision.NANOSECONDS, split);
            for (int shard = 0; shard < 2; shard++) {
                assertThat(new String(split.lines(shard).bytes(), StandardCharsets.UTF_8)).isEqualTo(uncached[shard]);
            }
        }
        // another database is another key
        ShardSplitter other = new ShardSplitter(layout, "otherdb", null, cache);
        LineScanner.scan(bytes, 0, bytes.length, 42, Precision.NANOSECONDS, other);
        for (int i = 0; i < 37; i++) {
            String line = "m" + i + ",host=h v=" + i + " " + (1 + i) + "\n";
            int shard = layout.shardOf("otherdb", "m" + i);
            assertThat(new String(other.lines(shard).bytes(), StandardCharsets.UTF_8)).contains(line);
        }
    }
}
