package io.influxrelay.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.channel.socket.SocketChannel;

import java.util.concurrent.TimeUnit;

/**
 * InfluxDB-shaped error answers given by the listener's own pipeline, for requests Camel never sees
 * (malformed, too large): the same body and headers as {@link InfluxResponses} gives from the routes.
 */
final class PipelineAnswers {
    private static final long LINGER_MILLIS = 500;

    private PipelineAnswers() {
    }

    /** {@code uri}: the request's, whose /api/v2/ paths get 2.x-shaped errors; null when unknown. */
    static FullHttpResponse error(String uri, int status, String message, boolean close) {
        boolean v2 = V2Errors.path(uri);
        byte[] body = v2 ? V2Errors.body(status, message) : InfluxResponses.errorBody(message);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        HttpHeaders h = response.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        h.set("X-InfluxDB-Error", InfluxResponses.errorHeader(message));
        if (v2) {
            h.set("X-Platform-Error-Code", V2Errors.code(status));
        }
        h.set("X-Influxdb-Version", InfluxResponses.VERSION);
        h.set("X-Influxdb-Build", InfluxResponses.BUILD);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (close) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return response;
    }

    /** Writes the answer; a connection whose byte stream can no longer be trusted is closed after it. */
    static void send(ChannelHandlerContext ctx, String uri, int status, String message, boolean close) {
        var written = ctx.writeAndFlush(error(uri, status, message, close));
        if (close) {
            written.addListener((ChannelFutureListener) f -> lingeringClose(f.channel()));
        }
    }

    /**
     * Closes our side first and reads (the decoder discards) what the client is still sending for a
     * moment before closing: closing with its bytes unread would reset the connection, and a client
     * still sending a 2 MB header would see the reset instead of the 431. Go's server does the same.
     */
    private static void lingeringClose(Channel channel) {
        if (channel instanceof SocketChannel socket && socket.isActive() && !socket.isOutputShutdown()) {
            socket.shutdownOutput();
            socket.eventLoop().schedule(() -> socket.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }
}
