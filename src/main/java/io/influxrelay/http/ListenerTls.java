package io.influxrelay.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;

/**
 * HTTPS on the client listener (relay.http.tls.*): the first handler of the pipeline looks at a
 * connection's first bytes. A TLS handshake gets netty's SslHandler, over the SSLContext that Camel's
 * SSLContextParameters made from the configured keys; the rest of the pipeline then sees plain HTTP as
 * before. Plain HTTP is served too, on the same port, unless relay.http.tls.only: then it gets what
 * InfluxDB with https-enabled (Go's server) answers, 400 and "Client sent an HTTP request to an HTTPS
 * server.", and the connection is closed.
 */
final class ListenerTls {
    /** Go's net/http answer to plain HTTP on a TLS port, byte for byte (HTTP/1.0, no headers). */
    static final String PLAIN_HTTP_REFUSED = "Client sent an HTTP request to an HTTPS server.\n";

    private final SslContext context;
    private final boolean only;
    private final ListenerMetrics metrics;

    ListenerTls(SSLContext context, boolean only, ListenerMetrics metrics) {
        this.context = new JdkSslContext(context, false, null, IdentityCipherSuiteFilter.INSTANCE,
                ApplicationProtocolConfig.DISABLED, ClientAuth.NONE, null, false);
        this.only = only;
        this.metrics = metrics;
    }

    /** Goes first: everything after it sees the decrypted bytes. */
    void addFirst(ChannelPipeline pipeline) {
        pipeline.addFirst("tls", new OptionalSslHandler(context) {
            @Override
            protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
                return only ? new RefusePlainHttp(metrics) : null; // null: plain HTTP goes on as before
            }
        });
    }

    /** relay.http.tls.only: a plain request is answered as Go's server answers it, then the connection closed. */
    private static final class RefusePlainHttp extends ChannelInboundHandlerAdapter {
        private final ListenerMetrics metrics;
        private boolean answered;

        RefusePlainHttp(ListenerMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (answered) {
                return;
            }
            answered = true;
            metrics.badRequest("plain-http", "plain HTTP on the HTTPS-only listener from " + ctx.channel().remoteAddress());
            ByteBuf answer = Unpooled.copiedBuffer("HTTP/1.0 400 Bad Request\r\n\r\n" + PLAIN_HTTP_REFUSED, StandardCharsets.US_ASCII);
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
