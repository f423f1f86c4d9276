package io.influxrelay.health;

import io.influxrelay.buffer.BackendBuffer;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.fanout.Consistency;
import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.Json;
import io.influxrelay.metrics.RelayMetrics;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * GET /metrics, /status, /health and /health/backend/NAME: what operators and load balancers read.
 * Bean methods for routes/http.yaml.
 */
public final class MonitoringEndpoints {
    private static final String BACKEND_PREFIX = "/health/backend/";

    private final BackendStates states;
    private final RetryBuffers buffers;
    private final RelayMetrics metrics;
    private final Consistency consistency;
    private final java.util.function.Supplier<String> runningJobs;
    private final java.util.function.Supplier<String> shards;

    public MonitoringEndpoints(BackendStates states, RetryBuffers buffers, RelayMetrics metrics, Consistency consistency) {
        this(states, buffers, metrics, consistency, () -> "[]");
    }

    public MonitoringEndpoints(BackendStates states, RetryBuffers buffers, RelayMetrics metrics, Consistency consistency,
                               java.util.function.Supplier<String> runningJobs) {
        this(states, buffers, metrics, consistency, runningJobs, () -> "[]");
    }

    /**
     * {@code runningJobs}: the checks and resyncs in progress; {@code shards}: each shard's backends and
     * what was routed to it; both JSON arrays for /status.
     */
    public MonitoringEndpoints(BackendStates states, RetryBuffers buffers, RelayMetrics metrics, Consistency consistency,
                               java.util.function.Supplier<String> runningJobs, java.util.function.Supplier<String> shards) {
        this.runningJobs = runningJobs;
        this.shards = shards;
        this.states = states;
        this.buffers = buffers;
        this.metrics = metrics;
        this.consistency = consistency;
    }

    public void metrics(Exchange exchange) {
        InfluxResponses.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
    }

    /** 200 when the relay can take writes: a backend is up, or (consistency any) a buffer has room. */
    public void health(Exchange exchange) {
        // a backend that misses old data still takes new writes
        long up = states.all().stream().filter(h -> h.state() == BackendHealth.State.UP
                || h.state() == BackendHealth.State.MISSING_DATA).count();
        boolean bufferRoom = consistency == Consistency.ANY
                && states.all().stream().anyMatch(h -> h.buffer() != null && h.buffer().getProblem() == null
                        && h.buffer().getBufferedBytes() < h.buffer().getCapacityBytes());
        boolean ok = up > 0 || bufferRoom;
        String message = up > 0 ? up + " of " + states.all().size() + " backends up"
                : bufferRoom ? "no backend up; writes are queued in the retry buffers (consistency any)"
                : "no backend up: writes would fail";
        StringJoiner backends = new StringJoiner(",", "{", "}");
        states.all().forEach(h -> backends.add(Json.quote(h.name()) + ":" + Json.quote(state(h))));
        // a buffer that cannot take writes: the relay serves, but what its backend misses is lost for it
        StringJoiner problems = new StringJoiner(",", ",\"bufferProblems\":{", "}").setEmptyValue("");
        buffers.all().forEach(buffer -> {
            String problem = buffer.getProblem();
            if (problem != null) {
                problems.add(Json.quote(buffer.backend()) + ":" + Json.quote(problem));
            }
        });
        // name and version as InfluxDB 2.x's /health has them, so its clients' health() reads this too
        InfluxResponses.json(exchange, ok ? 200 : 503, "{\"name\":\"influxdb-relay\",\"version\":"
                + Json.quote(InfluxResponses.VERSION) + ",\"status\":" + Json.quote(ok ? "pass" : "fail")
                + ",\"message\":" + Json.quote(message) + ",\"backends\":" + backends + problems + "}\n");
    }

    /**
     * GET /ready, as InfluxDB 2.x answers it (its clients' ready() call): the relay is up and serving.
     * Whether it can take writes is /health's question.
     */
    public void ready(Exchange exchange) {
        long startMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        java.time.Instant started = java.time.Instant.ofEpochMilli(startMillis);
        java.time.Duration up = java.time.Duration.between(started, java.time.Instant.now());
        InfluxResponses.json(exchange, 200, "{\"status\":\"ready\",\"started\":" + Json.quote(started.toString())
                + ",\"up\":" + Json.quote(goDuration(up)) + "}\n");
    }

