package io.influxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * relay.http.read-timeout: from the first byte of a request to its last, a client has this long; a
 * connection that sends its headers or body slower (slowloris) is closed. Two handlers share one
 * deadline: {@link #start()} sits before the HTTP decoder and sees the bytes arrive, {@link #end()}
 * after the body aggregator and sees the request complete.
 */
final class RequestReadTimeout {
    private final long timeoutNanos;
    private final ListenerMetrics metrics;
    private ScheduledFuture<?> deadline;

    RequestReadTimeout(Duration timeout, ListenerMetrics metrics) {
        this.timeoutNanos = timeout.toNanos();
        this.metrics = metrics;
    }

    ChannelInboundHandlerAdapter start() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (deadline == null) {
                    deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter end() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        metrics.connectionClosed("read-timeout", "request not complete after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms from " + ctx.channel().remoteAddress());
        ctx.channel().close();
    }
}
