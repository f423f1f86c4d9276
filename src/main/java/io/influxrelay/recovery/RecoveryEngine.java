package io.influxrelay.recovery;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the beans of routes/recovery.yaml (routes "resync" and "check"). The target's /write goes
 * through camel-http with the relay's per-backend client {@code backendClient-<name>}, bound elsewhere.
 * Reads from InfluxDB use the engine's own client, stopped with the context.
 */
public final class RecoveryEngine {
    /** The time span of one resync chunk (a step: one source query, one unit of progress). */
    public static final String CHUNK_PROPERTY = "relay.resync.chunk";
    public static final String DEFAULT_CHUNK = "1h";

    private RecoveryEngine() {
    }

    /** @param maxPointsPerSecond the most points per second one resync writes; 0: no limit */
    public static void bind(CamelContext context, long maxPointsPerSecond) {
        bind(context, maxPointsPerSecond, new InfluxHttp());
    }

    /** @param http the engine's reads from the backends, with their TLS */
    public static void bind(CamelContext context, long maxPointsPerSecond, InfluxHttp http) {
        long chunkNs = InfluxQl.goDurationNanos(context.getPropertiesComponent().resolveProperty(CHUNK_PROPERTY)
                .orElse(DEFAULT_CHUNK).trim());
        if (chunkNs <= 0) {
            throw new IllegalArgumentException(CHUNK_PROPERTY + " must be longer than zero");
        }
        InfluxSchema schema = new InfluxSchema(http);
        PointPacer pacer = new PointPacer(maxPointsPerSecond);
        BatchWrite write = new BatchWrite(pacer);
        JobOutcome outcome = new JobOutcome();
        Registry registry = context.getRegistry();
        registry.bind("resyncPrepare", new ResyncPreparation(schema, chunkNs));
        registry.bind("resyncChunkRead", new ChunkReader(http, schema, pacer));
        registry.bind("resyncBatchRequest", write.request());
        registry.bind("resyncBatchAnswer", write.answer());
        registry.bind("resyncChunkDone", (org.apache.camel.Processor) e ->
                e.getProperty(RecoveryJob.PROPERTY, RecoveryJob.class).stepDone());
        registry.bind("checkPlan", new CheckPlan(schema));
        registry.bind("checkWindows", new WindowComparison(http, schema));
        registry.bind("recoveryJobDone", outcome.done());
        registry.bind("recoveryJobFailed", outcome.failed());
        try {
            context.addService(http, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the recovery engine's InfluxDB client", e);
        }
    }
}
