import io.influxrelay.backend.BackendAnswerBinding;
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
import io.netty.handler.codec.http.HttpVersion;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU per POST to a backend: camel-netty-http's producer (the relay's endpoint options and answer binding)
 * against netty's own HTTP client, 16 requests in flight in a closed loop, each next request sent from a
 * small pool in both cases. Args: camel|netty PORT SECONDS BODY_BYTES.
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
        if (client.equals("camel")) {
            camel(port);
        } else {
            netty(port);
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
        context.getRegistry().bind(BackendAnswerBinding.NAME, new BackendAnswerBinding());
        context.start();
        Endpoint endpoint = context.getEndpoint("netty-http:http://127.0.0.1:" + port + "/write?throwExceptionOnFailure=false"
                + "&okStatusCodeRange=999&disableStreamCache=true&producerPoolMaxTotal=64&producerPoolBlockWhenExhausted=false"
                + "&connectTimeout=10000&requestTimeout=10000&nettyHttpBinding=#" + BackendAnswerBinding.NAME);
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
