package io.influxrelay.prometheus;

/** A remote-write or remote-read body the relay cannot read: the client hears {@link #status()} and the message. */
public final class BadRemoteBody extends Exception {
    private final int status;

    BadRemoteBody(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
