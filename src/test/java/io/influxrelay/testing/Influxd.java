package io.influxrelay.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real influxd (Debian's influxdb package) on free loopback ports with its own temp dir.
 * Start one per test class: influxd takes about a second to come up.
 */
public final class Influxd implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int httpPort;
    private final int rpcPort;
    private final String udpDatabase;
    private final int udpPort;
    private Process process;
    /** Basic authorization of the admin user when auth is enabled; this helper's own requests send it. */
    private String authorization;
    /** [http] https-enabled: its PEM certificate and key; null: plain HTTP */
    private Path httpsCertificate;
    private Path httpsPrivateKey;
    /** This helper's own client: one that trusts the test CA when the server is https */
    private HttpClient http = HTTP;

    private Influxd(Path dir, int httpPort, int rpcPort, String udpDatabase, int udpPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.rpcPort = rpcPort;
        this.udpDatabase = udpDatabase;
        this.udpPort = udpPort;
    }

    public static Influxd start() {
        return start(null);
    }

    /** An influxd whose UDP listener writes to {@code udpDatabase} (created), port {@link #udpPort()}. */
    public static Influxd startWithUdpListener(String udpDatabase) {
        return start(udpDatabase);
    }

    /**
     * An influxd with {@code [http] auth-enabled = true} and one admin user, created through /query as
     * InfluxDB allows while it has no user yet.
     */
    public static Influxd startWithAuth(String adminUser, String adminPassword) {
        Influxd influxd = start(null, true);
        HttpResponse<String> r = influxd.post("/query", "q=" + enc("CREATE USER \"" + adminUser + "\" WITH PASSWORD '"
                + adminPassword.replace("'", "\\'") + "' WITH ALL PRIVILEGES"), "application/x-www-form-urlencoded");
        if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
            influxd.close();
            throw new IllegalStateException("CREATE USER failed: " + r.body());
        }
        influxd.authorization = "Basic " + java.util.Base64.getEncoder()
                .encodeToString((adminUser + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
        return influxd;
    }

    /**
     * An influxd serving HTTPS only ({@code [http] https-enabled = true}) with this PEM certificate and
     * key; this helper's own requests trust {@code ca}.
     */
    public static Influxd startWithTls(Path certificate, Path privateKey, Path ca) {
        return start(null, false, certificate, privateKey, ca);
    }

    private static Influxd start(String udpDatabase) {
        return start(udpDatabase, false);
    }

    private static Influxd start(String udpDatabase, boolean authEnabled) {
        return start(udpDatabase, authEnabled, null, null, null);
    }

    private static Influxd start(String udpDatabase, boolean authEnabled, Path certificate, Path privateKey, Path ca) {
        try {
            Path dir = Files.createTempDirectory("influxd-");
            int udpPort = udpDatabase == null ? 0 : FreeUdpPort.next();
            Influxd influxd = new Influxd(dir, FreePorts.next(), FreePorts.next(), udpDatabase, udpPort);
            if (certificate != null) {
                influxd.httpsCertificate = certificate;
                influxd.httpsPrivateKey = privateKey;
                influxd.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                        .sslContext(TestCertificates.trusting(ca)).build();
            }
            influxd.writeConfig(authEnabled);
            influxd.launch();
            return influxd;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start influxd", e);
        }
    }

    private void writeConfig(boolean authEnabled) throws IOException {
        String config = """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                [monitor]
                  store-enabled = false
                [http]
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  auth-enabled = %s
                  https-enabled = %s
                  https-certificate = "%s"
                  https-private-key = "%s"
                [continuous_queries]
                  enabled = false
                """.formatted(rpcPort, dir, dir, dir, httpPort, authEnabled, httpsCertificate != null,
                httpsCertificate == null ? "" : httpsCertificate, httpsPrivateKey == null ? "" : httpsPrivateKey);
        if (udpDatabase != null) {
            config += """
                    [[udp]]
                      enabled = true
                      bind-address = "127.0.0.1:%d"
                      database = "%s"
                      batch-size = 1000
                      batch-timeout = "50ms"
                    """.formatted(udpPort, udpDatabase);
        }
        Files.writeString(dir.resolve("influxd.conf"), config);
    }

    private void launch() throws IOException {
        process = new ProcessBuilder("influxd", "run", "-config", dir.resolve("influxd.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("influxd.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited: " + Files.readString(dir.resolve("influxd.log")));
            }
            if (pingOk()) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("influxd did not answer /ping within 30 s");
    }

    private boolean pingOk() {
        try {
            return send(HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(2)).build()).statusCode() == 204;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Stops the process by its pid, keeping the data: {@link #restart()} brings it back on the same port. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts it again if it was stopped (a test that failed half-way leaves it running for the next). */
    public void ensureRunning() {
        if (process == null || !process.isAlive()) {
            restart();
        }
    }

    public void restart() {
        stop();
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return (httpsCertificate != null ? "https" : "http") + "://127.0.0.1:" + httpPort;
    }

    public int port() {
        return httpPort;
    }

    public int udpPort() {
        return udpPort;
    }

    public void createDatabase(String db) {
        HttpResponse<String> r = post("/query", "q=" + enc("CREATE DATABASE \"" + db + "\""), "application/x-www-form-urlencoded");
        if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
            throw new IllegalStateException("CREATE DATABASE failed: " + r.body());
        }
    }

    /** Runs a query and returns InfluxDB's JSON body, timestamps as epoch nanoseconds. */
    public String query(String db, String influxQl) {
        return send(authorized(HttpRequest.newBuilder(URI.create(url() + "/query?epoch=ns&db=" + enc(db) + "&q=" + enc(influxQl)))).GET().build()).body();
    }

    /** Runs a query with chunked=true and chunk_size, and returns InfluxDB's chunks as sent, one JSON object a line. */
    public String queryChunked(String db, String influxQl, int chunkSize) {
        return send(authorized(HttpRequest.newBuilder(URI.create(url() + "/query?epoch=ns&chunked=true&chunk_size=" + chunkSize
                + "&db=" + enc(db) + "&q=" + enc(influxQl)))).GET().build()).body();
    }

    /** Writes line protocol straight to this influxd; returns the status. */
    public int write(String db, String body) {
        return writeResponse("db=" + enc(db), body).statusCode();
    }

    public HttpResponse<String> writeResponse(String query, String body) {
        return post("/write?" + query, body, "text/plain");
    }

    private HttpResponse<String> post(String pathAndQuery, String body, String contentType) {
        return send(authorized(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        TempDirs.delete(dir);
    }
}
