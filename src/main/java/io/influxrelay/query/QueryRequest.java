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
        boolean form = hasFormBody();
        return new io.influxrelay.buffer.BufferedWrite(rawQuery, authorization, form ? body : new byte[0],
                System.nanoTime(), true);
    }

    /**
     * The request as each shard is asked it when their answers are merged: whole, not chunked, not
     * pretty, not compressed (the relay reads and merges them, then answers the client in one piece).
     */
    public QueryRequest forMerging() {
        boolean form = hasFormBody();
        byte[] formBody = form ? withoutAnswerShape(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8) : body;
        return new QueryRequest(method, withoutAnswerShape(rawQuery), formBody, contentType, authorization, null, statements);
    }

    /** A POST whose body is a form (q and the other parameters may stand there instead of the URL). */
    private boolean hasFormBody() {
        return body != null && isForm(contentType);
    }

    static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** A query string or form without chunked, chunk_size and pretty. */
    static String withoutAnswerShape(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        java.util.StringJoiner kept = new java.util.StringJoiner("&");
        for (String pair : query.split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!key.equals("chunked") && !key.equals("chunk_size") && !key.equals("pretty")) {
                kept.add(pair);
            }
        }
        return kept.toString();
    }

    /** A parameter of the request, from the query string or else the form body, decoded; null when absent. */
    public String parameter(String name) {
        String value = new io.influxrelay.write.QueryString(rawQuery).get(name);
        boolean form = hasFormBody();
        if (value == null && form) {
            value = new io.influxrelay.write.QueryString(new String(body, java.nio.charset.StandardCharsets.UTF_8)).get(name);
        }
        return value;
    }

    /** Exchange property: System.nanoTime() when the query arrived. */
    public static final String ARRIVED = "relay.query.arrived";
}
