package io.influxrelay.it;

import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.Quietly;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend URL with credentials (http://user:password@host:port) in front of a real influxd with
 * auth enabled: the relay authenticates its writes and replays, the client's own credentials win,
 * and the password shows nowhere an operator looks.
 */
class BackendCredentialsIT {
    private static final String USER = "relay";
    private static final String PASSWORD = "hunter2@Xq7 s"; // '@' and ' ' percent-encoded in the URL
    private static final String SECRET = "hunter2";

    private static Influxd influxd;
    private static RelayProcess relay;
    private static int managementPort;

    @BeforeAll
    static void start() {
        influxd = Influxd.startWithAuth(USER, PASSWORD);
        influxd.createDatabase("secure");
        managementPort = FreePorts.next();
        relay = RelayProcess.start(Map.of(
                "relay.backends", "a",
                "relay.backend.a.url", "http://" + USER + ":hunter2%40Xq7%20s@127.0.0.1:" + influxd.port(),
                "relay.management.port", Integer.toString(managementPort),
                "relay.write.client-consistency", "honor",
                "relay.max-delay-interval", "1s"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(relay, influxd);
    }

    private static String count(String measurement) {
        return influxd.query("secure", "SELECT count(v) FROM " + measurement);
    }

    @Test
    void aWriteWithoutClientCredentialsIsStoredWithTheBackendsOwn() {
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=secure", "plain v=1 1000");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(count("plain")).contains("[0,1]");
    }

    @Test
    void aClientsOwnWrongCredentialsGo() {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("relay:wrong".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = Http.post(relay.url() + "/write?db=secure", "intruder v=1 1000", "Authorization", wrong);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(count("intruder")).doesNotContain("[0,1]");
    }

    @Test
    void aBufferedWriteIsReplayedWithTheBackendsCredentials() {
        influxd.stop();
        try {
            HttpResponse<String> r = Http.post(relay.url() + "/write?db=secure&consistency=any", "later v=1 1000");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        } finally {
            influxd.restart();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("later")).contains("[0,1]"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Http.request("GET", relay.url() + "/health/backend/a").statusCode()).isEqualTo(200));
    }

    @Test
    void thePasswordIsNowhereToBeSeen() {
        Http.post(relay.url() + "/write?db=secure", "seen v=1 1000");
        HttpResponse<String> status = Http.request("GET", relay.url() + "/status");
        assertThat(status.body()).contains("\"url\":\"http://127.0.0.1:" + influxd.port() + "\"");
        String jolokia = "http://127.0.0.1:" + managementPort + "/observe/jolokia";
        HttpResponse<String> endpoints = Http.request("GET", jolokia + "/search/org.apache.camel:type=endpoints,*");
        assertThat(endpoints.body()).contains("127.0.0.1:" + influxd.port() + "/write");
        HttpResponse<String> backend = Http.request("GET", jolokia + "/read/io.influxrelay:type=Backend,name=a");
        assertThat(backend.statusCode()).isEqualTo(200);
        for (String seen : new String[] {status.body(), Http.request("GET", relay.url() + "/metrics").body(),
                endpoints.body(), backend.body(), relay.log()}) {
            assertThat(seen).doesNotContain(SECRET, "%40Xq7", "@127.0.0.1", basic());
        }
    }

    private static String basic() {
        return Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
