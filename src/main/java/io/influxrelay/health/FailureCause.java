package io.influxrelay.health;

import org.apache.camel.component.direct.DirectConsumerNotAvailableException;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.RejectedExecutionException;

/** Names why a backend did not take a write, for the failures meter (a bounded set of labels). */
public final class FailureCause {
    private FailureCause() {
    }

    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return "tls"; // a handshake refused: untrusted certificate, wrong name, no common protocol
            }
            if (t instanceof ConnectException) {
                return "refused";
            }
            if (t instanceof SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (t instanceof DirectConsumerNotAvailableException) {
                return "stopped"; // the relay's own route to the backend is stopped
            }
            if (t instanceof RejectedExecutionException) {
                return "overloaded";
            }
            if (t instanceof SocketException || t.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return "reset";
            }
        }
        return "other";
    }

    /** A transport failure: the backend could not be reached at all (as opposed to an answer, or our own queue). */
    public static boolean unreachable(String cause) {
        return cause.equals("refused") || cause.equals("timeout") || cause.equals("reset") || cause.equals("tls");
    }
}
