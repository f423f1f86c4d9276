package io.influxrelay.query;

/**
 * A client's /query as it goes on to the backends, untouched: the method, the raw query string, the
 * form body (POST), and the headers InfluxDB reads. {@code q} is only read, to classify it.
 */
public record QueryRequest(String method, String rawQuery, byte[] body, String contentType, String authorization,
                           String acceptEncoding, ClassifiedQuery statements) {
    /** Exchange property the request travels under. */
    public static final String PROPERTY = "relay.query";
    /** Exchange property with {@link QueryKind}'s name, for the YAML route's choice. */
    public static final String KIND = "relay.query.kind";
    /** The statements as they queue in a backend's retry buffer, to replay in order with the writes. */
    public io.influxrelay.buffer.BufferedWrite asBuffered() {
        boolean form = body != null && contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        return new io.influxrelay.buffer.BufferedWrite(rawQuery, authorization, form ? body : new byte[0],
                System.nanoTime(), true);
    }

    /** Exchange property: System.nanoTime() when the query arrived. */
    public static final String ARRIVED = "relay.query.arrived";
}
