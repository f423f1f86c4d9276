package io.influxrelay;

import io.influxrelay.backend.BackendRoutes;
import io.influxrelay.backend.BackendTls;
import io.influxrelay.buffer.BackendBuffer;
import io.influxrelay.buffer.BufferRoutes;
import io.influxrelay.buffer.DeadLetters;
import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.DirectExecutorService;
import io.influxrelay.fanout.ResponseRulesAggregation;
import io.influxrelay.health.BackendHealth;
import io.influxrelay.health.BackendStates;
import io.influxrelay.health.HealthProbe;
import io.influxrelay.health.MonitoringEndpoints;
import io.influxrelay.health.PeerViews;
import io.influxrelay.http.AccessLog;
import io.influxrelay.http.ListenerLimits;
import io.influxrelay.http.ListenerMetrics;
import io.influxrelay.http.RelayNettyHttpComponent;
import io.influxrelay.management.GuardedJolokiaPlugin;
import io.influxrelay.management.JolokiaGuard;
import io.influxrelay.management.RelayOperations;
import io.influxrelay.recovery.AutoRecovery;
import io.influxrelay.recovery.InfluxHttp;
import io.influxrelay.recovery.Rebalance;
import io.influxrelay.recovery.RebalanceState;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.sharding.ShardMetrics;
import io.influxrelay.sharding.ShardPart;
import io.influxrelay.sharding.ShardReadStep;
import io.influxrelay.sharding.ShardReads;
import io.influxrelay.sharding.ShardRouter;
import io.influxrelay.recovery.LedgerFile;
import io.influxrelay.recovery.RecoveryEngine;
import io.influxrelay.recovery.RecoveryJobs;
import io.influxrelay.recovery.RecoveryOperations;
import io.influxrelay.recovery.MissingData;
import io.influxrelay.prometheus.RemoteReadReader;
import io.influxrelay.prometheus.RemoteWriteReader;
import io.influxrelay.query.QueryAnswered;
import io.influxrelay.query.QueryMetrics;
import io.influxrelay.query.QueryRequestReader;
import io.influxrelay.query.QueryRoutes;
import io.influxrelay.query.StatementRules;
import io.influxrelay.udp.UdpRoutes;
import io.influxrelay.metrics.RelayMetrics;
import io.influxrelay.write.AwaitAnswer;
import io.influxrelay.write.V2WriteReader;
import io.influxrelay.write.WriteRequestReader;
import io.influxrelay.write.WriteThrottle;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ManagementStrategy;
import org.apache.camel.spi.Registry;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;

import javax.management.ObjectName;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the Java side into Camel: the beans the YAML routes name (writeReader, responseRules,
 * awaitAnswer, fanoutPool, fanoutBranchPool), the per-backend routes and retry buffers built from the
 * configuration.
 */
public final class RelayBeans implements CamelConfiguration {
    private final RelayConfig config;
    private final Path home;

