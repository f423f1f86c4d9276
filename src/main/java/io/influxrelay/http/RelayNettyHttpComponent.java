package io.influxrelay.http;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.component.netty.http.HttpServerBootstrapFactory;
import org.apache.camel.component.netty.http.NettyHttpComponent;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * camel-netty-http, with the relay's server pipeline ({@link RelayHttpServer}): the component builds
 * its listeners' pipeline itself and ignores a configured serverInitializerFactory, so this is where
 * the pipeline can be chosen. One listener per address, shared by the routes on it, as in the original,
 * on the relay's event loops.
 */
public final class RelayNettyHttpComponent extends NettyHttpComponent {
    private final Map<String, HttpServerBootstrapFactory> listeners = new ConcurrentHashMap<>();
    private final ListenerLimits limits;
    private final ListenerMetrics metrics;
    private final ListenerTls tls;
    private final EventLoopGroup loops;

    /**
     * @param loops the event loops the listener's connections live on, shared with the backends' ({@link EventLoops})
     * @param tls   the listener's SSLContext (relay.http.tls.*, made by Camel's SSLContextParameters); null: plain HTTP
     * @param only  plain HTTP is refused (relay.http.tls.only)
     */
    public RelayNettyHttpComponent(ListenerLimits limits, ListenerMetrics metrics, EventLoopGroup loops,
                                   javax.net.ssl.SSLContext tls, boolean only) {
        this.limits = limits;
        this.metrics = metrics;
        this.loops = loops;
        this.tls = tls == null ? null : new ListenerTls(tls, only, metrics);
    }

    @Override
    protected HttpServerBootstrapFactory getOrCreateHttpNettyServerBootstrapFactory(NettyHttpConsumer consumer) {
        // every consumer's, as a listener shared by routes must be configured alike (a reloaded route's too);
        // not shut down with the listener: not its own
        consumer.getConfiguration().setWorkerGroup(loops);
        return listeners.computeIfAbsent(consumer.getConfiguration().getAddress(), address -> {
            HttpServerBootstrapFactory factory =
                    new HttpServerBootstrapFactory(getMultiplexChannelHandler(consumer.getConfiguration().getPort()));
            factory.init(getCamelContext(), consumer.getConfiguration(), new RelayHttpServer(consumer, limits, metrics, tls));
            return factory;
        });
    }
}
