package io.influxrelay.backend;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The answer a backend's connection passes up, through the same codec and aggregator as the relay's. */
class BoundedAnswerTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpClientCodec(), new BoundedAnswer(),
            new HttpObjectAggregator(BoundedAnswer.MAX_BODY));

    private FullHttpResponse answer(String head, byte[] body) {
        channel.writeInbound(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII)));
        for (int at = 0; at < body.length && channel.isOpen(); at += 8192) { // in pieces, until it is cut
            channel.writeInbound(Unpooled.wrappedBuffer(body, at, Math.min(8192, body.length - at)));
        }
        return channel.readInbound();
    }

    @Test
    void aShortAnswerPassesWholeAndTheConnectionStaysOpen() {
        byte[] body = "{\"error\":\"database not found: \\\"x\\\"\"}".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = answer("HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length + "\r\n\r\n", body);
        assertThat(r.status().code()).isEqualTo(404);
        assertThat(r.content().toString(StandardCharsets.UTF_8)).contains("database not found");
        r.release();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aLongAnswerIsCutAfterTheBoundAndTheConnectionClosed() {
        byte[] body = new byte[BoundedAnswer.MAX_BODY * 4];
        FullHttpResponse r = answer("HTTP/1.1 200 OK\r\nContent-Length: " + (1L << 30) + "\r\n\r\n", body);
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().readableBytes()).isEqualTo(BoundedAnswer.MAX_BODY);
        r.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aChunkedAnswerIsCutTooAndTheRestIsDropped() {
        String chunk = Integer.toHexString(BoundedAnswer.MAX_BODY) + "\r\n" + "x".repeat(BoundedAnswer.MAX_BODY) + "\r\n";
        FullHttpResponse r = answer("HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk,
                new byte[0]);
        assertThat(r.status().code()).isEqualTo(500);
        assertThat(r.content().readableBytes()).isEqualTo(BoundedAnswer.MAX_BODY);
        r.release();
        assertThat((Object) channel.readInbound()).isNull();
    }
}
