package io.influxrelay.health;

import io.influxrelay.backend.BackendPing;
import org.apache.camel.builder.RouteBuilder;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pings every backend's /ping every relay.health.interval, so a backend that takes no writes still
 * has a true state, and asks the peer relays what they owe each backend ({@link PeerViews}). Probes are
 * asynchronous: a backend that hangs never delays another's probe.
 */
public final class HealthProbe extends RouteBuilder {
    private final BackendStates states;
    private final Duration interval;
    private final PeerViews peers;
    private final Map<BackendHealth, BackendPing> pings = new ConcurrentHashMap<>();
    private final Set<BackendHealth> inFlight = ConcurrentHashMap.newKeySet();

    public HealthProbe(BackendStates states, Duration interval, PeerViews peers) {
        this.states = states;
        this.interval = interval;
        this.peers = peers;
    }

    @Override
    public void configure() {
        for (BackendHealth h : states.all()) {
            pings.put(h, new BackendPing(h.config()));
        }
        from("timer:health-probe?delay=0&period=" + interval.toMillis()).routeId("health-probe")
                .process(e -> {
                    states.all().forEach(this::probe);
                    peers.probe(states.all());
                });
    }

    private void probe(BackendHealth health) {
        if (!inFlight.add(health)) {
            return; // the last probe is still waiting for its answer
        }
        pings.get(health).probe().whenComplete((error, e) -> {
            inFlight.remove(health);
            if (error == null) {
                health.answered();
            } else {
                health.unreachable(error);
            }
        });
    }
}
