package io.influxrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built relay (target/influxdb-relay.jar) as a user runs it: its own home with config/ and a copy
 * of the project's routes/, started with java -jar, stopped by its pid.
 */
public final class RelayProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home;
    private final int port;
    private final Process process;

    private RelayProcess(Path home, int port, Process process) {
        this.home = home;
        this.port = port;
        this.process = process;
    }

    /** Starts a relay with these properties on top of a free port; waits until /ping answers. */
    public static RelayProcess start(Map<String, String> properties) {
        return start(properties, List.of());
    }

    /** A relay in front of two influxd, backends named a and b, with these further properties. */
    public static RelayProcess inFrontOf(Influxd a, Influxd b, Map<String, String> properties) {
        return inFrontOf(a, b, properties, List.of());
    }

    /** The same, with these JVM arguments. */
    public static RelayProcess inFrontOf(Influxd a, Influxd b, Map<String, String> properties, List<String> jvmArgs) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "relay.backends", "a,b",
                "relay.backend.a.url", a.url(),
                "relay.backend.b.url", b.url()));
        all.putAll(properties);
        return start(all, jvmArgs);
    }

    /** The heap flags bin/relay would give a relay with these properties (it sizes the heap from the buffers). */
    public static List<String> launcherFlags(Map<String, String> properties) {
        return List.of(io.influxrelay.config.MemoryFlags.jvmFlags(io.influxrelay.config.RelayConfig.from(
                io.influxrelay.config.ConfigSource.of(properties))).split(" "));
    }

    public static RelayProcess start(Map<String, String> properties, List<String> jvmArgs) {
        RelayProcess relay = launch(properties, jvmArgs);
        relay.awaitPing();
        return relay;
    }

    /** Starts the jar and returns at once: for start-up failures. */
    public static RelayProcess launch(Map<String, String> properties, List<String> jvmArgs) {
        try {
            Path home = Files.createTempDirectory("relay-home-");
            Files.createDirectories(home.resolve("config"));
            copyRoutes(home.resolve("routes"));
            Map<String, String> all = new LinkedHashMap<>();
            all.put("relay.http.host", "127.0.0.1");
            all.put("relay.http.port", Integer.toString(FreePorts.next()));
            all.put("relay.management.port", Integer.toString(FreePorts.next()));
            all.put("relay.udp.port", "0");
            all.putAll(properties);
            String text = all.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(home.resolve("config/application.properties"), text);

            List<String> command = new ArrayList<>(List.of(javaBin()));
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
                command.add("-Xmx256m");
            }
            command.addAll(jvmArgs);
            command.addAll(List.of("-Drelay.home=" + home, "-jar", jar().toString()));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("relay.log").toFile())
                    .start();
            return new RelayProcess(home, Integer.parseInt(all.get("relay.http.port")), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's routes/, copied into a relay home's. */
    public static void copyRoutes(Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(projectDir().resolve("routes"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("relay.project.dir", "."));
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("relay.jar", "target/influxdb-relay.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("build the jar first (mvn package): " + jar.toAbsolutePath());
        }
        return jar;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("relay exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        throw new IllegalStateException("relay did not answer /ping within 60 s:\n" + log());
    }

    /** Waits for the process to end by itself; returns its exit code. */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("relay still running after " + limit + ":\n" + log());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The management port's base URL (Jolokia, the /relay operations). */
    public String managementUrl() {
        try {
            String config = Files.readString(home.resolve("config/application.properties"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^relay\\.management\\.port=(\\d+)$").matcher(config);
            if (!m.find()) {
                throw new IllegalStateException("no management port in the relay's configuration");
            }
            return "http://127.0.0.1:" + m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    public long pid() {
        return process.pid();
    }

    /** Resident memory of the relay process, in bytes (Linux). */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + pid());
    }

    /** The dead letters saved for a backend so far, as text. */
    public List<String> deadLetters(String backend) {
        Path dir = home.resolve("data/dead-letter").resolve(backend);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(home.resolve("relay.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as a crash or the OOM killer: the relay saves nothing. Its home stays until {@link #close()}. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGTERM, and waits for the relay to finish stopping. Its home stays until {@link #close()}. */
    public void stop() {
        process.destroy();
        awaitExit(Duration.ofSeconds(40));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TempDirs.delete(home);
    }
}
