package io.influxrelay.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare socket, for what a client library would hide or refuse to send: pipelined
 * requests, broken chunking, lying Content-Lengths, malformed escapes. Sends bytes as given and reads
 * answers one by one.
 */
public final class RawHttp implements AutoCloseable {
    /** One answer: status, headers (names in lower case), body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    public static RawHttp connect(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends these requests on one connection and reads this many answers. */
    public static List<Response> exchange(int port, String requests, int answers) {
        try (RawHttp http = connect(port)) {
            return http.send(requests).read(answers);
        }
    }

    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Response> read(int answers) {
        List<Response> out = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            out.add(read());
        }
        return out;
    }

    public Response read() {
        try {
            String status = line();
            if (status == null) {
                throw new EOFException("connection closed before an answer");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int code = Integer.parseInt(status.split(" ")[1]);
            return new Response(code, headers, body(code, headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the relay closes the connection (EOF or reset) within the time given, reading nothing more. */
    public boolean closedWithin(Duration limit) {
        try {
            socket.setSoTimeout((int) limit.toMillis());
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String body(int code, Map<String, String> headers) throws IOException {
        if (code == 204 || code == 304 || code / 100 == 1) {
            return "";
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
            return body.toString(StandardCharsets.UTF_8);
        }
        String length = headers.get("content-length");
        if (length == null) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        byte[] b = in.readNBytes(Integer.parseInt(length));
        return new String(b, StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