    public RelayBeans(RelayConfig config, Path home) {
        this.config = config;
        this.home = home;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Registry registry = context.getRegistry();
        RelayMetrics metrics = new RelayMetrics();
        MissingData ledger = new MissingData(config.backends().stream().map(BackendConfig::name).toList(),
                new LedgerFile(ledgerPath()),
                config.recovery().mergeGap().toNanos(), Clock.systemUTC(), metrics.registry());
        RetryBuffers buffers = new RetryBuffers(config.backends(), metrics.registry(), ledger, home);
        BackendStates states = new BackendStates(config.backends(), buffers, ledger);
        Duration longestTimeout = config.backends().stream().map(BackendConfig::timeout)
                .max(Duration::compareTo).orElse(config.timeout());

        registry.bind("relayConfig", config);
        registry.bind("relayMetrics", metrics);
        registry.bind("metricsRegistry", metrics.registry());
        registry.bind("retryBuffers", buffers);
        registry.bind("backendStates", states);
        ShardLayout layout = new ShardLayout(config.sharding(), config.backends());
        RecoveryJobs jobs = recovery(context, ledger, states, layout);
        ShardMetrics shardMetrics = new ShardMetrics(layout, metrics.registry());
        registry.bind("shardLayout", layout);
        registry.bind("shardPart", new ShardPart());
        // without shards a read goes to any caught-up backend, as it always did
        registry.bind("shardReads", layout.sharded() ? new ShardReads(layout) : (org.apache.camel.Processor) e -> { });
        registry.bind("shardReadStep", new ShardReadStep());
        registry.bind("monitoring", new MonitoringEndpoints(states, buffers, metrics, config.consistency(), jobs::runningJson,
                shardMetrics::json));
        AccessLog accessLog = new AccessLog(config.accessLog());
        registry.bind("accessLogBegin", accessLog.beginning());
        // netty-http with the relay's pipeline: whole bodies, answers in order, limits, InfluxDB-shaped refusals
        registry.bind("netty-http", new RelayNettyHttpComponent(new ListenerLimits(config.maxBodyBytes(),
                config.httpReadTimeout(), config.httpIdleTimeout(), config.httpMaxConnections()),
                new ListenerMetrics(metrics.registry()),
                config.httpTls() == null ? null : config.httpTls().parameters().createSSLContext(context),
                config.httpTls() != null && config.httpTls().only()));
        ShardRouter shardRouter = layout.sharded() ? new ShardRouter(layout, buffers, shardMetrics) : null;
        registry.bind("writeReader", new WriteRequestReader(config, buffers, metrics, Clock.systemUTC(), shardRouter));
        registry.bind("writeThrottle", new WriteThrottle(config.maxConcurrentWrites(), metrics));
        registry.bind("v2WriteReader", new V2WriteReader());
        registry.bind("remoteWriteReader", new RemoteWriteReader(config, buffers, metrics, shardRouter));
        registry.bind("remoteReadReader", new RemoteReadReader(layout, config.maxBodyBytes()));
        registry.bind("responseRules", new ResponseRulesAggregation(metrics));
        registry.bind("awaitAnswer", new AwaitAnswer(longestTimeout, metrics));

        // The hand-off from the client's request to the fan-out, and the fan-out's branches: both only
        // pass work on to each backend's own threads, so they run on the thread at hand.
        DirectExecutorService inline = new DirectExecutorService();
        registry.bind("fanoutPool", inline);
        registry.bind("fanoutBranchPool", inline);

        if (config.managementPort() > 0 && config.managementTls() != null) {
            // the management server (camel.management.useGlobalSslContextParameters=true) takes the context's
            context.setSSLContextParameters(config.managementTls().parameters());
        }
        if (config.managementPort() > 0) {
            JolokiaGuard guard = JolokiaGuard.forManagementPort(config.managementHost(), config.managementPort(),
                    allowedOrigins(context));
            // found by the management server before Camel's own Jolokia plugin
            registry.bind(GuardedJolokiaPlugin.NAME, new GuardedJolokiaPlugin(guard));
            context.addStartupListener((ctx, alreadyStarted) -> {
                if (!RelayOperations.mount(ctx, guard)) {
                    org.slf4j.LoggerFactory.getLogger(RelayBeans.class).warn("no management server: /relay operations are off");
                }
            });
        }

        PeerViews peers = new PeerViews(config.peers());
        QueryMetrics queryMetrics = new QueryMetrics(metrics.registry());
        StatementRules statementRules = new StatementRules(buffers, queryMetrics);
        registry.bind("queryReader", new QueryRequestReader());
        registry.bind("statementRules", statementRules);
        registry.bind("statementAnswer", statementRules.answer());
        registry.bind("queryAnswered", new QueryAnswered(queryMetrics));
        QueryRoutes queryRoutes = new QueryRoutes(config, states, peers, buffers, queryMetrics);
        registry.bind("caughtUpReplicas", queryRoutes.replicas());
        // a load balancer holds the processor of the one route it stands in: remote reads get their own
        registry.bind("remoteReadReplicas", queryRoutes.replicas());
        context.addRoutes(queryRoutes);
        context.addRoutes(new BackendRoutes(config, buffers, states, metrics));
        context.addRoutes(new HealthProbe(states, config.healthInterval(), peers));
        context.addRoutes(new UdpRoutes(config, buffers, metrics.registry()));
        DeadLetters deadLetters = new DeadLetters(home.resolve(config.deadLetterDir()).toAbsolutePath().normalize());
        context.addRoutes(new BufferRoutes(buffers, states, deadLetters, config.maxAttempts(), config.autoCreateDatabase()));
        // stopped in reverse order: the buffers save what they hold (and report it lost) before the ledger's last save
        context.addService(ledger);
        context.addService(buffers);
        context.addStartupListener((ctx, alreadyStarted) -> manage(ctx, buffers, states));
    }

