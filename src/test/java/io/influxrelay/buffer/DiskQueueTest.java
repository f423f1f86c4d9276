package io.influxrelay.buffer;

import io.influxrelay.config.DiskBufferConfig;
import io.influxrelay.config.DiskBufferConfig.Fsync;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DiskQueueTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final List<DiskQueue> opened = new ArrayList<>();
    private final List<BufferedWrite> expired = new CopyOnWriteArrayList<>();
    @TempDir
    Path home;

    @AfterEach
    void closeAll() {
        opened.forEach(DiskQueue::close);
    }

    private DiskQueue queue(long capacityBytes, Duration maxAge) {
        DiskQueue q = new DiskQueue("b", home.resolve("buffer/b"),
                new DiskBufferConfig("buffer/b", capacityBytes, maxAge, Fsync.INTERVAL, Duration.ofMillis(100)));
        opened.add(q);
        q.connect(camel, expired::add);
        return q;
    }

    private DiskQueue queue() {
        return queue(1 << 20, Duration.ofDays(7));
    }

    private Exchange exchange(BufferedWrite w) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(w);
        return e;
    }

    private static BufferedWrite write(int i) {
        return new BufferedWrite("db=x&u=me&p=secret", i % 2 == 0 ? "Basic bWU6c2VjcmV0" : null,
                ("m v=" + i + "i " + i + "\n").getBytes(StandardCharsets.UTF_8), System.nanoTime(),
                i % 5 == 4 ? BufferedWrite.Kind.STATEMENTS : i % 7 == 6 ? BufferedWrite.Kind.PROMETHEUS : BufferedWrite.Kind.LINES);
    }

    private static String lines(Exchange e) {
        return new String(BufferQueue.write(e).payload(), StandardCharsets.UTF_8);
    }

    @Test
    void writesComeBackInOrderAfterTheProcessIsGoneAndOnlyReleasedOnesAreForgotten() throws Exception {
        DiskQueue q = queue();
        for (int i = 0; i < 10; i++) {
            assertThat(q.offer(exchange(write(i)))).isTrue();
        }
        Exchange first = q.poll(1, TimeUnit.SECONDS);
        Exchange second = q.poll(1, TimeUnit.SECONDS);
        q.release(List.of(BufferQueue.write(first))); // replayed; the second is still in flight
        assertThat(q.pending()).isEqualTo(9);
        q.close();

        DiskQueue again = queue();
        assertThat(again.pending()).isEqualTo(9);
        List<BufferedWrite> back = new ArrayList<>();
        Exchange e;
        while ((e = again.poll(10, TimeUnit.MILLISECONDS)) != null) {
            back.add(BufferQueue.write(e));
        }
        assertThat(back).hasSize(9);
        assertThat(new String(back.get(0).payload(), StandardCharsets.UTF_8))
                .as("the write in flight at the stop is sent again").isEqualTo(lines(second));
        for (int i = 1; i < 10; i++) {
            BufferedWrite expected = write(i);
            BufferedWrite got = back.get(i - 1);
            assertThat(got.payload()).isEqualTo(expected.payload());
            assertThat(got.query()).isEqualTo(expected.query());
            assertThat(got.authorization()).isEqualTo(expected.authorization());
            assertThat(got.kind()).isEqualTo(expected.kind());
        }
    }

    @Test
    void theBoundCoversWhatIsHeldUntilReleased() throws Exception {
        byte[] one = DiskEntry.encode(write(0), 0);
        DiskQueue q = queue(3L * one.length, Duration.ofDays(7));
        for (int i = 0; i < 3; i++) {
            assertThat(q.offer(exchange(write(0)))).isTrue();
        }
        assertThat(q.offer(exchange(write(0)))).as("full").isFalse();
        assertThat(q.bytes()).isEqualTo(3L * one.length);
        Exchange taken = q.poll(1, TimeUnit.SECONDS);
        assertThat(q.offer(exchange(write(0)))).as("a write in flight still counts").isFalse();
        q.release(List.of(BufferQueue.write(taken)));
        assertThat(q.offer(exchange(write(0)))).isTrue();
    }

    @Test
    void mergeableWritesJoinTheBatchInOrder() throws Exception {
        DiskQueue q = queue();
        BufferedWrite a = new BufferedWrite("db=x", null, "a v=1 1\n".getBytes(StandardCharsets.UTF_8), System.nanoTime());
        BufferedWrite b = new BufferedWrite("db=x", null, "b v=1 1\n".getBytes(StandardCharsets.UTF_8), System.nanoTime());
        BufferedWrite other = new BufferedWrite("db=y", null, "c v=1 1\n".getBytes(StandardCharsets.UTF_8), System.nanoTime());
        Stream.of(a, b, other).forEach(w -> q.offer(exchange(w)));
        BufferedWrite head = BufferQueue.write(q.poll(1, TimeUnit.SECONDS));
        assertThat(q.pollMergeable(head, 1 << 20).payload()).isEqualTo(b.payload());
        assertThat(q.pollMergeable(head, 1 << 20)).as("another database").isNull();
        assertThat(BufferQueue.write(q.poll(1, TimeUnit.SECONDS)).payload()).isEqualTo(other.payload());
    }

    @Test
    void writesOlderThanMaxAgeAreDroppedAndReported() {
        DiskQueue q = queue(1 << 20, Duration.ofMillis(300));
        for (int i = 0; i < 100; i++) {
            q.offer(exchange(write(i)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> expired.size() == 100);
        assertThat(q.pending()).isZero();
        assertThat(q.bytes()).isZero();
        assertThat(expired.get(0).payload()).isEqualTo(write(0).payload());
    }

    @Test
    void aLogTornByACrashLosesOnlyTheTornRecord() throws Exception {
        DiskQueue q = queue();
        for (int i = 0; i < 20; i++) {
            q.offer(exchange(write(i)));
        }
        Path wal; // the records are in the write-ahead log only (too few to flush)
        try (Stream<Path> files = Files.list(home.resolve("buffer/b"))) {
            wal = files.filter(f -> f.toString().endsWith(".log")).max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
        }
        long written = Files.size(wal);
        q.close();
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            f.setLength(written - 10); // a crash in the middle of the last record (and before the clean close)
        }

        DiskQueue again = queue();
        assertThat(again.problem()).isNull();
        assertThat(again.pending()).isEqualTo(19);
        assertThat(lines(again.poll(1, TimeUnit.SECONDS))).isEqualTo("m v=0i 0\n");
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsMovedAsideAndTheBufferStartsEmpty() throws Exception {
        DiskQueue q = queue();
        q.offer(exchange(write(1)));
        q.close();
        Path dir = home.resolve("buffer/b");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path manifest : files.filter(f -> f.getFileName().toString().startsWith("MANIFEST")).toList()) {
                Files.write(manifest, "not a manifest".repeat(100).getBytes(StandardCharsets.UTF_8));
            }
        }

        DiskQueue again = queue();
        assertThat(again.problem()).isNull();
        assertThat(again.pending()).isZero();
        assertThat(again.offer(exchange(write(2)))).isTrue();
        try (Stream<Path> files = Files.list(home.resolve("buffer"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("b.damaged-"));
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeRefusesWritesAndSaysWhyUntilItCan() throws IOException {
        Files.createDirectories(home.resolve("buffer"));
        Files.writeString(home.resolve("buffer/b"), "a file where the directory should be");
        DiskQueue q = queue();
        assertThat(q.problem()).contains("cannot open").contains("buffer/b");
        assertThat(q.offer(exchange(write(1)))).isFalse();

        Files.delete(home.resolve("buffer/b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> q.problem() == null);
        assertThat(q.offer(exchange(write(1)))).isTrue();
    }
}
