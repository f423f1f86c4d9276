package io.influxrelay.backend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.apache.camel.component.netty.ClientInitializerFactory;
import org.apache.camel.component.netty.NettyProducer;
import org.apache.camel.component.netty.http.HttpClientInitializerFactory;
import org.apache.camel.component.netty.http.NettyHttpProducer;
import org.apache.camel.component.netty.http.handlers.HttpClientChannelHandler;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a connection to a plain-HTTP backend (camel-netty-http's clientInitializerFactory,
 * bound as {@value #NAME}): netty-http's own, less what the relay must not have, plus a bound on
 * the answer. Only the first {@link BoundedAnswer#MAX_BODY} bytes of an answer's body are read (a
 * backend that answers a gigabyte is not read for a gigabyte), and an answer is only ever whole in
 * memory, never piped to a stream: netty-http's streaming of a chunked answer (disableStreamCache)
 * blocks the event loop once its 1 KiB pipe is full.
 */
public final class BackendPipeline extends HttpClientInitializerFactory {
    public static final String NAME = "backendPipeline";

    private final NettyHttpProducer producer;

    public BackendPipeline() {
        this.producer = null;
    }

    private BackendPipeline(NettyHttpProducer producer) {
        super(producer);
        this.producer = producer;
    }

    @Override
    public ClientInitializerFactory createPipelineFactory(NettyProducer producer) {
        return new BackendPipeline((NettyHttpProducer) producer);
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("http", new HttpClientCodec());
        pipeline.addLast("bounded", new BoundedAnswer());
        pipeline.addLast("aggregator", new HttpObjectAggregator(BoundedAnswer.MAX_BODY));
        long timeout = producer.getConfiguration().getRequestTimeout();
        if (timeout > 0) { // named as netty-http names it: its pool resets it for each request
            pipeline.addLast("timeout", new ReadTimeoutHandler(timeout, TimeUnit.MILLISECONDS));
        }
        pipeline.addLast("handler", new HttpClientChannelHandler(producer));
    }
}
