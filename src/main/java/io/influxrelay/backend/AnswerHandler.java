package io.influxrelay.backend;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketException;

/**
 * The last handler of a backend connection's pipeline: hands the whole answer to the call awaiting it,
 * and fails that call when the connection breaks or closes first (a backend restarted, a proxy reset).
 * An answer nobody awaits (a backend talking out of turn) closes the connection.
 */
final class AnswerHandler extends ChannelInboundHandlerAdapter {
    private BackendCall call;

    void expect(BackendCall call) {
        this.call = call;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            BackendCall awaiting = call;
            if (msg instanceof FullHttpResponse answer && awaiting != null) {
                if (answer.decoderResult().isFailure()) { // not HTTP as the codec reads it
                    awaiting.fail(answer.decoderResult().cause());
                } else {
                    awaiting.answered(answer);
                }
            } else {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (call != null) {
            call.fail(cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call != null) {
            call.fail(new SocketException("connection closed by the backend before its answer"));
        }
        ctx.fireChannelInactive();
    }
}
