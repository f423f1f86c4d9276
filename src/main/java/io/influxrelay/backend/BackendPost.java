package io.influxrelay.backend;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.lineprotocol.LineRanges;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The step of a plain-HTTP backend's send route that posts the write, lines to /write or a Prometheus
 * remote write to its own path, over the backend's {@link BackendConnections}, with the headers
 * {@link BackendRequest#headers} left in the message. The answer is left as camel-http leaves it, as
 * far as the response rules read it: the status in {@code CamelHttpResponseCode}, InfluxDB's
 * {@code X-Influxdb-Error}, the body as text (none for InfluxDB's 204). A failure to reach the backend
 * (refused, reset, timed out) is the exchange's exception.
 */
public final class BackendPost extends AsyncProcessorSupport {
    static final String INFLUX_ERROR = "X-Influxdb-Error";

    private final BackendConnections connections;
    /** The path each kind of write goes to, behind the backend's base URL. */
    private final Map<BufferedWrite.Kind, String> paths = new EnumMap<>(BufferedWrite.Kind.class);
    private final String host;
    private final Function<Exchange, BufferedWrite.Kind> kind;

    public BackendPost(BackendConfig backend, EventLoopGroup loops, Function<Exchange, BufferedWrite.Kind> kind) {
        this.connections = new BackendConnections(backend, loops);
        for (BufferedWrite.Kind k : BufferedWrite.Kind.values()) {
            paths.put(k, URI.create(backend.endpoint(k.path())).getRawPath());
        }
        this.host = backend.url().getRawAuthority();
        this.kind = kind;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        FullHttpRequest request;
        try {
            request = request(exchange);
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        connections.send(request, new BackendConnections.Outcome() {
            @Override
            public void answered(FullHttpResponse answer) {
                Message m = exchange.getMessage();
                m.getHeaders().clear();
                m.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status().code());
                String error = answer.headers().get(INFLUX_ERROR);
                if (error != null) {
                    m.setHeader(INFLUX_ERROR, error);
                }
                m.setBody(answer.content().isReadable() ? answer.content().toString(StandardCharsets.UTF_8) : null);
                callback.done(false);
            }

            @Override
            public void failed(Throwable cause) {
                exchange.setException(cause instanceof Exception e ? e : new IllegalStateException(cause));
                callback.done(false);
            }
        });
        return false;
    }

    /** The message as an HTTP request: its body the lines (not copied), its headers those not Camel's own. */
    private FullHttpRequest request(Exchange exchange) {
        Message m = exchange.getIn();
        ByteBuf body = content(m);
        String query = m.getHeader(Exchange.HTTP_QUERY, String.class);
        String uri = paths.get(kind.apply(exchange)) + (query == null || query.isEmpty() ? "" : "?" + query);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri, body);
        HttpHeaders headers = request.headers();
        headers.set(HttpHeaderNames.HOST, host);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        for (Map.Entry<String, Object> header : m.getHeaders().entrySet()) {
            if (!header.getKey().startsWith("Camel") && header.getValue() != null) {
                headers.set(header.getKey(), header.getValue());
            }
        }
        return request;
    }

    /**
     * The body as netty sends it, over the message's own bytes: a shard's part as its ranges of the scanned
     * write (a buffer of each, each request its own composite of them), other lines as their one array.
     */
    private static ByteBuf content(Message m) {
        if (m.getBody() instanceof LineRanges lines) {
            ByteBuf[] ranges = new ByteBuf[lines.ranges()];
            for (int i = 0; i < ranges.length; i++) {
                ranges[i] = Unpooled.wrappedBuffer(lines.array(i), lines.from(i), lines.to(i) - lines.from(i));
            }
            return Unpooled.wrappedBuffer(ranges.length, ranges); // one range: a plain slice of it, no composite
        }
        byte[] body = m.getBody(byte[].class);
        return body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    }

    @Override
    protected void doStop() {
        connections.close();
    }
}
