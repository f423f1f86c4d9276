package io.influxrelay.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.http.HttpServerInitializerFactory;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The client listener's netty pipeline, built here instead of by camel-netty-http, so that every
 * request Camel sees is whole, well-formed and in turn, and every other one still gets an InfluxDB
 * answer. From the socket in:
 * <ol>
 * <li>TLS, when configured ({@link ListenerTls}): HTTPS, and plain HTTP unless refused;</li>
 * <li>connection limit, idle timeout, request read timeout (start);</li>
 * <li>HTTP decoder (request line and headers up to 1 MiB each, as InfluxDB), default Host;</li>
 * <li>response encoder;</li>
 * <li>body aggregator, bounded by relay.http.max-body-mb (chunked bodies too), read timeout (end);</li>
 * <li>pipelined requests served one at a time, answers in request order;</li>
 * <li>the guard: shaped answers for what the decoder refused, targets made parsable;</li>
 * <li>streamed answers (a query's result) read off the event loop, and Camel's handler, which runs
 * the routes.</li>
 * </ol>
 */
public final class RelayHttpServer extends HttpServerInitializerFactory {
    private final ListenerLimits limits;
    private final ListenerMetrics metrics;
    private final ConnectionLimit connectionLimit;
    private final ListenerTls tls;

    RelayHttpServer(NettyHttpConsumer consumer, ListenerLimits limits, ListenerMetrics metrics, ConnectionLimit connectionLimit,
                    ListenerTls tls) {
        super(consumer);
        this.limits = limits;
        this.metrics = metrics;
        this.connectionLimit = connectionLimit;
        this.tls = tls;
    }

    /** @param tls HTTPS on the port (relay.http.tls.*); null: plain HTTP only */
    RelayHttpServer(NettyHttpConsumer consumer, ListenerLimits limits, ListenerMetrics metrics, ListenerTls tls) {
        this(consumer, limits, metrics, new ConnectionLimit(limits.maxConnections(), metrics), tls);
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        return new RelayHttpServer((NettyHttpConsumer) consumer, limits, metrics, connectionLimit, tls);
    }

    @Override
    protected void initChannel(Channel channel) {
        // a client that half-closes after its request still gets the answer (InOrderResponses closes after it)
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ChannelPipeline p = channel.pipeline();
        InOrderResponses inOrder = new InOrderResponses();
        RequestReadTimeout readTimeout = new RequestReadTimeout(limits.readTimeout(), metrics);
        p.addLast("connection-limit", connectionLimit);
        p.addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast("idle-close", new IdleConnections(inOrder, metrics));
        p.addLast("read-timeout-start", readTimeout.start());
        p.addLast("decoder", new HttpRequestDecoder(ListenerLimits.MAX_REQUEST_LINE, ListenerLimits.MAX_HEADERS, 8192));
        p.addLast("default-host", DefaultHost.INSTANCE);
        p.addLast("encoder", new HttpResponseEncoder());
        p.addLast("aggregator", new BodyAggregator(limits.maxBodyBytes()));
        p.addLast("read-timeout-end", readTimeout.end());
        p.addLast("in-order", inOrder);
        p.addLast("guard", new RequestGuard(metrics));
        p.addLast("outbound-streamer", new StreamedAnswers());
        p.addLast("handler", consumer.getEndpoint().getComponent()
                .getMultiplexChannelHandler(consumer.getConfiguration().getPort()).getChannelHandler());
        if (tls != null) {
            tls.addFirst(p);
        }
    }

    /**
     * A request without a Host header gets the address it came to. Camel answers such a request 400,
     * where InfluxDB serves it, and HTTP/1.0 clients and load-balancer health checks (HAProxy's
     * default) send none.
     */
    @ChannelHandler.Sharable
    static final class DefaultHost extends ChannelInboundHandlerAdapter {
        static final DefaultHost INSTANCE = new DefaultHost();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && !request.headers().contains(HttpHeaderNames.HOST)
                    && ctx.channel().localAddress() instanceof InetSocketAddress local) {
                request.headers().set(HttpHeaderNames.HOST, local.getHostString() + ":" + local.getPort());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
