package io.influxrelay.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.http.HttpServerInitializerFactory;
import org.apache.camel.component.netty.http.NettyHttpConsumer;

import java.net.InetSocketAddress;

/**
 * netty-http's pipeline with one handler more: a request without a Host header gets the address it
 * came to. Camel answers such a request 400, where InfluxDB serves it, and HTTP/1.0 clients and
 * load-balancer health checks (HAProxy's default) send none.
 */
public final class RelayHttpServer extends HttpServerInitializerFactory {

    public RelayHttpServer() {
    }

    RelayHttpServer(NettyHttpConsumer consumer) {
        super(consumer);
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        return new RelayHttpServer((NettyHttpConsumer) consumer);
    }

    @Override
    protected void initChannel(Channel channel) throws Exception {
        super.initChannel(channel);
        channel.pipeline().addAfter("decoder", "default-host", DefaultHost.INSTANCE);
    }

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
