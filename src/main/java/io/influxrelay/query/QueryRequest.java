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
                System.nanoTime(), io.influxrelay.buffer.BufferedWrite.Kind.STATEMENTS);
    }

    /**
     * The request as each shard is asked it when their answers are merged: not pretty, not compressed (the relay
     * reads and merges them); chunked with the client's chunk_size when the client asked chunked=true (the merge
     * then streams), else whole.
     */
    public QueryRequest forMerging() {
        boolean chunked = chunked();
        boolean form = hasFormBody();
        byte[] formBody = form ? withoutAnswerShape(new String(body, java.nio.charset.StandardCharsets.UTF_8), chunked)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8) : body;
        return new QueryRequest(method, withoutAnswerShape(rawQuery, chunked), formBody, contentType, authorization, null, statements);
    }

    /** The client asked for InfluxDB's chunked answer (chunked=true, as influxd reads it). */
    public boolean chunked() {
        return "true".equals(parameter("chunked"));
    }

    /** A POST whose body is a form (q and the other parameters may stand there instead of the URL). */
    private boolean hasFormBody() {
        return body != null && isForm(contentType);
    }

    static boolean isForm(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** A query string or form without pretty, and without chunked and chunk_size unless kept. */
    static String withoutAnswerShape(String query, boolean keepChunking) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        java.util.StringJoiner kept = new java.util.StringJoiner("&");
        for (String pair : query.split("&")) {
            String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            boolean chunking = key.equals("chunked") || key.equals("chunk_size");
            if (!key.equals("pretty") && (keepChunking || !chunking)) {
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
