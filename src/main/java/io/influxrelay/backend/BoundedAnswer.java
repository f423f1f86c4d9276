package io.influxrelay.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * Cuts a backend's answer after its first {@link #MAX_BODY} bytes of body: what comes up the pipeline
 * ends there, the rest is never read, and the connection is closed (it cannot serve another request
 * before the rest is read). An InfluxDB answer to a write is a status and at most a short error; the
 * same bound as camel-http's side ({@link BoundedResponse}).
 */
final class BoundedAnswer extends ChannelInboundHandlerAdapter {
    static final int MAX_BODY = BoundedResponse.LIMIT;

    private long read;
    private boolean cut;

    /** The answer in hand was cut: its connection is closing. */
    boolean cut() {
        return cut;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            read = 0;
            cut = false;
            // the aggregator refuses an answer whose declared length is over its bound before reading any
            String length = response.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            if (length != null && length.length() > 0 && Long.parseLong(length.trim()) > MAX_BODY) {
                response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            }
        }
        if (!(msg instanceof HttpContent content)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (cut) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf body = content.content();
        long room = MAX_BODY - read;
        if (body.readableBytes() <= room) {
            read += body.readableBytes();
            ctx.fireChannelRead(msg);
            return;
        }
        cut = true;
        ByteBuf kept = body.retainedSlice(body.readerIndex(), (int) room);
        ReferenceCountUtil.release(msg);
        ctx.fireChannelRead(new DefaultLastHttpContent(kept));
        ctx.close();
    }
}
