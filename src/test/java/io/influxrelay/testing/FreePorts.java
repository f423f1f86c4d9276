package io.influxrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback TCP ports for test servers. The kernel may hand the port it just released out again,
 * so two calls in a row (a relay's HTTP and management ports) could get the same one: a port this JVM
 * already handed out is never given twice.
 */
public final class FreePorts {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = probe();
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no fresh loopback port after 100 attempts");
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
