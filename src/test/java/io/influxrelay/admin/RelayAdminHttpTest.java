package io.influxrelay.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command against a stand-in of the relay's management endpoints (the real ones are tested by the
 * relay's own suite): what it sends, how it follows a job, what it prints and its exit status.
 */
class RelayAdminHttpTest {
    private static final String RUNNING = "{'id':'%s','kind':'%s','state':'running','from':'a','to':'b','start':'2026-11-30T00:00:00Z',"
            + "'end':'2026-11-30T01:00:00Z','elapsedSeconds':0.5,'progress':{'done':1,'total':2,'points':10}}";
    private static final String DONE = "{'id':'%s','kind':'%s','state':'done','from':'a','to':'b','start':'2026-11-30T00:00:00Z',"
            + "'end':'2026-11-30T01:00:00Z','elapsedSeconds':1,'progress':{'done':2,'total':2,'points':20},'result':%s}";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger polls = new AtomicInteger();
    private volatile String result = "{'points':20,'batches':1,'pointsPerSecond':20,'createdDatabases':[],'createdRetentionPolicies':[]}";
    private volatile boolean fail;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/relay/", this::relay);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Records "METHOD path content-type origin body"; a job is running at its first poll, finished at the second. */
    private void relay(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        requests.add(x.getRequestMethod() + " " + path + " " + x.getRequestHeaders().getFirst("Content-Type")
                + " origin=" + x.getRequestHeaders().getFirst("Origin") + " " + body);
        if (path.startsWith("/relay/jobs/")) {
            String id = path.substring("/relay/jobs/".length());
            String kind = id.substring(0, id.indexOf('-'));
            answer(x, 200, polls.incrementAndGet() < 2 ? RUNNING.formatted(id, kind)
                    : fail ? DONE.formatted(id, kind, "null").replace("'done'", "'failed'").replace("'result'", "'error':'b refused the write','result'")
                    : DONE.formatted(id, kind, result));
        } else if (body.contains("\"from\":\"x\"")) {
            answer(x, 404, "{'error':'unknown backend: x'}");
        } else if (path.equals("/relay/resync") || path.equals("/relay/check")) {
            String kind = path.substring("/relay/".length());
            answer(x, 202, RUNNING.formatted(kind + "-1", kind));
        } else {
            answer(x, 404, "{'error':'no such endpoint'}");
        }
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private int run(String... args) {
        String[] withRelay = new String[args.length + 2];
        System.arraycopy(args, 0, withRelay, 0, args.length);
        withRelay[args.length] = "--relay";
        withRelay[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return admin().run(withRelay);
    }

    private RelayAdmin admin() {
        return new RelayAdmin(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false, Duration.ofMillis(10), Map.of(), Path.of("/nonexistent"));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aResyncIsPostedAsJsonWithoutOriginThenFollowedToItsEnd() {
        int status = run("resync", "--from", "a", "--to", "b", "--db", "mydb", "--start", "0", "--end", "3600000000000");
        assertThat(status).isZero();
        assertThat(requests.get(0)).isEqualTo("POST /relay/resync application/json origin=null "
                + "{\"from\":\"a\",\"to\":\"b\",\"db\":\"mydb\",\"rp\":null,\"start\":0,\"end\":3600000000000,\"measurements\":[]}");
        assertThat(requests.subList(1, requests.size())).allMatch(r -> r.startsWith("GET /relay/jobs/resync-1 "));
        assertThat(requests).hasSize(3);
        assertThat(out()).contains("resync a").contains("points copied               20");
        assertThat(err()).isEmpty();
    }

    @Test
    void aCheckThatDiffersExitsOneAndJsonPrintsOnlyTheJob() throws Exception {
        result = "{'agrees':false,'windows':1,'fromPoints':2,'toPoints':1,'differences':[{'rp':'autogen','measurement':'cpu',"
                + "'field':'v','windowStart':'2026-11-30T00:00:00Z','windowEnd':'2026-11-30T01:00:00Z','fromCount':2,'toCount':1,'fromSum':2,'toSum':1}]}";
        int status = run("check", "--from", "a", "--to", "b", "--db", "mydb", "--start", "0", "--end", "1", "--window", "1h", "--json");
        assertThat(status).isEqualTo(RelayAdmin.DIFFERENCES);
        JsonNode job = RelayClient.JSON.readTree(out());
        assertThat(job.path("result").path("agrees").asBoolean(true)).isFalse();
        assertThat(requests.get(0)).endsWith("\"window\":\"1h\"}");
    }

    @Test
    void aFailedJobExitsTwoWithTheRelaysReason() {
        fail = true;
        int status = run("resync", "--from", "a", "--to", "b", "--db", "mydb", "--start", "0", "--end", "1");
        assertThat(status).isEqualTo(RelayAdmin.FAILURE);
        assertThat(err()).isEqualTo("relay-admin: resync resync-1 failed: b refused the write" + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void theRelaysRefusalIsPrintedAsItsError() {
        int status = run("check", "--from", "x", "--to", "b", "--db", "mydb", "--start", "0", "--end", "1");
        assertThat(status).isEqualTo(RelayAdmin.FAILURE);
        assertThat(err()).startsWith("relay-admin: unknown backend: x (404 from POST http://127.0.0.1:");
    }

    @Test
    void anUnreachableRelayIsNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int status = admin().run(new String[] {"jobs", "--relay", "127.0.0.1:" + port});
        assertThat(status).isEqualTo(RelayAdmin.FAILURE);
        assertThat(err()).startsWith("relay-admin: cannot reach the relay at http://127.0.0.1:" + port + " (");
    }

    @Test
    void badArgumentsExitTwoWithTheUsageLine() {
        int status = run("resync", "--from", "a");
        assertThat(status).isEqualTo(RelayAdmin.FAILURE);
        assertThat(err()).contains("relay-admin: --to is required").contains(AdminArgs.USAGE);
        assertThat(requests).isEmpty();
    }
}
