package io.influxrelay.recovery;

/** A resync or check cannot go on; the message is what the job reports, so it never holds credentials. */
public class RecoveryException extends RuntimeException {
    public RecoveryException(String message) {
        super(message);
    }
}
