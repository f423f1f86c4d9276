package io.influxrelay.buffer;

import io.influxrelay.backend.BackendPing;
import io.influxrelay.backend.BackendRequest;
import io.influxrelay.backend.MissingDatabases;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.health.BackendStates;
import io.influxrelay.log.LogText;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ShutdownRunningTask;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The replay side of every backend's retry buffer: one seda consumer per backend takes the oldest
 * write, merges the writes behind it that go to the same target into a batch, and sends it with
 * Camel's redelivery policy (500 ms, doubling, up to the backend's max-delay-interval) until it is
 * accepted. Holding the single consumer during the back-off keeps the order. A batch the backend
 * refuses is split, and a write it keeps refusing goes to the dead-letter directory.
 */
public final class BufferRoutes extends RouteBuilder {
    static final String BATCH = "relay.batch";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BufferRoutes.class);

    private final RetryBuffers buffers;
    private final BackendStates states;
    private final DeadLetters deadLetters;
    private final int maxAttempts;
    private final boolean autoCreateDatabase;
    private ProducerTemplate producer;

    public BufferRoutes(RetryBuffers buffers, BackendStates states, DeadLetters deadLetters, int maxAttempts,
                        boolean autoCreateDatabase) {
        this.buffers = buffers;
        this.states = states;
        this.deadLetters = deadLetters;
        this.maxAttempts = maxAttempts;
        this.autoCreateDatabase = autoCreateDatabase;
    }

    @Override
    public void configure() {
        producer = getContext().createProducerTemplate();
        buffers.connect(producer, deadLetters);
        for (BackendConfig backend : buffers.backends()) {
            BackendBuffer buffer = buffers.of(backend.name());
            String name = backend.name();
            String replay = "direct:replay-" + name;
            ReplayBackoff backoff = bindBackoff(name, backend);
            MissingDatabases missing = autoCreateDatabase ? new MissingDatabases(backend) : null;
            getContext().getRegistry().bind("bufferQueue-" + name, buffer.queue());

            from(buffer.endpointUri() + "&concurrentConsumers=1&pollTimeout=1000").routeId("buffer-" + name)
                    // on shutdown, finish the batch at hand only: what is still queued is saved by RetryBuffers
                    .shutdownRunningTask(ShutdownRunningTask.CompleteCurrentTaskOnly)
                    .process(e -> e.setProperty(BATCH, buffer.batchFrom(e.getIn().getBody(BufferedWrite.class))))
                    .doTry()
                        .to(replay)
                        .process(e -> buffer.replayed(batch(e)))
                        .process(e -> backoff.reset())
                        .process(e -> states.of(name).answered())
                    .doCatch(HttpOperationFailedException.class)
                        .process(e -> refused(buffer, replay, missing, e))
                        .process(e -> backoff.reset())
                    .doCatch(Exception.class) // only when the relay stops: transport failures are retried until then
                        .process(e -> buffer.strand(batch(e)))
                    .end();

            from(replay).routeId("replay-" + name)
                    .onException(Exception.class)
                        .retryWhile(new ReplayRetry(new BackendPing(backend), states.of(name), maxAttempts, backoff))
                        .redeliveryPolicyRef("replayPolicy-" + name)
                        .onRedelivery(e -> buffer.retried())
                    .end()
                    .process(e -> prepareRequest(backend, e))
                    .choice()
                        .when(e -> batch(e).head().statements())
                            .to(BackendRequest.post(backend, "/query", true))
                            // InfluxDB answers a statement it refuses with 200 and the error in its results
                            .process(BufferRoutes::statementErrorIsRefusal)
                        .when(e -> batch(e).head().kind() == BufferedWrite.Kind.PROMETHEUS)
                            .to(BackendRequest.post(backend, BufferedWrite.Kind.PROMETHEUS.path(), true))
                        .otherwise()
                            .to(BackendRequest.post(backend, "/write", true))
                    .end();
        }
    }

    /** The replay's back-off ({@link ReplayBackoff}), bound for the route's redelivery policy. */
    private ReplayBackoff bindBackoff(String name, BackendConfig backend) {
        ReplayBackoff backoff = new ReplayBackoff(states.of(name), getContext(), backend.maxDelay());
        backoff.setLogRetryAttempted(false);
        backoff.setLogExhausted(false);
        backoff.setLogStackTrace(false);
        getContext().getRegistry().bind("replayPolicy-" + name, backoff);
        return backoff;
    }

    private static ReplayBatch batch(Exchange e) {
        return e.getProperty(BATCH, ReplayBatch.class);
    }

    private static void prepareRequest(BackendConfig backend, Exchange exchange) {
        ReplayBatch batch = batch(exchange);
        BufferedWrite head = batch.head();
        BackendRequest.headers(exchange.getIn(), backend, head.query(), head.authorization(), head.kind());
        exchange.getIn().setBody(batch.body());
    }

    private static void statementErrorIsRefusal(Exchange exchange) throws HttpOperationFailedException {
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && body.contains("\"error\":")) {
            throw new HttpOperationFailedException("/query", 400, "statement refused", null, null, body);
        }
    }

    /**
     * The backend refused the batch: when for a database it lacks (auto-create-database), that database
     * is made and the batch sent again; else its writes are replayed one by one, and those it still
     * refuses dead-lettered.
     */
    private void refused(BackendBuffer buffer, String replay, MissingDatabases missing, Exchange exchange) {
        ReplayBatch batch = batch(exchange);
        HttpOperationFailedException why = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, HttpOperationFailedException.class);
        if (missing != null && why != null && batch.head().kind() != BufferedWrite.Kind.STATEMENTS
                && MissingDatabases.missingDatabase(why.getStatusCode(), why.getResponseBody())
                && missing.createFor(batch.head().query(), batch.head().authorization())
                && producer.send(replay, e -> e.setProperty(BATCH, batch)).getException() == null) {
            buffer.replayed(batch);
            return;
        }
        if (batch.writes().size() == 1) {
            deadLetter(buffer, batch.head(), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
            return;
        }
        for (ReplayBatch part : batch.split()) {
            Exchange sent = producer.send(replay, e -> e.setProperty(BATCH, part));
            if (sent.getException() == null) {
                buffer.replayed(part);
            } else {
                deadLetter(buffer, part.head(), sent.getException());
            }
        }
    }

    private void deadLetter(BackendBuffer buffer, BufferedWrite write, Exception why) {
        deadLetter(buffer, write, why instanceof HttpOperationFailedException h
                ? h.getStatusCode() + " " + (h.getResponseBody() == null ? "" : h.getResponseBody().trim())
                : String.valueOf(why));
    }

    private void deadLetter(BackendBuffer buffer, BufferedWrite write, String reason) {
        java.nio.file.Path file = deadLetters.write(buffer.backend(), write, reason);
        buffer.deadLettered(write);
        buffers.lost().lost(buffer.backend(), write, "dead letter");
        if (file != null) {
            LOG.warn("backend {} refused a buffered write ({}): moved to {}", buffer.backend(), LogText.escape(reason), file);
        }
    }
}
