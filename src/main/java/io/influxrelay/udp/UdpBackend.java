package io.influxrelay.udp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/** A backend that takes UDP-received lines as UDP datagrams (InfluxDB's UDP listener), the original relay's mode. */
final class UdpBackend {
    private final String name;
    private final InetSocketAddress target;
    private final int mtu;
    private final DatagramChannel channel;

    UdpBackend(String name, InetSocketAddress target, int mtu) {
        this.name = name;
        this.target = target;
        this.mtu = mtu;
        try {
            this.channel = DatagramChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** Sends the lines in datagrams of at most the MTU; returns the datagrams sent. */
    int send(byte[] lines, int offset, int length) throws IOException {
        int sent = 0;
        for (int[] d : MtuSplitter.split(lines, offset, length, mtu)) {
            channel.send(ByteBuffer.wrap(lines, d[0], d[1]), target);
            sent++;
        }
        return sent;
    }
}
