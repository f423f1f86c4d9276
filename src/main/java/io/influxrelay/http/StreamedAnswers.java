package io.influxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import org.apache.camel.component.netty.http.OutboundStreamHttpResponse;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Answers whose body is a stream (a backend's /query result) go to the client chunk by chunk as they
 * arrive, read on a thread of their own, never on the listener's event loop (Camel's own streamer reads
 * the stream there, so one slow backend would stall every connection of that loop). While the client's
 * socket is full (netty's write buffer over its high-water mark), the next chunk waits: a client that
 * reads slowly slows the backend read instead of filling the heap. A client that goes away closes the stream, which cancels
 * the backend's request; a backend that breaks off mid-answer breaks off the client's connection too,
 * without the final chunk, so the client sees the answer is incomplete.
 */
final class StreamedAnswers extends ChannelOutboundHandlerAdapter {
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "query-stream");
        t.setDaemon(true);
        return t;
    });

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundStreamHttpResponse streamed)) {
            ctx.write(msg, promise);
            return;
        }
        HttpResponse head = streamed.getResponse();
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head, promise);
        READERS.execute(() -> pump(ctx, streamed));
    }

    private static void pump(ChannelHandlerContext ctx, OutboundStreamHttpResponse body) {
        try {
            while (!body.isEndOfInput()) {
                HttpContent chunk = body.readChunk(ctx.alloc());
                if (chunk == null) {
                    continue;
                }
                var written = ctx.writeAndFlush(chunk);
                if (!ctx.channel().isWritable()) {
                    written.awaitUninterruptibly(); // the client's socket is full: wait for it, not the backend
                }
                if (!ctx.channel().isActive() || (written.isDone() && !written.isSuccess())) {
                    return; // the client went away: closing the stream cancels the backend's request
                }
                if (chunk instanceof LastHttpContent) {
                    return;
                }
            }
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } catch (Exception e) {
            ctx.close();
        } finally {
            try {
                body.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
