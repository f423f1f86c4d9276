package io.influxrelay.backend;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class BackendGateTest {
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final BackendGate gate = new BackendGate("b", 2, 2);
    /** the exchanges let through, in the order they went on */
    private final List<Exchange> through = new ArrayList<>();

    private Exchange write() {
        Exchange e = new DefaultExchange(context);
        gate.process(e, doneSync -> through.add(e));
        return e;
    }

    @Test
    void writesWithinTheBoundGoOnAtOnceAndTheNextWaitInOrder() {
        Exchange first = write();
        Exchange second = write();
        Exchange third = write();
        Exchange fourth = write();
        assertThat(through).containsExactly(first, second);
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(2);

        gate.leave(second);
        assertThat(through).containsExactly(first, second, third);
        gate.leave(first);
        assertThat(through).containsExactly(first, second, third, fourth);
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isZero();

        gate.leave(third);
        gate.leave(fourth);
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void aWriteBeyondTheQueueFailsAtOnceAsOverloaded() {
        for (int i = 0; i < 4; i++) {
            write();
        }
        Exchange refused = write();
        assertThat(through).hasSize(3).endsWith(refused);
        assertThat(refused.getException()).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("backend b");
        gate.leave(refused); // its failure path leaves too: it held no slot, so nothing changes
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThat(gate.queued()).isEqualTo(2);
    }

    @Test
    void leavingTwiceFreesOneSlot() {
        Exchange first = write();
        write();
        gate.leave(first); // the answer ...
        gate.leave(first); // ... then a failure after it
        assertThat(gate.inFlight()).isEqualTo(1);
    }
}
