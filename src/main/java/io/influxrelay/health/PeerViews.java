package io.influxrelay.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the other relays (relay.peers) say of each backend. Behind a balancer, every relay buffers
 * the writes it took for a backend that was down: a backend this relay has caught up may still be owed
 * writes by a peer. A read goes to a backend only when no peer says it is behind (its own
 * /health/backend/NAME, which answers from that relay's view alone, so two relays never wait on each
 * other). A peer that does not answer has no say: it holds no buffer it could replay.
 */
public final class PeerViews {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final List<URI> peers;
    private final Map<String, Set<URI>> behindAt = new ConcurrentHashMap<>();
    private final Set<URI> inFlight = ConcurrentHashMap.newKeySet();

    public PeerViews(List<URI> peers) {
        this.peers = List.copyOf(peers);
    }

    /** True unless a peer that answered says this backend lacks writes it acknowledged. */
    public boolean caughtUpAtPeers(String backend) {
        Set<URI> behind = behindAt.get(backend);
        return behind == null || behind.isEmpty();
    }

    /** The peers that say this backend is behind. */
    public Set<URI> behindAt(String backend) {
        return Set.copyOf(behindAt.getOrDefault(backend, Set.of()));
    }

    /** Asks every peer about every backend, without waiting; a peer still silent from last time is skipped. */
    void probe(Iterable<BackendHealth> backends) {
        for (URI peer : peers) {
            for (BackendHealth backend : backends) {
                URI check = peer.resolve("/health/backend/" + backend.name());
                if (!inFlight.add(check)) {
                    continue;
                }
                CLIENT.sendAsync(HttpRequest.newBuilder(check).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((answer, failure) -> {
                            inFlight.remove(check);
                            Set<URI> behind = behindAt.computeIfAbsent(backend.name(), k -> ConcurrentHashMap.newKeySet());
                            if (failure == null && answer.statusCode() == 503) {
                                behind.add(peer);
                            } else {
                                behind.remove(peer); // caught up there, or no say (no answer, unknown backend)
                            }
                        });
            }
        }
    }
}
