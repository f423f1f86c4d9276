package io.influxrelay.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {
    @Test
    void credentialsInTheQueryStringAreMasked() {
        assertThat(AccessLog.masked("u=alice&db=x&p=s3cret")).isEqualTo("u=***&db=x&p=***");
        assertThat(AccessLog.masked("db=up&rp=p")).isEqualTo("db=up&rp=p");
    }
}
