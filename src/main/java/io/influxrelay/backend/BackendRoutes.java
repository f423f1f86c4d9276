package io.influxrelay.backend;

import io.influxrelay.buffer.BackendBuffer;
import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.BackendReply;
import io.influxrelay.fanout.WriteOutcome;
import io.influxrelay.health.BackendHealth;
import io.influxrelay.health.BackendStates;
import io.influxrelay.health.FailureCause;
import io.influxrelay.lineprotocol.LineRanges;
import io.influxrelay.fanout.ResponseRulesAggregation;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.write.WriteRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Routes per backend, built from the configuration: {@code direct:backend-<name>} sends the write
 * on to {@code direct:send-<name>}, which posts it to that InfluxDB's /write (a Prometheus remote write
 * to /api/v1/prom/write), unless the backend's
 * retry buffer still owes it older writes. Either way a {@link BackendReply} is left for the response
 * rules. Each backend has its own connections and its own bound on writes in flight, so a hung backend
 * only ever holds its own. A plain-HTTP backend's writes go out on netty's non-blocking client
 * ({@link BackendPost}), on the event loops all backends share ({@link BackendLoops}),
 * bounded by its {@link BackendGate}; an HTTPS backend's on camel-http (its TLS checks, {@link BackendTls}),
 * one thread of the backend's own pool per write in flight (bench/RESULTS.md, third round: the
 * non-blocking client costs less CPU per write). Either way up to {@code MAX_QUEUED} writes wait behind
 * those in flight: a backend that is slower than the others (not down) falls behind by that many without
 * sending them to its retry buffer, whose replay, one batch at a time, cannot catch up with full load
 * (bench/RESULTS.md: without it, 2,422 writes dropped at 1000 points x 16 connections).
 */
public final class BackendRoutes extends RouteBuilder {
    /** Concurrent writes in flight to one backend: its pooled connections (and threads, over HTTPS). */
    static final int MAX_IN_FLIGHT = 64;
    private static final int MAX_QUEUED = 4096;

    private static final String SENT_AT = "relay.sentAt";
    private static final String LINES = "relay.lines";
    /**
     * A direct producer waits up to 30 s for a stopped consumer, on the thread at hand (the fan-out
     * runs on the listener's); with this it fails at once instead.
     */
    private static final String NO_WAIT = "?block=false";

    private final RelayConfig config;
    private final RetryBuffers buffers;
    private final BackendStates states;
    private final RelayMetrics metrics;
    private ExecutorService autoCreate;
    private BackendLoops loops;

    public BackendRoutes(RelayConfig config, RetryBuffers buffers, BackendStates states, RelayMetrics metrics) {
        this.config = config;
        this.buffers = buffers;
        this.states = states;
        this.metrics = metrics;
    }

    public static String endpoint(BackendConfig backend) {
        return "direct:backend-" + backend.name();
    }

    /** The recipients of a fan-out to these backends, in configured order. */
    public static String recipients(java.util.List<BackendConfig> backends) {
        return String.join(",", backends.stream().map(b -> endpoint(b) + NO_WAIT).toList());
    }

    @Override
    public void configure() throws Exception {
        BackendTls.warnInsecure(config.backends());
        if (config.backends().stream().anyMatch(b -> !b.https())) {
            loops = new BackendLoops();
            getContext().addService(loops);
        }
        for (BackendConfig backend : config.backends()) {
            String name = backend.name();
            getContext().getRegistry().bind("backendClient-" + name, new BackendHttpClient(backend, MAX_IN_FLIGHT));

            BackendBuffer buffer = buffers.of(name);
            String send = "direct:send-" + name;

            // no overtaking: while the buffer owes the backend older writes, a new one queues behind them
            from(endpoint(backend)).routeId("backend-" + name)
                    // send-<name> stopped (over JMX, say): the backend missed the write, as if it were down
                    .onException(DirectConsumerNotAvailableException.class).handled(true)
                        .process(e -> transportFailure(name, e))
                    .end()
                    .choice()
                        .when(e -> buffer == null || buffer.idle())
                            .to(send + NO_WAIT)
                        .otherwise()
                            .process(e -> e.setProperty(ResponseRulesAggregation.REPLY, BackendReply.deferred(name)))
                    .end();

            sendRoute(backend, send);
        }
    }

    /**
     * direct:send-&lt;name&gt;: the write posted to the backend and its answer made a {@link BackendReply}.
     * Plain HTTP: netty's non-blocking client, writes in flight bounded by the gate, no thread each;
     * HTTPS: camel-http on the backend's own threads (its TLS checks: BackendTls).
     */
    private void sendRoute(BackendConfig backend, String send) {
        String name = backend.name();
        boolean nonBlocking = !backend.https();
        BackendGate gate = new BackendGate(name, MAX_IN_FLIGHT, MAX_QUEUED);
        ProcessorDefinition<?> route = from(send).routeId("send-" + name)
                .onException(Exception.class).handled(true)
                    .process(e -> transportFailure(name, e))
                    .process(gate::leave)
                .end();
        if (nonBlocking) {
            route.process(gate);
        } else {
            route.threads().executorService(threadsFor(name)).callerRunsWhenRejected(false);
        }
        // one client, and so one connection pool, for the write and its resend below
        BackendPost plain = nonBlocking ? new BackendPost(backend, loops.group(), BackendRoutes::kind) : null;
        post(route.process(e -> prepareRequest(backend, e)), backend, plain);
        if (config.autoCreateDatabase()) {
            MissingDatabases missing = new MissingDatabases(backend);
            // a replica rebuilt empty: its database made, the write sent again; the CREATE DATABASE waits
            // for its answer, so not on netty's threads
            post(route.filter(BackendRoutes::missingDatabase)
                    .threads().executorService(autoCreateThreads()).callerRunsWhenRejected(true)
                    .filter(e -> createDatabase(missing, e))
                        .process(e -> prepareRequest(backend, e)), backend, plain)
                    .end()
                .end();
        }
        route.process(e -> reply(name, e))
                .process(gate::leave);
    }

