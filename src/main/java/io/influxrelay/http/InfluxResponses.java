package io.influxrelay.http;

import io.influxrelay.fanout.Answer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Every answer the relay gives a client leaves through here, shaped like InfluxDB's: the version
 * headers on every response, errors as {"error":"..."} JSON with an X-InfluxDB-Error header.
 */
public final class InfluxResponses {
    /** Version-looking, so clients that parse it keep working; the suffix tells a human it is the relay. */
    public static final String VERSION = "1.8.10-relay";
    public static final String BUILD = "OSS";
    private static final int MAX_ERROR_HEADER = 1024;

    // bodies as bytes: netty-http converts them directly, where a null or String body costs a converter search
    private static final byte[] NO_BODY = new byte[0];

    private InfluxResponses() {
    }

    public static void noContent(Exchange exchange) {
        start(exchange.getMessage(), 204);
    }

    public static void error(Exchange exchange, int status, String message) {
        boolean v2 = V2Errors.asked(exchange);
        Message m = start(exchange.getMessage(), status);
        m.setHeader("Content-Type", "application/json");
        m.setHeader("X-InfluxDB-Error", errorHeader(message));
        if (v2) {
            m.setHeader("X-Platform-Error-Code", V2Errors.code(status));
            m.setBody(V2Errors.body(status, message));
        } else {
            m.setBody(errorBody(message));
        }
    }

    /**
     * 503 for a write over relay.http.max-concurrent-writes, as InfluxDB answers when its write throttle
     * is full, with Retry-After: the client should come back, not queue here.
     */
    public static void throttled(Exchange exchange, String message) {
        error(exchange, 503, message);
        exchange.getMessage().setHeader("Retry-After", "1");
    }

    /** Passes a backend's answer through: its status and InfluxDB's own body (a 2.x client's error reshaped). */
    public static void answer(Exchange exchange, Answer answer) {
        if (answer.status() >= 400 && answer.body() != null && !answer.body().isEmpty() && V2Errors.asked(exchange)) {
            error(exchange, answer.status(), answer.influxError() != null ? answer.influxError() : V2Errors.messageOf(answer.body()));
            return;
        }
        if (answer.body() == null || answer.body().isEmpty()) {
            if (answer.influxError() != null) {
                error(exchange, answer.status(), answer.influxError());
            } else {
                start(exchange.getMessage(), answer.status());
            }
            return;
        }
        Message m = start(exchange.getMessage(), answer.status());
        m.setHeader("Content-Type", "application/json");
        if (answer.influxError() != null) {
            m.setHeader("X-InfluxDB-Error", errorHeader(answer.influxError()));
        }
        m.setBody(utf8(answer.body()));
    }

    public static void text(Exchange exchange, int status, String contentType, String text) {
        Message m = start(exchange.getMessage(), status);
        m.setHeader("Content-Type", contentType);
        m.setBody(utf8(text));
    }

    /** An answer streamed to the client as the body is read (on a thread of the listener's own, see StreamedAnswers). */
    public static void streamed(Exchange exchange, int status, String contentType, java.io.InputStream body) {
        Message m = start(exchange.getMessage(), status);
        m.setHeader("Content-Type", contentType);
        m.setBody(body);
    }

    /** A binary answer (a Prometheus remote-read answer the relay merged). */
    public static void bytes(Exchange exchange, int status, String contentType, byte[] body) {
        Message m = start(exchange.getMessage(), status);
        m.setHeader("Content-Type", contentType);
        m.setBody(body);
    }

    public static void json(Exchange exchange, int status, String json) {
        Message m = start(exchange.getMessage(), status);
        m.setHeader("Content-Type", "application/json");
        m.setBody(utf8(json));
    }

    /** GET|HEAD /ping: 204 like InfluxDB, without asking any backend; verbose=true gets the version. */
    public static void ping(Exchange exchange) {
        String query = exchange.getIn().getHeader(Exchange.HTTP_RAW_QUERY, "", String.class);
        if (query.contains("verbose=true")) {
            json(exchange, 200, "{\"version\":" + Json.quote(VERSION) + "}\n");
        } else {
            noContent(exchange);
        }
    }

    public static void notFound(Exchange exchange) {
        error(exchange, 404, "not found");
    }

    public static void methodNotAllowed(Exchange exchange, String allow) {
        error(exchange, 405, "method not allowed");
        exchange.getMessage().setHeader("Allow", allow);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** InfluxDB's error body: {"error":"..."} and a newline. */
    public static byte[] errorBody(String message) {
        return utf8("{\"error\":" + Json.quote(message) + "}\n");
    }

    /**
     * The X-InfluxDB-Error value: at most 1024 characters, as influxd sends (the body keeps the whole
     * text; a million bad lines would otherwise make a header clients refuse). Control characters
     * cannot stand in a header (netty refuses to send it): a multi-line parse error gets spaces, as Go's
     * server (so InfluxDB) turns newlines into spaces.
     */
    public static String errorHeader(String s) {
        int length = Math.min(s.length(), MAX_ERROR_HEADER);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString();
    }

    /** Starts a response: drops the request's headers (netty-http would echo them), keeps keep-alive. */
    private static Message start(Message m, int status) {
        RequestHeaders.dropAllButConnection(m);
        m.setBody(NO_BODY);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader("X-Influxdb-Version", VERSION);
        m.setHeader("X-Influxdb-Build", BUILD);
        return m;
    }
}
