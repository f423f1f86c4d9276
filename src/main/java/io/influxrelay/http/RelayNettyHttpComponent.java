package io.influxrelay.http;

import org.apache.camel.component.netty.http.HttpServerBootstrapFactory;
import org.apache.camel.component.netty.http.NettyHttpComponent;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * camel-netty-http, with the relay's server pipeline ({@link RelayHttpServer}): the component builds
 * its listeners' pipeline itself and ignores a configured serverInitializerFactory, so this is where
 * the pipeline can be chosen. One listener per address, shared by the routes on it, as in the original.
 */
public final class RelayNettyHttpComponent extends NettyHttpComponent {
    private final Map<String, HttpServerBootstrapFactory> listeners = new ConcurrentHashMap<>();
    private final ListenerLimits limits;
    private final ListenerMetrics metrics;
    private final ListenerTls tls;

    /**
     * @param tls  the listener's SSLContext (relay.http.tls.*, made by Camel's SSLContextParameters); null: plain HTTP
     * @param only plain HTTP is refused (relay.http.tls.only)
     */
    public RelayNettyHttpComponent(ListenerLimits limits, ListenerMetrics metrics, javax.net.ssl.SSLContext tls, boolean only) {
        this.limits = limits;
        this.metrics = metrics;
        this.tls = tls == null ? null : new ListenerTls(tls, only, metrics);
    }

    @Override
    protected HttpServerBootstrapFactory getOrCreateHttpNettyServerBootstrapFactory(NettyHttpConsumer consumer) {
        return listeners.computeIfAbsent(consumer.getConfiguration().getAddress(), address -> {
            HttpServerBootstrapFactory factory =
                    new HttpServerBootstrapFactory(getMultiplexChannelHandler(consumer.getConfiguration().getPort()));
            factory.init(getCamelContext(), consumer.getConfiguration(), new RelayHttpServer(consumer, limits, metrics, tls));
            return factory;
        });
    }
}