    /** A duration as Go prints one (1h2m3.5s), the form 2.x's /ready gives. */
    static String goDuration(java.time.Duration d) {
        StringBuilder b = new StringBuilder();
        if (d.toHours() > 0) {
            b.append(d.toHours()).append('h');
        }
        if (d.toHours() > 0 || d.toMinutesPart() > 0) {
            b.append(d.toMinutesPart()).append('m');
        }
        return b.append(d.toSecondsPart()).append('.').append(String.format("%03d", d.toMillisPart())).append('s').toString();
    }

    /** 200 only when the backend answers /ping and holds every write the relay acknowledged: safe to read from. */
    public void backendHealth(Exchange exchange) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, "", String.class);
        String name = path.startsWith(BACKEND_PREFIX) ? path.substring(BACKEND_PREFIX.length()) : "";
        BackendHealth h = states.of(name);
        if (h == null) {
            InfluxResponses.error(exchange, 404, "unknown backend: " + name);
            return;
        }
        BackendHealth.State state = h.state();
        String why = switch (state) {
            case UP -> "answers /ping and holds every acknowledged write";
            case DOWN -> "does not answer: " + h.lastError();
            case DRAINING -> "answers, but its retry buffer still holds " + h.buffer().getBufferedWrites() + " writes for it";
            case MISSING_DATA -> "answers, but misses data for good until it is repaired: " + h.missingDataDescription();
        };
        InfluxResponses.json(exchange, state == BackendHealth.State.UP ? 200 : 503, "{\"backend\":" + Json.quote(name)
                + ",\"state\":" + Json.quote(state(h)) + ",\"message\":" + Json.quote(why)
                + ",\"missingData\":" + h.missingDataJson() + "}\n");
    }

    public void status(Exchange exchange) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (BackendHealth h : states.all()) {
            StringBuilder b = new StringBuilder("{");
            b.append("\"name\":").append(Json.quote(h.name()))
                    .append(",\"url\":").append(Json.quote(h.url()))
                    .append(",\"state\":").append(Json.quote(state(h)))
                    .append(",\"lastError\":").append(quoteOrNull(h.lastError()))
                    .append(",\"lastErrorTime\":").append(quoteOrNull(h.lastErrorTime()))
                    .append(",\"lastSuccessTime\":").append(quoteOrNull(h.lastSuccessTime()))
                    .append(",\"missingData\":").append(h.missingDataJson());
            BackendBuffer buffer = buffers.of(h.name());
            if (buffer == null) {
                b.append(",\"buffer\":null");
            } else {
                b.append(",\"buffer\":{")
                        .append("\"store\":").append(Json.quote(buffer.getStore()))
                        .append(",\"problem\":").append(quoteOrNull(buffer.getProblem()))
                        .append(",\"bytes\":").append(buffer.getBufferedBytes())
                        .append(",\"capacityBytes\":").append(buffer.getCapacityBytes())
                        .append(",\"writes\":").append(buffer.getBufferedWrites())
                        .append(",\"oldestAgeSeconds\":").append(String.format(Locale.ROOT, "%.3f", buffer.getOldestAgeSeconds()))
                        .append(",\"acceptedWrites\":").append(buffer.getAcceptedWrites())
                        .append(",\"batchesReplayed\":").append(buffer.getBatchesReplayed())
                        .append(",\"retries\":").append(buffer.getRetries())
                        .append(",\"droppedWrites\":").append(buffer.getDroppedWrites())
                        .append(",\"droppedBytes\":").append(buffer.getDroppedBytes())
                        .append(",\"deadLetters\":").append(buffer.getDeadLetters())
                        .append(",\"expiredWrites\":").append(buffer.getExpiredWrites())
                        .append('}');
            }
            list.add(b.append('}'));
        }
        InfluxResponses.json(exchange, 200, "{\"backends\":" + list + ",\"shards\":" + shards.get()
                + ",\"recoveryJobs\":" + runningJobs.get() + "}\n");
    }

    private static String state(BackendHealth h) {
        return h.state().label();
    }

    private static String quoteOrNull(Object value) {
        return value == null ? "null" : Json.quote(value instanceof Instant i ? i.toString() : value.toString());
    }
}
