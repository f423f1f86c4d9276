package io.influxrelay.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;

/**
 * Errors in InfluxDB 2.x's shape, for clients of its API (/api/v2/...): {"code":"invalid","message":"..."},
 * the code named after the status as 2.x names it, and the same code in X-Platform-Error-Code. The 2.x
 * client libraries read the message from there; 1.x clients keep {"error":"..."}.
 */
public final class V2Errors {
    /** Exchange property: true when the client spoke the 2.x API, so its errors take the 2.x shape. */
    public static final String PROPERTY = "relay.api.v2";
    public static final String PATH_PREFIX = "/api/v2/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private V2Errors() {
    }

    /** The request came in on a 2.x path (the route marks it before anything drops the path header). */
    public static boolean asked(Exchange exchange) {
        if (exchange.getProperty(PROPERTY, false, Boolean.class)) {
            return true;
        }
        return path(exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class));
    }

    public static boolean path(String uri) {
        return uri != null && uri.startsWith(PATH_PREFIX);
    }

    /** InfluxDB 2.x's error code for an HTTP status (its errors.go). */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 409 -> "conflict";
            case 413 -> "request too large";
            case 422 -> "unprocessable entity";
            case 429 -> "too many requests";
            case 501 -> "not implemented";
            case 503 -> "unavailable";
            default -> "internal error";
        };
    }

    public static byte[] body(int status, String message) {
        return ("{\"code\":" + Json.quote(code(status)) + ",\"message\":" + Json.quote(message) + "}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The message of a 1.x error body ({"error":"..."}) from a backend; the text itself when it is not one. */
    public static String messageOf(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: the text is the message
        }
        return body.strip();
    }
}
