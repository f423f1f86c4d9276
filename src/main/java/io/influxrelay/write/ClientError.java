package io.influxrelay.write;

/** A write the relay refuses itself, before any backend sees it. */
final class ClientError extends Exception {
    final int status;

    ClientError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
