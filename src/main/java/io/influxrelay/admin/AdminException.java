package io.influxrelay.admin;

/** A failure worth one line on stderr and exit status 2: the message says what and where. */
final class AdminException extends RuntimeException {
    AdminException(String message) {
        super(message);
    }
}
