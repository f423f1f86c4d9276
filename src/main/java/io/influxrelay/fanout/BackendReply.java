package io.influxrelay.fanout;

/**
 * What one backend said to one write: an HTTP status with InfluxDB's body, or a transport failure
 * (refused, reset, timed out), which has status 0.
 */
public record BackendReply(String backend, int status, String body, String influxError, String failure,
                           boolean queued) {

    public static BackendReply http(String backend, int status, String body, String influxError) {
        return new BackendReply(backend, status, body, influxError, null, false);
    }

    public static BackendReply transportFailure(String backend, String failure) {
        return new BackendReply(backend, 0, null, null, failure, false);
    }

    /** Not sent: the backend's retry buffer still holds older writes, and this one may not overtake them. */
    public static BackendReply deferred(String backend) {
        return transportFailure(backend, "behind the retry buffer");
    }

    /** This failed write is now safely in the backend's retry buffer. */
    public BackendReply asQueued() {
        return new BackendReply(backend, status, body, influxError, failure, true);
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** The write itself is wrong (bad db, bad data): retrying or asking another backend won't help. */
    public boolean clientError() {
        return status >= 400 && status < 500;
    }

    /** The backend could not take the write now: 5xx, an odd status, or no answer at all. */
    public boolean serverError() {
        return !success() && !clientError();
    }

    public String describe() {
        return failure != null ? failure : Integer.toString(status);
    }
}
