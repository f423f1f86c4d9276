package io.influxrelay.udp;

import io.influxrelay.lineprotocol.LineScanner;
import io.influxrelay.lineprotocol.Precision;
import io.influxrelay.lineprotocol.ScanResult;
import io.influxrelay.log.LogText;
import io.influxrelay.metrics.ThrottledLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One datagram of line protocol: checked by the same scanner as HTTP writes, points without a time
 * stamped with the datagram's arrival in relay.udp.precision, bad lines dropped and counted. The good
 * lines go to the HTTP backends' batch and, as datagrams, to the UDP backends.
 */
public final class UdpReader implements Processor {
    private static final ThrottledLog BAD = new ThrottledLog(LoggerFactory.getLogger(UdpReader.class), 10, TimeUnit.SECONDS);
    private static final ThrottledLog UNSENT = new ThrottledLog(LoggerFactory.getLogger(UdpReader.class), 10, TimeUnit.SECONDS);

    private final Precision precision;
    private final UdpBatcher batcher;
    private final List<UdpBackend> udpBackends;
    private final UdpMetrics metrics;
    private final Clock clock;

    UdpReader(Precision precision, UdpBatcher batcher, List<UdpBackend> udpBackends, UdpMetrics metrics, Clock clock) {
        this.precision = precision;
        this.batcher = batcher;
        this.udpBackends = udpBackends;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        byte[] datagram = exchange.getIn().getBody(byte[].class);
        if (datagram == null) {
            return;
        }
        ScanResult scan = LineScanner.scan(datagram, 0, datagram.length, precision.now(clock), precision);
        metrics.received(datagram.length, scan.validLines(), scan.invalidLines());
        if (scan.invalidLines() > 0) {
            BAD.warn("dropped {} invalid lines of a UDP datagram: {}", scan.invalidLines(), LogText.escape(scan.errors()));
        }
        if (!scan.hasValidLines()) {
            return;
        }
        if (batcher != null) {
            batcher.append(scan.body(), scan.bodyOffset(), scan.bodyLength(), scan.validLines());
        }
        for (UdpBackend backend : udpBackends) {
            try {
                backend.send(scan.body(), scan.bodyOffset(), scan.bodyLength());
                metrics.delivered(backend.name(), scan.validLines());
            } catch (IOException e) {
                metrics.lost(scan.validLines());
                UNSENT.warn("UDP backend {} could not be sent {} lines: {}", backend.name(), scan.validLines(), e.toString());
            }
        }
    }
}
