package io.influxrelay.buffer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ByteBoundedQueueTest {
    private final CamelContext camel = new DefaultCamelContext();

    private Exchange exchange(BufferedWrite w) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(w);
        return e;
    }

    private static BufferedWrite write(String query, String lines) {
        return new BufferedWrite(query, null, lines.getBytes(StandardCharsets.UTF_8), System.nanoTime());
    }

    @Test
    void theBoundIsInBytesAndCoversWritesUntilTheyAreReleased() throws Exception {
        BufferedWrite w = write("db=x", "m v=1 1\n");
        ByteBoundedQueue q = new ByteBoundedQueue(2 * w.footprint());
        assertThat(q.offer(exchange(w))).isTrue();
        assertThat(q.offer(exchange(w))).isTrue();
        assertThat(q.offer(exchange(w))).as("full").isFalse();
        assertThat(q.pending()).isEqualTo(2);

        Exchange taken = q.poll(10, TimeUnit.MILLISECONDS);
        assertThat(taken).isNotNull();
        assertThat(q.offer(exchange(w))).as("a write being replayed still holds its bytes").isFalse();
        q.release(List.of(ByteBoundedQueue.write(taken)));
        assertThat(q.offer(exchange(w))).isTrue();
        assertThat(q.bytes()).isEqualTo(2 * w.footprint());
    }

    @Test
    void onlyWritesToTheSameTargetAreMergedAndOnlyUpToTheBatchSize() {
        ByteBoundedQueue q = new ByteBoundedQueue(1 << 20);
        BufferedWrite head = write("db=x", "a v=1 1\n");
        q.offer(exchange(write("db=x", "b v=1 1\n")));
        q.offer(exchange(write("db=y", "c v=1 1\n")));
        assertThat(q.pollMergeable(head, 100)).isNotNull();
        assertThat(q.pollMergeable(head, 100)).as("another database stops the batch").isNull();
        assertThat(q.size()).isEqualTo(1);

        q.poll();
        q.offer(exchange(write("db=x", "d v=1 1\n")));
        assertThat(q.pollMergeable(head, 3)).as("no room left in the batch").isNull();
    }

    @Test
    void aBatchBodyIsItsWritesInOrderEachOnItsOwnLines() {
        ReplayBatch batch = new ReplayBatch(write("db=x", "a v=1 1\n"));
        batch.add(write("db=x", "b v=1 2"));
        batch.add(write("db=x", "c v=1 3\n"));
        assertThat(new String(batch.body(), StandardCharsets.UTF_8)).isEqualTo("a v=1 1\nb v=1 2\nc v=1 3\n");
        assertThat(batch.split()).hasSize(3);
    }

    @Test
    void deadLetterFilesKeepTheQueryButNotTheCredentials() {
        assertThat(DeadLetters.withoutCredentials("db=x&u=alice&rp=r&p=secret&precision=s"))
                .isEqualTo("db=x&rp=r&precision=s");
    }
}
