package io.influxrelay.fanout;

/** The status and body the client gets for a write. {@code body} is InfluxDB's JSON, or null for 204. */
public record Answer(int status, String body, String influxError) {

    public static final Answer ACCEPTED = new Answer(204, null, null);
    public static final Answer UNAVAILABLE = Answer.error(503, "unable to write points");

    public static Answer error(int status, String message) {
        return new Answer(status, null, message);
    }

    static Answer from(BackendReply reply) {
        return new Answer(reply.status(), reply.body(), reply.influxError());
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }
}
