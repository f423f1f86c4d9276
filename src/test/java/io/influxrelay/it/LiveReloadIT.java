package io.influxrelay.it;

import io.influxrelay.testing.Http;
import io.influxrelay.testing.Influxd;
import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An operator edits a YAML route of a running relay: the change takes effect without a restart. */
class LiveReloadIT {

    @Test
    void anEditedYamlRouteIsReloadedWhileTheBackendRoutesStay() throws Exception {
        try (Influxd influxd = Influxd.start();
             RelayProcess relay = RelayProcess.start(Map.of("relay.backends", "only",
                     "relay.backend.only.url", influxd.url()))) {
            influxd.createDatabase("reload");
            assertThat(Http.request("GET", relay.url() + "/ping").statusCode()).isEqualTo(204);

            Path http = relay.home().resolve("routes/http.yaml");
            Files.writeString(http, Files.readString(http).replace("== '/ping'", "== '/healthz'"));

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                    assertThat(Http.request("GET", relay.url() + "/healthz").statusCode()).isEqualTo(204));
            assertThat(Http.request("GET", relay.url() + "/ping").statusCode()).isEqualTo(404);
            // the Java routes (one per backend) survived the YAML reload
            assertThat(Http.post(relay.url() + "/write?db=reload", "after_reload v=1 1000").statusCode()).isEqualTo(204);
            assertThat(influxd.query("reload", "SELECT * FROM after_reload")).contains("[1000,1]");
            assertThat(relay.pid()).isPositive();
        }
    }
}
