package io.influxrelay.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class V2ErrorsTest {

    @Test
    void theBodyNamesTheCodeAs2xDoes() {
        assertThat(new String(V2Errors.body(400, "unable to parse \"x\""), StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":\"invalid\",\"message\":\"unable to parse \\\"x\\\"\"}\n");
        assertThat(V2Errors.code(401)).isEqualTo("unauthorized");
        assertThat(V2Errors.code(404)).isEqualTo("not found");
        assertThat(V2Errors.code(413)).isEqualTo("request too large");
        assertThat(V2Errors.code(503)).isEqualTo("unavailable");
        assertThat(V2Errors.code(502)).isEqualTo("internal error");
    }

    @Test
    void aBackends1xErrorGivesItsMessage() {
        assertThat(V2Errors.messageOf("{\"error\":\"database not found: \\\"x\\\"\"}\n")).isEqualTo("database not found: \"x\"");
        assertThat(V2Errors.messageOf("plain text\n")).isEqualTo("plain text");
        assertThat(V2Errors.messageOf("{\"other\":1}")).isEqualTo("{\"other\":1}");
    }

    @Test
    void onlyV2PathsAreV2() {
        assertThat(V2Errors.path("/api/v2/write?bucket=x")).isTrue();
        assertThat(V2Errors.path("/write?db=x")).isFalse();
        assertThat(V2Errors.path(null)).isFalse();
    }
}
