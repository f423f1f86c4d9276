package io.influxrelay.recovery;

import io.influxrelay.config.BackendConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes' own promise, whatever fails inside them: the job ends FAILED with the cause's message
 * (not Camel's wrapping), the caller's exchange ends without an exception, and a failure while the split
 * pulls the next batch from the source counts too. The steps that talk to InfluxDB are stand-ins here;
 * ResyncEngineIT runs the real ones.
 */
class RecoveryRoutesTest {
    private static final BackendConfig A = new BackendConfig("a", URI.create("http://127.0.0.1:1"), null, Duration.ofSeconds(1),
            0, 1024, Duration.ofSeconds(1), null, 0);

    private CamelContext camel;

    /** The routes with the engine's beans, but a plan of three chunks and this chunk reader: no InfluxDB. */
    private void start(Processor chunkRead) throws Exception {
        camel = new DefaultCamelContext();
        RecoveryEngine.bind(camel, 0);
        bind("resyncPrepare", e -> e.getMessage().setBody(List.of(
                new ResyncChunk("autogen", "m", 0, 1), new ResyncChunk("autogen", "m", 1, 2), new ResyncChunk("autogen", "m", 2, 3))));
        bind("resyncChunkRead", chunkRead);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel,
                "file:" + Path.of("routes/recovery.yaml").toAbsolutePath()));
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.close();
        }
    }

    /** In place of the engine's bean: the registry keeps one bean per name and type, so the other goes first. */
    private void bind(String name, Processor processor) {
        camel.getRegistry().unbind(name);
        camel.getRegistry().bind(name, processor);
    }

    private ResyncJob run() {
        ResyncJob job = new ResyncJob("resync-1", A, A, new RangeSpec("db", null, 0, 3, List.of()));
        org.apache.camel.Exchange done = camel.createProducerTemplate().send("direct:resync", e -> e.setProperty(RecoveryJob.PROPERTY, job));
        assertThat(done.getException()).isNull();
        return job;
    }

    @Test
    void chunksWithoutPointsEndDoneWithEveryStepCounted() throws Exception {
        start(e -> e.getMessage().setBody(ChunkBatches.none()));
        ResyncJob job = run();
        assertThat(job.state()).isEqualTo(RecoveryJob.State.DONE);
        assertThat(job.stepsDone()).isEqualTo(3);
        assertThat(job.toJson()).contains("\"state\":\"done\"", "\"result\":{\"points\":0");
    }

    @Test
    void aSourceFailingWhileTheSplitPullsBatchesFailsTheJobWithItsMessage() throws Exception {
        start(e -> e.getMessage().setBody(new Iterator<LineBatch>() {
            @Override
            public boolean hasNext() {
                throw new RecoveryException("reading a failed: SocketTimeoutException Read timed out");
            }

            @Override
            public LineBatch next() {
                throw new AssertionError();
            }
        }));
        ResyncJob job = run();
        assertThat(job.state()).isEqualTo(RecoveryJob.State.FAILED);
        assertThat(job.error()).isEqualTo("reading a failed: SocketTimeoutException Read timed out");
        assertThat(job.stepsDone()).isZero();
    }

    @Test
    void anyOtherExceptionFailsTheJobWithTheInnermostCause() throws Exception {
        start(e -> {
            throw new IllegalStateException("outer", new java.io.IOException("disk on fire"));
        });
        ResyncJob job = run();
        assertThat(job.state()).isEqualTo(RecoveryJob.State.FAILED);
        assertThat(job.error()).isEqualTo("IOException: disk on fire");
    }

    @Test
    void aCancelStopsTheJobAtTheNextChunk() throws Exception {
        ResyncJob[] running = new ResyncJob[1];
        start(e -> {
            running[0] = e.getProperty(RecoveryJob.PROPERTY, ResyncJob.class);
            running[0].throwIfCancelled();
            running[0].cancel(); // as the relay would, from another thread, while the first chunk runs
            e.getMessage().setBody(ChunkBatches.none());
        });
        ResyncJob job = run();
        assertThat(job.state()).isEqualTo(RecoveryJob.State.FAILED);
        assertThat(job.error()).isEqualTo("cancelled");
        assertThat(job.stepsDone()).isEqualTo(1);
        assertThat(job.toJson()).contains("\"error\":\"cancelled\"", "\"result\":null");
    }
}
