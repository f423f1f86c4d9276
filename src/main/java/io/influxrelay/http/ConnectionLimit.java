package io.influxrelay.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * At most relay.http.max-connections client connections at once: one more is closed as soon as it is
 * accepted, so a flood of connections cannot exhaust the relay's file descriptors and memory.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final ListenerMetrics metrics;

    ConnectionLimit(int max, ListenerMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (metrics.openConnections().incrementAndGet() > max) {
            metrics.connectionClosed("max-connections", max + " connections open, refused " + ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        metrics.openConnections().decrementAndGet();
        super.channelInactive(ctx);
    }
}
