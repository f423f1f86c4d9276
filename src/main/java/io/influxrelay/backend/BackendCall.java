package io.influxrelay.backend;

import io.netty.channel.Channel;
import io.netty.channel.pool.ChannelPool;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One request on one pooled connection, from its sending to its answer, its failure or its timeout,
 * whichever comes first: the connection goes back to the pool (closed unless the answer left it open)
 * before the outcome is told. Touched only on the connection's event loop.
 */
final class BackendCall {
    private final Channel channel;
    private final ChannelPool pool;
    private final BackendConnections.Outcome outcome;
    private ScheduledFuture<?> timeout;
    private boolean ended;

    BackendCall(Channel channel, ChannelPool pool, BackendConnections.Outcome outcome) {
        this.channel = channel;
        this.pool = pool;
        this.outcome = outcome;
    }

    /** The backend has this long to answer, from now: the whole answer, not each read. */
    void startClock(long millis) {
        if (millis > 0) {
            timeout = channel.eventLoop().schedule(() -> fail(ReadTimeoutException.INSTANCE), millis, TimeUnit.MILLISECONDS);
        }
    }

    void answered(FullHttpResponse answer) {
        // a cut answer's connection is closing: not back to the pool for the next request
        BoundedAnswer bound = channel.pipeline().get(BoundedAnswer.class);
        boolean closing = !HttpUtil.isKeepAlive(answer) || bound == null || bound.cut();
        if (end(closing)) {
            outcome.answered(answer);
        }
    }

    void fail(Throwable cause) {
        if (end(true)) {
            outcome.failed(cause);
        }
    }

    /** Ends the call once; false if it had ended. */
    private boolean end(boolean close) {
        if (ended) {
            return false;
        }
        ended = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        AnswerHandler answers = channel.pipeline().get(AnswerHandler.class);
        if (answers != null) { // null once the connection is closed and its pipeline taken down
            answers.expect(null);
        }
        if (close) {
            channel.close(); // on the loop: inactive at once, so the pool drops it below
        }
        pool.release(channel);
        return true;
    }
}
