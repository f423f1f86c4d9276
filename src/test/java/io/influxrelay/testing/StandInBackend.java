package io.influxrelay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server standing in for an InfluxDB, only for faults a real influxd cannot be made to
 * produce on demand: a fixed 5xx, or a hang.
 */
public final class StandInBackend implements AutoCloseable {
    /** What the stand-in answers to a write. */
    public record Behaviour(int status, String error, boolean hangs) {
        public static Behaviour status(int status, String errorMessage) {
            return new Behaviour(status, errorMessage, false);
        }

        public static Behaviour ok() {
            return new Behaviour(204, null, false);
        }

        public static Behaviour hang() {
            return new Behaviour(0, null, true);
        }

        /** Writes are held (not answered) until {@link #open()}, then answered 204; pings are answered. */
        public static Behaviour held() {
            return new Behaviour(204, null, true);
        }

        String body() {
            return error == null ? null : "{\"error\":\"" + error + "\"}\n";
        }
    }

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour;

    private StandInBackend(Behaviour behaviour) {
        this.behaviour = behaviour;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public static StandInBackend start(Behaviour behaviour) {
        return new StandInBackend(behaviour);
    }

    public void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestURI() + "\n" + body);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authorizations.add(auth);
            }
            Behaviour b = behaviour;
            if (b.hangs() && b.status() == 0) {
                released.await(60, TimeUnit.SECONDS);
                return;
            }
            if (b.hangs() && exchange.getRequestURI().getPath().startsWith("/write")) {
                gate.await(60, TimeUnit.SECONDS);
            }
            byte[] bytes = b.body() == null ? new byte[0] : b.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (b.error() != null) {
                exchange.getResponseHeaders().add("X-Influxdb-Error", b.error());
            }
            exchange.getResponseHeaders().add("X-Influxdb-Version", "1.6.7-standin");
            exchange.sendResponseHeaders(b.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers the writes held by {@link Behaviour#held()}, and every later one at once. */
    public void open() {
        gate.countDown();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The writes seen so far (the relay's /ping probes left out): URI, newline, body. */
    public List<String> received() {
        return received.stream().filter(r -> r.startsWith("/write")).toList();
    }

    public List<String> authorizations() {
        return authorizations;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
