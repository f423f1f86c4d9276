package io.influxrelay.backend;

import io.netty.channel.EventLoopGroup;
import org.apache.camel.component.netty.NettyWorkerPoolBuilder;
import org.apache.camel.support.service.ServiceSupport;

import java.util.concurrent.TimeUnit;

/**
 * The event loops every plain-HTTP backend's writes go out and come back on: one per core, shared by
 * all backends (a loop waits on no one, so one backend's trouble never holds another's writes), instead
 * of a thread per write in flight ({@link BackendConnections}).
 */
public final class BackendLoops extends ServiceSupport {
    private final EventLoopGroup group = new NettyWorkerPoolBuilder()
            .withName("BackendLoop")
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
