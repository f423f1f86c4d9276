package io.influxrelay;

import io.influxrelay.backend.BackendRoutes;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.ResponseRulesAggregation;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.write.AwaitAnswer;
import io.influxrelay.write.WriteRequestReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wires the Java side into Camel: the beans the YAML routes name (writeReader, responseRules,
 * awaitAnswer, fanoutPool, fanoutBranchPool) and the per-backend routes built from the configuration.
 */
public final class RelayBeans implements CamelConfiguration {
    private final RelayConfig config;

    public RelayBeans(RelayConfig config) {
        this.config = config;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        RelayMetrics metrics = new RelayMetrics(new SimpleMeterRegistry());
        Duration longestTimeout = config.backends().stream().map(BackendConfig::timeout)
                .max(Duration::compareTo).orElse(config.timeout());

        registry.bind("relayConfig", config);
        registry.bind("relayMetrics", metrics);
        registry.bind("metricsRegistry", metrics.registry());
        registry.bind("writeReader", new WriteRequestReader(config, Clock.systemUTC()));
        registry.bind("responseRules", new ResponseRulesAggregation(metrics));
        registry.bind("awaitAnswer", new AwaitAnswer(longestTimeout, metrics));

        // The hand-off from the client's request to the fan-out, and the fan-out's branches: both only
        // pass work on (each backend has its own threads), so small pools with long queues suffice.
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        registry.bind("fanoutPool", executors.newThreadPool(this, "fanout", pool("fanout", 4, 16)));
        registry.bind("fanoutBranchPool", executors.newThreadPool(this, "fanout-branch", pool("fanout-branch", 4, 16)));

        context.addRoutes(new BackendRoutes(config, metrics));
    }

    private static ThreadPoolProfile pool(String name, int size, int max) {
        ThreadPoolProfile p = new ThreadPoolProfile(name);
        p.setPoolSize(size);
        p.setMaxPoolSize(max);
        p.setMaxQueueSize(100_000);
        p.setKeepAliveTime(60L);
        p.setTimeUnit(TimeUnit.SECONDS);
        p.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return p;
    }
}
