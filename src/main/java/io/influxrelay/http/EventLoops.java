package io.influxrelay.http;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.component.netty.NettyWorkerPoolBuilder;
import org.apache.camel.support.service.ServiceSupport;

import java.util.concurrent.TimeUnit;

/**
 * The relay's event loops, one per core: the HTTP listener's client connections and every plain-HTTP
 * backend's connections live on them. A loop waits on no one, so one backend's trouble never holds
 * another's writes, and there is no thread per write in flight. Sharing them lets a write go out to its
 * backends, and its answer back to the client, on the loop that read it, with no hand-over between
 * threads (bench/RESULTS.md, "Sharding, fifth time").
 */
public final class EventLoops extends ServiceSupport {
    private final EventLoopGroup group = new NettyWorkerPoolBuilder()
            .withName("RelayLoop")
            .withWorkerCount(Runtime.getRuntime().availableProcessors())
            .build();

    public EventLoopGroup group() {
        return group;
    }

    @Override
    protected void doStop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
