package io.influxrelay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in InfluxDB on a raw socket, for answers no HTTP server library will send: a response cut off
 * in its head, an endless body, a connection closed instead of an answer. It answers /ping properly (so
 * the relay's probe finds it up) and every other request (/write, /query) with {@link Answer}, then
 * closes that connection. Requests must carry a Content-Length, as the
 * relay's do.
 */
public final class RawBackend implements AutoCloseable {
    /** What is written on the socket in answer to a write or a query. */
    @FunctionalInterface
    public interface Answer {
        void write(OutputStream out) throws IOException;

        /** On the request's connection; the connection is closed afterwards. */
        default void answerOn(Socket socket) throws IOException {
            write(socket.getOutputStream());
            socket.getOutputStream().flush();
        }
    }

    private final ServerSocket server;
    private final Answer answer;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger queries = new AtomicInteger();

    private RawBackend(Answer answer) {
        this.answer = answer;
        try {
            server = new ServerSocket(FreePorts.next(), 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "raw-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RawBackend start(Answer answer) {
        return new RawBackend(answer);
    }

    /** These bytes, as they are (e.g. a status line cut short), then the connection closed. */
    public static Answer bytes(String raw) {
        return out -> out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** No answer: the connection reset (RST), as a backend's kernel resets it when the process dies mid-request. */
    public static Answer reset() {
        return new Answer() {
            @Override
            public void write(OutputStream out) {
                // nothing is written
            }

            @Override
            public void answerOn(Socket socket) throws IOException {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        };
    }

    /** 200 with a body of {@code length} bytes, generated as it is sent. */
    public static Answer okWithBody(long length) {
        return out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long left = length; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        };
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "raw-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                long length = 0;
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
                    }
                }
                in.skipNBytes(length);
                if (requestLine.contains(" /query")) {
                    queries.incrementAndGet();
                }
                if (!requestLine.contains(" /ping")) {
                    answered.incrementAndGet();
                    answer.answerOn(socket);
                    return;
                }
                out.write("HTTP/1.1 204 No Content\r\nX-Influxdb-Version: 1.6.7-raw\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the relay hung up: expected when it stops reading an endless answer
        } finally {
            open.remove(socket);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Writes received so far (/ping probes left out). */
    public int queries() {
        return queries.get();
    }

    /** Requests answered with {@link Answer} so far: writes and queries. */
    public int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
    }
}
