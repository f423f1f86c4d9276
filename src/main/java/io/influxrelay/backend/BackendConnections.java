package io.influxrelay.backend;

import io.influxrelay.config.BackendConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.pool.ChannelPool;
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

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections to one plain-HTTP backend: netty's HTTP codec and connection pools on the relay's event
 * loops ({@link io.influxrelay.http.EventLoops}), no thread per request. A pool per loop: a write read on a
 * loop goes out on a connection of that loop, and its answer comes back there, with no hand-over between
 * threads (one at each end of every request otherwise). Each request has the backend's timeout to be
 * answered ({@link BackendCall}); a connection goes back to its pool after an answer that leaves it open,
 * and is closed after a failure. How many are in use at once is bounded by the backend's
 * {@link BackendGate}, not here.
 *
 * <p>Why not camel-netty-http's producer: it costs half as much again per request in CPU (it parses the
 * endpoint's URI again, borrows through commons-pool adding and removing handlers, copies headers both
 * ways), and a write to two shards makes twice the requests of a write to one (bench/RESULTS.md,
 * "Sharding, fifth time").
 */
final class BackendConnections {
    private final EventLoop[] loops;
    private final SimpleChannelPool[] pools;
    private final EventLoopGroup group;
    private final long timeoutMillis;

    BackendConnections(BackendConfig backend, EventLoopGroup group) {
        URI url = backend.url();
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        this.group = group;
        this.timeoutMillis = backend.timeout().toMillis();
        Bootstrap bootstrap = new Bootstrap().channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .remoteAddress(host, url.getPort() == -1 ? 80 : url.getPort());
        List<EventLoop> each = new ArrayList<>();
        group.forEach(loop -> each.add((EventLoop) loop));
        this.loops = each.toArray(EventLoop[]::new);
        this.pools = new SimpleChannelPool[loops.length];
        for (int i = 0; i < loops.length; i++) {
            pools[i] = new SimpleChannelPool(bootstrap.clone(loops[i]), new AbstractChannelPoolHandler() {
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
    }

    /** What becomes of one request: exactly one of the two is called, on the connection's event loop. */
    interface Outcome {
        /** The answer; released after this returns. */
        void answered(FullHttpResponse answer);

        void failed(Throwable cause);
    }

    /**
     * Sends the request on a pooled connection of the loop at hand (any loop's, off the loops), a new one
     * if none is idle; the request is released either way.
     */
    void send(FullHttpRequest request, Outcome outcome) {
        SimpleChannelPool pool = pool();
        // a promise that tells its listener on the thread that completes it (the connection's loop), not on
        // a loop of the pool's choosing
        Promise<Channel> acquired = ImmediateEventExecutor.INSTANCE.newPromise();
        pool.acquire(acquired).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                request.release();
                outcome.failed(f.cause());
                return;
            }
            Channel channel = f.getNow();
            if (channel.eventLoop().inEventLoop()) {
                start(channel, pool, request, outcome);
            } else {
                channel.eventLoop().execute(() -> start(channel, pool, request, outcome));
            }
        });
    }

    private SimpleChannelPool pool() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return pools[i];
            }
        }
        EventLoop next = (EventLoop) group.next();
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == next) {
                return pools[i];
            }
        }
        throw new IllegalStateException("an event loop outside its group");
    }

    private void start(Channel channel, ChannelPool pool, FullHttpRequest request, Outcome outcome) {
        BackendCall call = new BackendCall(channel, pool, outcome);
        channel.pipeline().get(AnswerHandler.class).expect(call);
        call.startClock(timeoutMillis);
        channel.writeAndFlush(request).addListener(written -> {
            if (!written.isSuccess()) {
                call.fail(written.cause());
            }
        });
    }

    void close() {
        for (SimpleChannelPool pool : pools) {
            pool.close();
        }
    }
}
