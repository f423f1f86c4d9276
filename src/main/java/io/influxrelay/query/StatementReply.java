package io.influxrelay.query;

import java.util.Map;

/**
 * What one backend answered to statements that change state. InfluxDB answers most statement errors
 * with 200 and {"results":[{"error":...}]}: those count as the statement's fault, like a 4xx.
 *
 * @param status 0: no answer (refused, reset, timed out)
 */
record StatementReply(String backend, int status, Map<String, String> headers, byte[] body, String failure) {

    static StatementReply failed(String backend, String failure) {
        return new StatementReply(backend, 0, null, null, failure);
    }

    /** Not sent: the backend's retry buffer holds older writes, and statements may not overtake them. */
    static StatementReply deferred(String backend) {
        return failed(backend, "behind the retry buffer");
    }

    boolean success() {
        return status / 100 == 2 && !statementError();
    }

    /** The statements are wrong (a syntax error, a database that exists already...): every backend says so. */
    boolean statementError() {
        return status / 100 == 4 || (status / 100 == 2 && body != null
                && new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"error\":"));
    }

    /** The backend could not run them now: 5xx or no answer. */
    boolean missed() {
        return !success() && !statementError();
    }
}
