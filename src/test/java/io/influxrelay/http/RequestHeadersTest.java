package io.influxrelay.http;

import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadersTest {

    // started: its header maps ignore case, as netty-http's do
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    @BeforeAll
    static void start() {
        CONTEXT.start();
    }

    @AfterAll
    static void stop() {
        CONTEXT.stop();
    }

    private static Message request() {
        Message m = new DefaultExchange(CONTEXT).getIn();
        m.setHeader("Authorization", "Token u:p");
        m.setHeader("Content-Type", "text/plain");
        m.setHeader("CamelHttpQuery", "db=x");
        return m;
    }

    @Test
    void keepsOnlyTheClientsConnectionHeader() {
        Message m = request();
        m.setHeader("connection", "keep-alive");
        RequestHeaders.dropAllButConnection(m);
        assertThat(m.getHeaders()).hasSize(1);
        assertThat(m.getHeader("Connection")).isEqualTo("keep-alive");
    }

    @Test
    void withoutAConnectionHeaderNoneIsLeft() {
        Message m = request();
        RequestHeaders.dropAllButConnection(m);
        assertThat(m.getHeaders()).isEmpty();
    }
}
