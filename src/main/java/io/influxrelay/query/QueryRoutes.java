package io.influxrelay.query;

import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.health.BackendStates;
import io.influxrelay.health.PeerViews;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;
import java.util.Map;

/**
 * The /query routes per backend, built from the configuration (routes/query.yaml calls them):
 * {@code direct:read-<name>} asks one backend a read (the YAML's load balancer picks the backend),
 * {@code direct:statement-<name>} runs statements that change state on one backend,
 * {@code direct:prom-read-<name>} asks one backend a Prometheus remote read (routes/prometheus.yaml).
 */
public final class QueryRoutes extends RouteBuilder {
    private final RelayConfig config;
    private final BackendStates states;
    private final PeerViews peers;
    private final RetryBuffers buffers;
    private final QueryMetrics metrics;

    public QueryRoutes(RelayConfig config, BackendStates states, PeerViews peers, RetryBuffers buffers, QueryMetrics metrics) {
        this.config = config;
        this.states = states;
        this.peers = peers;
        this.buffers = buffers;
        this.metrics = metrics;
    }

    /** The recipients of the statement fan-out, in configured order. */
    public static String statementRecipients(List<BackendConfig> backends) {
        return String.join(",", backends.stream().map(b -> "direct:statement-" + b.name()).toList());
    }

    /** The path of InfluxDB's Prometheus remote read, and the headers Prometheus sends with one. */
    public static final String REMOTE_READ = "/api/v1/prom/read";
    private static final Map<String, String> REMOTE_READ_HEADERS = Map.of(
            "Content-Encoding", "snappy", "X-Prometheus-Remote-Read-Version", "0.1.0");

    @Override
    public void configure() {
        for (BackendConfig backend : config.backends()) {
            BackendQuery reads = new BackendQuery(backend, config.queryTimeout());
            from("direct:read-" + backend.name()).routeId("read-" + backend.name())
                    .process(new ReadReplica(reads, states.of(backend.name()), metrics));
            // a Prometheus remote read: a read like any other, to InfluxDB's own remote-read path
            BackendQuery remoteReads = new BackendQuery(backend, config.queryTimeout(), REMOTE_READ, REMOTE_READ_HEADERS);
            from("direct:prom-read-" + backend.name()).routeId("prom-read-" + backend.name())
                    .process(new ReadReplica(remoteReads, states.of(backend.name()), metrics));
            // statements use the backend's write timeout
            BackendQuery statements = new BackendQuery(backend, backend.timeout());
            from("direct:statement-" + backend.name()).routeId("statement-" + backend.name())
                    .process(new StatementOnBackend(statements, buffers.of(backend.name())));
        }
    }

    /** The read's load balancer, for the YAML route: over every backend, in configured order. */
    public CaughtUpReplicas replicas() {
        return new CaughtUpReplicas(config.backends().stream().map(b -> states.of(b.name())).toList(), peers);
    }
}
