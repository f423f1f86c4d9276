package io.influxrelay.query;

import io.influxrelay.health.BackendHealth;
import io.influxrelay.health.PeerViews;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.processor.loadbalancer.LoadBalancerSupport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The read route's load balancer (routes/query.yaml): its one processor sends the read to the backend
 * named in the exchange property {@link #REPLICA} ({@code toD direct:read-<name>}), which this sets
 * for each attempt. A read goes to a backend that holds every write the relay acknowledged (up, retry buffer empty: the
 * test of /health/backend/NAME, here and at every peer relay), taken in turn; if that one fails before
 * answering, to the next. When
 * none is caught up but some are up, the least behind answers, and the answer says it may lack recent
 * writes. When none is up: 503.
 */
public final class CaughtUpReplicas extends LoadBalancerSupport {
    /** Response header on an answer from a backend that may lack recent writes. */
    static final String BEHIND = "X-Relay-Replica-Behind";
    /** Exchange property: the backend the read is sent to on this attempt. */
    public static final String REPLICA = "relay.query.replica";
    /** Exchange property: the names of the backends the read may go to (one shard's); absent: any. */
    public static final String ONLY = "relay.query.only";

    private final List<BackendHealth> backends;
    private final PeerViews peers;
    private final AtomicInteger turn = new AtomicInteger();

    public CaughtUpReplicas(List<BackendHealth> backends, PeerViews peers) {
        this.backends = List.copyOf(backends);
        this.peers = peers;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        @SuppressWarnings("unchecked")
        java.util.Collection<String> only = exchange.getProperty(ONLY, java.util.Collection.class);
        List<Integer> order = order();
        if (only != null) {
            order = order.stream().filter(i -> only.contains(backends.get(i).name())).toList();
        }
        if (order.isEmpty()) {
            QueryAnswer.unavailable(exchange, "no backend is up to read from");
            callback.done(true);
            return true;
        }
        attempt(exchange, callback, order, 0);
        return false;
    }

    private void attempt(Exchange exchange, AsyncCallback callback, List<Integer> order, int i) {
        int index = order.get(i);
        exchange.setProperty(REPLICA, backends.get(index).name());
        AsyncProcessor read = doGetProcessors()[0];
        read.process(exchange, doneSync -> {
            if (exchange.getException() != null && i + 1 < order.size()) {
                exchange.setException(null);
                attempt(exchange, callback, order, i + 1);
                return;
            }
            if (exchange.getException() != null) {
                exchange.setException(null);
                QueryAnswer.unavailable(exchange, "no backend answered the query: " + order.size() + " tried");
            } else if (!caughtUp(backends.get(index))) {
                exchange.getMessage().setHeader(BEHIND, backends.get(index).name()
                        + " is behind; the answer may lack recent writes");
            }
            callback.done(false);
        });
    }

    private boolean caughtUp(BackendHealth backend) {
        return backend.state() == BackendHealth.State.UP && peers.caughtUpAtPeers(backend.name());
    }

    /** Caught-up backends first, starting with the next in turn; then the least behind; none that is down. */
    private List<Integer> order() {
        List<Integer> caughtUp = new ArrayList<>();
        List<Integer> behind = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            BackendHealth backend = backends.get(i);
            if (caughtUp(backend)) {
                caughtUp.add(i);
            } else if (backend.state() != BackendHealth.State.DOWN) {
                behind.add(i);
            }
        }
        if (!caughtUp.isEmpty()) {
            java.util.Collections.rotate(caughtUp, -Math.floorMod(turn.getAndIncrement(), caughtUp.size()));
        }
        behind.sort(Comparator.comparingLong(i -> backends.get(i).buffer() == null ? 0 : backends.get(i).buffer().getBufferedBytes()));
        caughtUp.addAll(behind);
        return caughtUp;
    }
}
