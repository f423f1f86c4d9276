package io.influxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import io.netty.handler.codec.PrematureChannelClosureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last word of the listener's pipeline before Camel: a request the decoder could not read (bad
 * chunk size, bad Content-Length, request line or headers over the limits, body over the bound) gets
 * an InfluxDB-shaped answer here, and the connection is closed when its byte stream can no longer be
 * trusted; a target Camel could not parse is made parsable ({@link RequestTarget}) or refused with 400.
 * Connection-level client faults (a reset mid-upload) are counted and logged in one throttled line,
 * never as a stack trace.
 */
final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);

    private final ListenerMetrics metrics;
    private boolean failed;

    RequestGuard(ListenerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable failure = request.decoderResult().cause();
        if (failure != null) {
            ReferenceCountUtil.release(request);
            refuse(ctx, request.uri(), failure, !HttpUtil.isKeepAlive(request) || !(failure instanceof BodyAggregator.BodyTooLarge));
            return;
        }
        try {
            request.setUri(RequestTarget.normalize(request.uri()));
        } catch (RequestTarget.Malformed e) {
            ReferenceCountUtil.release(request);
            metrics.badRequest("malformed", e.getMessage());
            PipelineAnswers.send(ctx, request.uri(), 400, e.getMessage(), !HttpUtil.isKeepAlive(request));
            return;
        }
        ctx.fireChannelRead(request);
    }

    private void refuse(ChannelHandlerContext ctx, String uri, Throwable failure, boolean close) {
        if (failure instanceof BodyAggregator.BodyTooLarge) {
            metrics.badRequest("too-large", "body over the limit from " + ctx.channel().remoteAddress());
            PipelineAnswers.send(ctx, uri, 413, BodyAggregator.TOO_LARGE, close);
        } else if (failure instanceof TooLongHttpLineException) {
            metrics.badRequest("too-large", "request line over the limit from " + ctx.channel().remoteAddress());
            PipelineAnswers.send(ctx, uri, 414, "request URI too long", close);
        } else if (failure instanceof TooLongHttpHeaderException) {
            metrics.badRequest("too-large", "headers over the limit from " + ctx.channel().remoteAddress());
            PipelineAnswers.send(ctx, uri, 431, "request header fields too large", close);
        } else {
            String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            metrics.badRequest("malformed", reason + " from " + ctx.channel().remoteAddress());
            PipelineAnswers.send(ctx, uri, 400, "malformed HTTP request: " + reason, close);
        }
    }

    /**
     * Nothing that goes wrong on a connection reaches Camel's handler, which would log it with a stack
     * trace per connection (a flood when uploads are broken off) and answer 404.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        if (failed) {
            return; // a reset mid-body is followed by the aggregator's "closed while aggregating": one fault
        }
        failed = true;
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof javax.net.ssl.SSLException) { // a client that does not trust the relay's certificate, say
            metrics.badRequest("tls", root.getClass().getSimpleName() + ": " + root.getMessage()
                    + " from " + ctx.channel().remoteAddress());
        } else if (root instanceof IOException || root instanceof PrematureChannelClosureException) {
            metrics.badRequest("broken-off", root.getClass().getSimpleName() + ": " + root.getMessage()
                    + " from " + ctx.channel().remoteAddress());
        } else {
            metrics.badRequest("failed", root + " from " + ctx.channel().remoteAddress());
            LOG.debug("connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
    }
}
