package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * relay.http.max-body-mb is InfluxDB's limit (25: 25,000,000 bytes, influxd's default max-body-size),
 * against two real influxd with their default limit.
 */
class BodyLimitIT {
    private static Influxd a;
    private static Influxd b;
    private static RelayProcess relay;

    @BeforeAll
    static void start() {
        a = Influxd.start();
        b = Influxd.start();
        a.createDatabase("limits");
        b.createDatabase("limits");
        // a 25 MB write takes influxd seconds on a busy 2-core machine
        relay = RelayProcess.inFrontOf(a, b, Map.of("relay.timeout", "60s", "relay.write.client-consistency", "honor"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, a, b);
    }

    /** Lines "m v=1 <ts>\n" (a few with v=10), timestamped, adding up to exactly {@code bytes}. */
    private static byte[] timestamped(String measurement, int bytes) {
        int lineBytes = (measurement + " v=1 1000000000000\n").length();
        int lines = bytes / lineBytes;
        int longer = bytes - lines * lineBytes; // these lines get v=10: one byte more each
        StringBuilder body = new StringBuilder(bytes);
        for (int i = 0; i < lines; i++) {
            body.append(measurement).append(i < longer ? " v=10 " : " v=1 ").append(1_000_000_000_000L + i).append('\n');
        }
        byte[] out = body.toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(out).hasSize(bytes);
        return out;
    }

    private static String count(Influxd influxd, String measurement) {
        return influxd.query("limits", "SELECT count(v) FROM " + measurement);
    }

    @Test
    void aBodyOverInfluxDbsLimitGetsTheRelays413() {
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=limits", timestamped("over", 25_100_000));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.headers().firstValue("X-InfluxDB-Error")).isPresent();
        assertThat(r.body()).startsWith("{\"error\":");
        assertThat(count(a, "over")).doesNotContain("count");
        assertThat(count(b, "over")).doesNotContain("count");
    }

    @Test
    void aBodyJustUnderTheLimitIsStoredOnBoth() {
        // lines long enough to stay under influxd's 1,000,000 max-series-per-database: influxd 1.6 counts
        // the points of a new series in one write against it
        byte[] body = timestamped("under_limit", 24_900_000);
        long lines = body.length / "under_limit v=1 1000000000000\n".length();
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=limits&consistency=all", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(count(a, "under_limit")).contains("[0," + lines + "]");
        assertThat(count(b, "under_limit")).contains("[0," + lines + "]");
    }
}
