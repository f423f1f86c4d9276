package io.influxrelay.it;

import io.influxrelay.testing.RelayProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad configuration stops start-up with one line naming the key, and a non-zero exit. */
class StartupIT {

    private static void assertRefused(Map<String, String> properties, String key) {
        try (RelayProcess relay = RelayProcess.launch(properties, List.of())) {
            int exit = relay.awaitExit(Duration.ofSeconds(60));
            assertThat(exit).isEqualTo(2);
            List<String> lines = relay.log().lines().toList();
            assertThat(lines).as(relay.log()).hasSize(1);
            assertThat(lines.get(0)).contains("configuration error: " + key + ":");
        }
    }

    @Test
    void anUnknownConsistencyIsRefused() {
        assertRefused(Map.of("relay.write.consistency", "some"), "relay.write.consistency");
    }

    @Test
    void noBackendsIsRefused() {
        assertRefused(Map.of("relay.backends", ""), "relay.backends");
    }

    @Test
    void aMalformedBackendUrlIsRefused() {
        assertRefused(Map.of("relay.backends", "x", "relay.backend.x.url", "127.0.0.1:8086"), "relay.backend.x.url");
    }

    @Test
    void aPortInUseIsRefused() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertRefused(Map.of("relay.http.port", Integer.toString(taken.getLocalPort())), "relay.http.port");
        }
    }

    @Test
    void aDeadLetterDirectoryUnderARegularFileIsRefused() throws IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("not-a-dir-", ".txt");
        try {
            assertRefused(Map.of("relay.dead-letter.dir", file.resolve("dead-letter").toString()), "relay.dead-letter.dir");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void aMissingDeadLetterDirectoryIsCreated() {
        try (RelayProcess relay = RelayProcess.start(Map.of("relay.dead-letter.dir", "spool/dead-letter"))) {
            assertThat(relay.home().resolve("spool/dead-letter")).isDirectory();
        }
    }

    @Test
    void aSystemPropertyOverridesTheFile() {
        try (RelayProcess relay = RelayProcess.launch(Map.of(), List.of("-Drelay.write.consistency=nonsense"))) {
            assertThat(relay.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(relay.log()).contains("relay.write.consistency: unknown consistency 'nonsense'");
        }
    }
}
