package io.influxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.buffer.Unpooled;

/**
 * Gathers a request's body, chunked or not, whole and bounded by relay.http.max-body-mb, before Camel
 * sees it. Camel's own streaming of chunked bodies (with disableStreamCache) pipes them through a
 * stream that the same event-loop thread must fill: the thread parked for good, and four such requests
 * stopped the listener. A body over the bound is not answered here, out of turn, but handed on as a
 * request that failed with {@link BodyTooLarge}, so its 413 leaves in request order; netty discards
 * the rest of the body.
 */
final class BodyAggregator extends HttpObjectAggregator {
    static final String TOO_LARGE = "http: request body too large";

    /** The failure of a request whose body is over the bound. */
    static final class BodyTooLarge extends TooLongFrameException {
        BodyTooLarge() {
            super(TOO_LARGE);
        }
    }

    BodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest request)) {
            ctx.close();
            return;
        }
        DefaultFullHttpRequest failed = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER);
        failed.headers().set(request.headers());
        // part of the body was read already, or the client will not wait for an answer: the stream is lost
        if (oversized instanceof FullHttpMessage || (!HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request))) {
            failed.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        failed.setDecoderResult(DecoderResult.failure(new BodyTooLarge()));
        ctx.fireChannelRead(failed);
    }

    /** A client that asks before sending (Expect: 100-continue) a body over the bound gets InfluxDB's 413. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (answer instanceof HttpResponse response && response.status().code() == 413) {
            ReferenceCountUtil.release(answer);
            return PipelineAnswers.error(start instanceof HttpRequest request ? request.uri() : null, 413, TOO_LARGE, false);
        }
        return answer;
    }
}
