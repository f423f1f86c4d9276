package io.influxrelay.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {
    @Test
    void credentialsInTheQueryStringAreMasked() {
        assertThat(AccessLog.masked("u=alice&db=x&p=s3cret")).isEqualTo("u=***&db=x&p=***");
        assertThat(AccessLog.masked("db=up&rp=p")).isEqualTo("db=up&rp=p");
    }

    @Test
    void passwordsInAQueryAreMaskedAndLongQueriesCut() {
        String masked = AccessLog.masked("db=x&q=CREATE+USER+bob+WITH+PASSWORD+%27hunter2%27");
        assertThat(masked).doesNotContain("hunter2").startsWith("db=x&q=CREATE+USER+bob+WITH+PASSWORD+");
        assertThat(AccessLog.masked("q=" + "SELECT+1+".repeat(100))).hasSizeLessThan(300).endsWith("...");
    }
}
