package io.influxrelay.admin;

/** Bad command-line input: reported with the usage line, exit status 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