    /**
     * Check, resync and automatic recovery: the engine's beans (routes/recovery.yaml), the jobs, the
     * management port's operations (routes/management.yaml).
     */
    private RecoveryJobs recovery(CamelContext context, MissingData ledger, BackendStates states, ShardLayout layout)
            throws Exception {
        // one TLS strategy for the engine's shared pool: each https backend's own CAs
        TlsSocketStrategy backendTls = BackendTls.strategy(config.backends());
        InfluxHttp engineHttp = new InfluxHttp(backendTls);
        RecoveryEngine.bind(context, config.recovery().maxPointsPerSecond(), engineHttp);
        RecoveryJobs jobs = new RecoveryJobs();
        jobs.connect(context.createProducerTemplate());
        Registry registry = context.getRegistry();
        RecoveryOperations operations = new RecoveryOperations(config.backends(), jobs, ledger, config.recovery().checkWindow());
        AutoRecovery autoRecovery = new AutoRecovery(states, ledger, jobs, config.recovery().checkWindow(), layout::replicasOf);
        operations.connect(autoRecovery);
        registry.bind("recoveryOperations", operations);
        registry.bind("autoRecovery", autoRecovery);
        // the rebalance's plan and progress beside the ledger
        InfluxHttp rebalanceHttp = new InfluxHttp(backendTls);
        context.addService(rebalanceHttp);
        Rebalance rebalance = new Rebalance(layout, states, rebalanceHttp,
                new RebalanceState(ledgerPath().resolveSibling("rebalance.json")), jobs);
        rebalance.connect(context.createProducerTemplate());
        registry.bind("rebalance", rebalance);
        // a stopping relay cancels the jobs before it waits for its routes' exchanges: a resync ends at its next chunk
        context.getManagementStrategy().addEventNotifier(new org.apache.camel.support.EventNotifierSupport() {
            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) {
                jobs.cancelRunning();
            }

            @Override
            public boolean isEnabled(org.apache.camel.spi.CamelEvent event) {
                return event instanceof org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
            }
        });
        context.addService(jobs);
        return jobs;
    }

    /** The missing-data ledger's file; the rebalance keeps its state beside it. */
    private java.nio.file.Path ledgerPath() {
        return home.resolve(config.recovery().ledgerFile()).toAbsolutePath().normalize();
    }

    /** relay.management.allow-origin: further origins (Hawtio's) whose pages may call operations. */
    private static java.util.List<String> allowedOrigins(CamelContext context) {
        return context.getPropertiesComponent().resolveProperty("relay.management.allow-origin")
                .map(v -> java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(java.util.List.of());
    }

    /**
     * Each backend's state and buffer as MBeans beside Camel's own:
     * io.influxrelay:type=Backend,name=NAME and io.influxrelay:type=RetryBuffer,backend=NAME.
     */
    private static void manage(CamelContext context, RetryBuffers buffers, BackendStates states) throws Exception {
        ManagementStrategy management = context.getManagementStrategy();
        if (management == null || management.getManagementAgent() == null) {
            return;
        }
        for (BackendBuffer buffer : buffers.all()) {
            management.getManagementAgent().register(buffer,
                    new ObjectName("io.influxrelay:type=RetryBuffer,backend=" + buffer.backend()));
        }
        for (BackendHealth health : states.all()) {
            management.getManagementAgent().register(health,
                    new ObjectName("io.influxrelay:type=Backend,name=" + health.name()));
        }
    }
}
