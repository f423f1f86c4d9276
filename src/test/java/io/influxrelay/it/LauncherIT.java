package io.influxrelay.it;

import io.influxrelay.config.ConfigSource;
import io.influxrelay.config.MemoryFlags;
import io.influxrelay.config.RelayConfig;
import io.influxrelay.testing.FreePorts;
import io.influxrelay.testing.RelayProcess;
import io.influxrelay.testing.TempDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bin/relay as an operator runs it (RELAY_HOME, RELAY_JAR): the heap sized from the configuration, the
 * flags kept next to the jar and taken from there by the next start, the class-data archive trained by the
 * first run and mapped by the next. The jar is a copy in a directory of its own, so the files bin/relay
 * keeps beside it are this test's alone.
 */
class LauncherIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path jarDir;
    private static Path jar;
    private static Path home;
    private static int port;

    @BeforeAll
    static void copyJar() throws IOException {
        jarDir = Files.createTempDirectory("relay-jar-");
        jar = jarDir.resolve("influxdb-relay.jar");
        Files.copy(RelayProcess.projectDir().resolve("target/influxdb-relay.jar"), jar, StandardCopyOption.COPY_ATTRIBUTES);
        home = Files.createTempDirectory("relay-home-");
        Files.createDirectories(home.resolve("config"));
        RelayProcess.copyRoutes(home.resolve("routes"));
        port = FreePorts.next();
    }

    @AfterAll
    static void removeFiles() {
        TempDirs.delete(jarDir);
        TempDirs.delete(home);
    }

    private static Map<String, String> config(int bufferMb) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("relay.http.host", "127.0.0.1");
        c.put("relay.http.port", Integer.toString(port));
        c.put("relay.management.port", "0");
        c.put("relay.udp.port", "0");
        c.put("relay.backends", "a,b");
        c.put("relay.backend.a.url", "http://127.0.0.1:" + FreePorts.next());
        c.put("relay.backend.b.url", "http://127.0.0.1:" + FreePorts.next());
        c.put("relay.buffer-size-mb", Integer.toString(bufferMb));
        Files.writeString(home.resolve("config/application.properties"), c.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        return c;
    }

    /** Runs bin/relay until /ping answers; returns the JVM's arguments (bin/relay execs java), then stops it. */
    private static List<String> runOnce() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(RelayProcess.projectDir().resolve("bin/relay").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("relay.log").toFile());
        pb.environment().put("RELAY_HOME", home.toString());
        pb.environment().put("RELAY_JAR", jar.toString());
        Process relay = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(relay.isAlive()).as(Files.readString(home.resolve("relay.log"))).isTrue();
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
                } catch (IOException notYet) {
                    return false;
                }
            });
            return ProcessHandle.of(relay.pid()).flatMap(p -> p.info().arguments()).map(List::of).orElseThrow();
        } finally {
            relay.destroy(); // SIGTERM: a training run writes its archive as it exits
            if (!relay.waitFor(60, TimeUnit.SECONDS)) {
                relay.destroyForcibly().waitFor();
            }
        }
    }

    private static List<Path> besideJar(String glob) throws IOException {
        try (Stream<Path> files = Files.list(jarDir)) {
            java.nio.file.PathMatcher m = jarDir.getFileSystem().getPathMatcher("glob:" + glob);
            return files.filter(f -> m.matches(f.getFileName())).sorted().toList();
        }
    }

    @Test
    void theHeapFollowsTheConfigurationAndTheSecondStartReusesWhatTheFirstWorkedOut() throws Exception {
        Map<String, String> small = config(16);
        long heap = MemoryFlags.megabytes(RelayConfig.from(ConfigSource.of(small)));

        List<String> first = runOnce();
        assertThat(first).contains("-Xmx" + heap + "m", "-XX:+UseSerialGC");
        assertThat(first).anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")); // the first run trains
        List<Path> flags = besideJar("influxdb-relay-memory-*.flags");
        assertThat(flags).hasSize(1);
        assertThat(Files.readString(flags.get(0))).contains("-Xmx" + heap + "m");

        // the kept flags are what the next start takes (marked here so that it shows), with the archive
        Files.writeString(flags.get(0), Files.readString(flags.get(0)).strip() + " -Drelay.test.kept-flags=yes\n");
        List<String> second = runOnce();
        assertThat(second).contains("-Xmx" + heap + "m", "-Drelay.test.kept-flags=yes");
        assertThat(second).anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="));
        assertThat(besideJar("influxdb-relay-*.jsa")).hasSize(1);

        // another configuration: its own flags, the heap for its buffers
        Map<String, String> large = config(48);
        long largerHeap = MemoryFlags.megabytes(RelayConfig.from(ConfigSource.of(large)));
        assertThat(largerHeap).isGreaterThan(heap);
        List<String> third = runOnce();
        assertThat(third).contains("-Xmx" + largerHeap + "m").doesNotContain("-Drelay.test.kept-flags=yes");
        assertThat(besideJar("influxdb-relay-memory-*.flags")).hasSize(2);
    }
}
