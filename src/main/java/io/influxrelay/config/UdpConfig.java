package io.influxrelay.config;

import java.time.Duration;

/**
 * The UDP listener: line protocol in datagrams, relayed to every backend.
 *
 * @param port            0 turns the listener off
 * @param precision       the precision of the datagrams' timestamps, and of the stamps the relay adds
 * @param readBufferBytes SO_RCVBUF for the socket (the OS default when relay.udp.read-buffer is 0)
 */
public record UdpConfig(String host, int port, String db, String rp, String precision, Duration flushInterval,
                        int batchBytes, int readBufferBytes) {

    public boolean enabled() {
        return port > 0;
    }
}
