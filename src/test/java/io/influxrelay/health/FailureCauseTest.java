package io.influxrelay.health;

import io.netty.handler.timeout.ReadTimeoutException;
import org.apache.camel.CamelExchangeException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The failures both of the relay's clients to a backend report (HttpClient 5 and its own netty client), named. */
class FailureCauseTest {
    @Test
    void nettyClientFailuresAreNamedLikeHttpClientOnes() {
        ConnectException refused = new ConnectException("Cannot connect to 127.0.0.1:1");
        refused.initCause(new ConnectException("Connection refused"));
        assertThat(FailureCause.of(refused)).isEqualTo("refused");
        assertThat(FailureCause.of(ReadTimeoutException.INSTANCE)).isEqualTo("timeout");
        assertThat(FailureCause.of(new SocketException("connection closed by the backend before its answer")))
                .isEqualTo("reset");
        assertThat(FailureCause.of(new RejectedExecutionException("64 writes in flight"))).isEqualTo("overloaded");
        assertThat(FailureCause.of(new CamelExchangeException("something else", null))).isEqualTo("other");
    }

    @Test
    void onlyTransportFailuresMakeABackendUnreachable() {
        assertThat(FailureCause.unreachable("reset")).isTrue();
        assertThat(FailureCause.unreachable("overloaded")).isFalse();
    }
}