    /**
     * The step that posts a write to a backend: a plain-HTTP backend's {@link BackendPost} ({@code plain});
     * an HTTPS backend's camel-http endpoint for the write's path (line protocol to /write, a Prometheus
     * remote write to its own).
     */
    private static ProcessorDefinition<?> post(ProcessorDefinition<?> route, BackendConfig backend, BackendPost plain) {
        if (plain != null) {
            return route.process(plain);
        }
        return route.choice()
                .when(BackendRoutes::remoteWrite).to(BackendRequest.post(backend, BufferedWrite.Kind.PROMETHEUS.path(), false))
                .otherwise().to(BackendRequest.post(backend, BufferedWrite.Kind.LINES.path(), false))
                .end();
    }

    private ExecutorService threadsFor(String name) {
        ThreadPoolProfile profile = new ThreadPoolProfile("backend-" + name);
        profile.setPoolSize(MAX_IN_FLIGHT);
        profile.setMaxPoolSize(MAX_IN_FLIGHT);
        profile.setMaxQueueSize(MAX_QUEUED);
        profile.setKeepAliveTime(60L);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return getContext().getExecutorServiceManager().newThreadPool(this, "backend-" + name, profile);
    }

    private ExecutorService autoCreateThreads() {
        if (autoCreate == null) {
            autoCreate = getContext().getExecutorServiceManager().newThreadPool(this, "auto-create-database", 0, 4);
        }
        return autoCreate;
    }

    /** The write was refused for a database the backend lacks. */
    private static boolean missingDatabase(Exchange exchange) {
        Message m = exchange.getMessage();
        if (m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 404 || m.getBody() == null) {
            return false;
        }
        String body = m.getBody(String.class);
        m.setBody(body); // read once here, kept for the reply
        return MissingDatabases.missingDatabase(404, body);
    }

    /** That database is there now. */
    private static boolean createDatabase(MissingDatabases missing, Exchange exchange) {
        WriteRequest write = exchange.getProperty(WriteRequest.PROPERTY, WriteRequest.class);
        return missing.create(write.db(), write.authorization());
    }

    /** The checked lines are the body; the headers are the backend's, and the clock starts. */
    private static void prepareRequest(BackendConfig backend, Exchange exchange) {
        Object lines = exchange.getProperty(LINES);
        if (lines == null) {
            Object body = exchange.getIn().getBody();
            // a shard's part goes as its ranges over plain HTTP (BackendPost), as one array to camel-http
            lines = body instanceof LineRanges part ? (backend.https() ? part.bytes() : part)
                    : exchange.getIn().getBody(byte[].class);
            exchange.setProperty(LINES, lines);
        }
        exchange.getIn().setBody(lines); // sent again, the body is the first answer now
        WriteRequest write = exchange.getProperty(WriteRequest.PROPERTY, WriteRequest.class);
        BackendRequest.headers(exchange.getIn(), backend, write.query(), write.authorization(), kind(exchange));
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    private static boolean remoteWrite(Exchange exchange) {
        return kind(exchange) == BufferedWrite.Kind.PROMETHEUS;
    }

    private static BufferedWrite.Kind kind(Exchange exchange) {
        WriteOutcome outcome = exchange.getProperty(WriteOutcome.PROPERTY, WriteOutcome.class);
        return outcome == null ? BufferedWrite.Kind.LINES : outcome.kind();
    }

    private void reply(String name, Exchange exchange) {
        Message m = exchange.getMessage();
        int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = answerBody(m);
        BackendReply reply = BackendReply.http(name, status, body, m.getHeader(BackendPost.INFLUX_ERROR, String.class));
        exchange.setProperty(ResponseRulesAggregation.REPLY, reply);
        metrics.backendReply(name, status, elapsed(exchange));
        BackendHealth health = states.of(name);
        health.answered();
        if (reply.serverError()) {
            metrics.backendFailure(name, "5xx");
            health.failed(status + " " + (reply.influxError() != null ? reply.influxError() : ""));
        }
    }

    /**
     * The backend's answer as text, null when it has none: InfluxDB's 204 has no body (null from camel-http
     * and {@link BackendPost}), and converting a null body costs Camel a converter search per write.
     */
    private static String answerBody(Message m) {
        if (m.getBody() == null) {
            return null;
        }
        String text = m.getBody(String.class);
        return text == null || text.isEmpty() ? null : text;
    }

    private void transportFailure(String name, Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String cause = FailureCause.of(e);
        // a refused handshake says which key to set (the backend-down log line and /status carry it)
        String tls = BackendTls.explain(name, e);
        String why = tls != null ? tls : describe(e);
        exchange.setProperty(ResponseRulesAggregation.REPLY, BackendReply.transportFailure(name, why));
        metrics.backendReply(name, 0, elapsed(exchange));
        metrics.backendFailure(name, cause);
        if (FailureCause.unreachable(cause)) {
            states.of(name).unreachable(why);
        } else {
            states.of(name).failed(why);
        }
    }

    private static long elapsed(Exchange exchange) {
        Long sentAt = exchange.getProperty(SENT_AT, Long.class);
        return sentAt == null ? 0 : System.nanoTime() - sentAt;
    }

    private static String describe(Exception e) {
        if (e == null) {
            return "no reply";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
