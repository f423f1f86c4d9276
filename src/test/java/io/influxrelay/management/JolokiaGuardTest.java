package io.influxrelay.management;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JolokiaGuardTest {
    private final JolokiaGuard guard = JolokiaGuard.forManagementPort("127.0.0.1", 9097, List.of("http://hawtio.local:8090"));
    private static final String EXEC = "{\"type\":\"exec\",\"mbean\":\"x:y=z\",\"operation\":\"stop()\"}";
    private static final String READ = "{\"type\":\"read\",\"mbean\":\"x:y=z\"}";

    @Test
    void aGetMayOnlyRead() {
        assertThat(guard.refusal("GET", "/read/x:y=z/A", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "/list", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "", null, null, null)).isNull();
        assertThat(guard.refusal("GET", "/exec/x:y=z/stop()", null, null, null)).contains("exec");
        assertThat(guard.refusal("GET", "/EXEC/x:y=z/stop()", null, null, null)).isNotNull();
        assertThat(guard.refusal("GET", "//%65xec/x:y=z/stop()", null, null, null)).isNotNull();
        assertThat(guard.refusal("GET", "/write/x:y=z/A/1", null, null, null)).isNotNull();
        // Jolokia's p parameter replaces the path
        assertThat(guard.refusal("GET", "/read/x:y=z/A", "/exec/x:y=z/stop()", null, null)).isNotNull();
    }

    @Test
    void anOperationNeedsTheOwnOriginOrNone() {
        assertThat(guard.refusal("POST", "", null, null, EXEC)).isNull();
        assertThat(guard.refusal("POST", "", null, "http://127.0.0.1:9097", EXEC)).isNull();
        assertThat(guard.refusal("POST", "", null, "http://LOCALHOST:9097/", EXEC)).isNull();
        assertThat(guard.refusal("POST", "", null, "http://hawtio.local:8090", EXEC)).isNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", EXEC)).contains("evil.example");
        assertThat(guard.refusal("POST", "", null, "http://127.0.0.1:9098", EXEC)).isNotNull();
        assertThat(guard.refusal("POST", "", null, "null", EXEC)).isNotNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example/a/page.html", EXEC)).isNotNull();
    }

    @Test
    void readsFromAnyOriginPassOnlyWhenEveryRequestIsARead() {
        assertThat(guard.refusal("POST", "", null, "http://evil.example", READ)).isNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", "[" + READ + "," + READ + "]")).isNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", "[" + READ + "," + EXEC + "]")).isNotNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", EXEC.replace("exec", "EXEC"))).isNotNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", "not json")).isNotNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", "[]")).isNotNull();
        assertThat(guard.refusal("POST", "", null, "http://evil.example", "")).isNotNull();
    }
}
