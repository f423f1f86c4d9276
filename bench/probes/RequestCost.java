import io.influxrelay.backend.BackendLoops;
import io.influxrelay.backend.BackendPost;
import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.config.BackendConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.http.DefaultNettyHttpBinding;
import org.apache.camel.component.netty.http.NettyHttpConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU per POST to a backend, 16 requests in flight in a closed loop, each next request sent from a small
 * pool: camel-netty-http's producer (with the endpoint options and answer binding the relay used until
 * it had its own client), the relay's own client ({@link BackendPost}), and netty's bare HTTP client.
 * Args: camel|relay|netty PORT SECONDS BODY_BYTES.
 */
public class RequestCost {
    private static final int IN_FLIGHT = 16;
    private static final AtomicLong DONE = new AtomicLong();
    private static final ExecutorService NEXT = Executors.newFixedThreadPool(2);
    private static byte[] body;

    public static void main(String[] args) throws Exception {
        String client = args[0];
        int port = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        StringBuilder lines = new StringBuilder();
        while (lines.length() < Integer.parseInt(args[3])) {
            lines.append("cpu,host=a,region=b usage=1.5,idle=2i 1700000000000000000\n");
        }
        body = lines.toString().getBytes();
        switch (client) {
            case "camel" -> camel(port);
            case "relay" -> relay(port);
            default -> netty(port);
        }
        Thread.sleep(20_000); // the JIT's warm-up
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), done0 = DONE.get();
        Thread.sleep(seconds * 1000L);
        long cpu1 = os.getProcessCpuTime(), done1 = DONE.get();
        System.out.printf("%s, body %d bytes: %d requests/s, %.1f us CPU per request%n", client, body.length,
                (done1 - done0) / seconds, (cpu1 - cpu0) / 1000.0 / (done1 - done0));
        System.exit(0);
    }

    private static void camel(int port) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("answers", new AnswerBinding());
        context.start();
        Endpoint endpoint = context.getEndpoint("netty-http:http://127.0.0.1:" + port + "/write?throwExceptionOnFailure=false"
                + "&okStatusCodeRange=999&disableStreamCache=true&producerPoolMaxTotal=64&producerPoolBlockWhenExhausted=false"
                + "&connectTimeout=10000&requestTimeout=10000&nettyHttpBinding=#answers");
        AsyncProducer producer = endpoint.createAsyncProducer();
        producer.start();
        for (int i = 0; i < IN_FLIGHT; i++) {
            sendCamel(endpoint, producer);
        }
    }

    private static void sendCamel(Endpoint endpoint, AsyncProducer producer) {
        Exchange exchange = endpoint.createExchange();
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "db=x");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getIn().setBody(Unpooled.wrappedBuffer(body));
        producer.process(exchange, doneSync -> {
            DONE.incrementAndGet();
            NEXT.execute(() -> sendCamel(endpoint, producer));
        });
    }

    /** The answer binding the relay's endpoints had: only the status and X-Influxdb-Error. */
    public static final class AnswerBinding extends DefaultNettyHttpBinding {
        @Override
        public void populateCamelHeaders(HttpResponse response, Map<String, Object> headers, Exchange exchange,
                                         NettyHttpConfiguration configuration) {
            headers.put(Exchange.HTTP_RESPONSE_CODE, response.status().code());
            String error = response.headers().get("X-Influxdb-Error");
            if (error != null) {
                headers.put("X-Influxdb-Error", error);
            }
        }
    }

    private static void relay(int port) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.start();
        BackendLoops loops = new BackendLoops();
        loops.start();
        BackendConfig backend = new BackendConfig("probe", URI.create("http://127.0.0.1:" + port), null,
                Duration.ofSeconds(10), 0, 0, Duration.ZERO, null, 0);
        BackendPost post = new BackendPost(backend, loops.group(), e -> BufferedWrite.Kind.LINES);
        post.start();
        for (int i = 0; i < IN_FLIGHT; i++) {
            sendRelay(context, post);
        }
    }

    private static void sendRelay(CamelContext context, BackendPost post) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getIn().setHeader(Exchange.HTTP_QUERY, "db=x");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getIn().setBody(body);
        post.process(exchange, doneSync -> {
            DONE.incrementAndGet();
            NEXT.execute(() -> sendRelay(context, post));
        });
    }

    private static void netty(int port) throws Exception {
        Bootstrap bootstrap = new Bootstrap().group(new NioEventLoopGroup(2)).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
                                        DONE.incrementAndGet();
                                        NEXT.execute(() -> sendNetty(ctx.channel(), port));
                                    }
                                });
                    }
                });
        for (int i = 0; i < IN_FLIGHT; i++) {
            sendNetty(bootstrap.connect("127.0.0.1", port).sync().channel(), port);
        }
    }

    private static void sendNetty(Channel channel, int port) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/write?db=x",
                Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1:" + port).set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        channel.writeAndFlush(request);
    }
}
