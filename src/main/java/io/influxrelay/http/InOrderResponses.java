package io.influxrelay.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * HTTP/1.1 pipelining: a client may send several requests on one connection without waiting, and must
 * get the answers in request order. Camel runs every request it is handed at once and answers each when
 * it is done, so answers overtook each other or were lost. This hands the next request on only when
 * the answer to the previous one has been written; requests that arrive meanwhile wait here, and the
 * connection is not read further until they are served (a bound on what one client can queue).
 * A client that half-closes its side after sending (shutdown(SHUT_WR)) still gets every answer; the
 * connection is closed after the last.
 */
final class InOrderResponses extends ChannelDuplexHandler {
    private final Queue<Object> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean responding;
    private boolean inputClosed;

    /** True while a request is being served: the connection is not idle, whatever the clock says. */
    boolean busy() {
        return busy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (busy) {
            waiting.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        busy = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean complete = completes(msg);
        ctx.write(msg, promise);
        if (complete) {
            // not from inside write(): the next request's answer may be written at once, re-entering here
            ctx.executor().execute(() -> next(ctx));
        }
    }

    /** Whether this write finishes an answer: its last content, or a head that announces no body. */
    private boolean completes(Object msg) {
        if (msg instanceof FullHttpResponse) {
            responding = false;
            return true;
        }
        if (msg instanceof HttpResponse head) {
            if (HttpUtil.getContentLength(head, -1L) == 0 && !HttpUtil.isTransferEncodingChunked(head)) {
                responding = false;
                return true;
            }
            responding = true;
            return false;
        }
        if (msg instanceof LastHttpContent && responding) {
            responding = false;
            return true;
        }
        return false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (!busy) {
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private void next(ChannelHandlerContext ctx) {
        busy = false;
        Object request = waiting.poll();
        if (request != null) {
            busy = true;
            ctx.fireChannelRead(request);
        } else if (inputClosed) {
            ctx.close();
            return;
        }
        if (waiting.isEmpty() && ctx.channel().isActive() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Object request;
        while ((request = waiting.poll()) != null) {
            ReferenceCountUtil.release(request);
        }
        super.channelInactive(ctx);
    }
}
