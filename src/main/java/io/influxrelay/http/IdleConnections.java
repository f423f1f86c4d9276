package io.influxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * relay.http.idle-timeout: a keep-alive connection with no request for this long is closed (an
 * {@link io.netty.handler.timeout.IdleStateHandler} before it raises the event); one whose request is
 * still being served is not idle.
 */
final class IdleConnections extends ChannelInboundHandlerAdapter {
    private final InOrderResponses requests;
    private final ListenerMetrics metrics;

    IdleConnections(InOrderResponses requests, ListenerMetrics metrics) {
        this.requests = requests;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!requests.busy()) {
                metrics.connectionClosed("idle-timeout", "no request from " + ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
