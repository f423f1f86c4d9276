package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;

import java.net.SocketException;
import java.net.URI;

/**
 * The connections to one plain-HTTP backend: netty's HTTP codec and connection pool on the event loops
 * all backends share ({@link BackendLoops}), no thread per request. Each request has the backend's
 * timeout to be answered ({@link BackendCall}); a connection goes back to the pool after an answer that
 * leaves it open, and is closed after a failure. How many are in use at once is bounded by the backend's
 * {@link BackendGate}, not here.
 *
 * <p>Why not camel-netty-http's producer: it takes half as much CPU again per request (22-28 µs against
 * 15-17, bench/request-cost.sh): it parses the endpoint's URI again, borrows through commons-pool adding and
 * removing handlers, copies headers both ways. And a write to two shards makes twice the requests of a
 * write to one (bench/RESULTS.md, "Sharding, fifth time").
 */
final class BackendConnections {
    private final SimpleChannelPool pool;
    private final long timeoutMillis;

    BackendConnections(BackendConfig backend, EventLoopGroup loops) {
        URI url = backend.url();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        this.timeoutMillis = backend.timeout().toMillis();
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .remoteAddress(host, url.getPort() == -1 ? 80 : url.getPort());
        this.pool = new SimpleChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                ChannelPipeline pipeline = ch.pipeline();
                pipeline.addLast("http", new HttpClientCodec());
                pipeline.addLast("bounded", new BoundedAnswer());
                pipeline.addLast("aggregator", new HttpObjectAggregator(BoundedAnswer.MAX_BODY));
                pipeline.addLast("answer", new AnswerHandler());
            }
        });
    }

    /** What becomes of one request: exactly one of the two is called, on the connection's event loop. */
    interface Outcome {
        /** The answer; released after this returns. */
        void answered(FullHttpResponse answer);

        void failed(Throwable cause);
    }

    /** Sends the request on a pooled connection (a new one if none is idle); the request is released either way. */
    void send(FullHttpRequest request, Outcome outcome) {
        // a promise that tells its listener on the thread that completes it (the connection's loop), not on
        // a loop of the pool's choosing: one hop per request less
        Promise<Channel> acquired = ImmediateEventExecutor.INSTANCE.newPromise();
        pool.acquire(acquired).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                request.release();
                outcome.failed(f.cause());
                return;
            }
            Channel channel = f.getNow();
            if (channel.eventLoop().inEventLoop()) {
                start(channel, request, outcome);
            } else {
                channel.eventLoop().execute(() -> start(channel, request, outcome));
            }
        });
    }

    /**
     * On the connection's loop. A connection the backend closed between leaving the pool and now (its
     * pipeline may be gone with it) fails the request rather than leave it unanswered.
     */
    private void start(Channel channel, FullHttpRequest request, Outcome outcome) {
        BackendCall call = new BackendCall(channel, pool, outcome);
        AnswerHandler answers = channel.pipeline().get(AnswerHandler.class);
        if (answers == null || !channel.isActive()) {
            request.release();
            call.fail(new SocketException("connection closed by the backend before the request"));
            return;
        }
        answers.expect(call);
        call.startClock(timeoutMillis);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                call.fail(written.cause());
            }
        });
    }

    void close() {
        pool.close();
    }
}
