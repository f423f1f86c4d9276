package io.influxrelay.write;

import io.influxrelay.config.RelayConfig;
import io.influxrelay.fanout.Consistency;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What the relay makes of a write's query string, the same for every write API that takes InfluxDB 1.x's
 * parameters (/write, /api/v1/prom/write): the consistency it is answered by, and the query string the
 * backends get.
 */
public final class WriteParameters {
    private WriteParameters() {
    }

    /**
     * The client's ?consistency= is checked as InfluxDB checks it (empty when unknown: 400 "invalid consistency
     * level"), but decides only under relay.write.client-consistency=honor: InfluxDB OSS ignores it, and clients
     * send it without meaning it (the influx CLI sends all on every INSERT).
     */
    public static Optional<Consistency> consistency(RelayConfig config, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(config.consistency());
        }
        return Consistency.parse(value).map(asked -> config.honorClientConsistency() ? asked : config.consistency());
    }

    /** The client's query string untouched, with relay.default-retention-policy added when it names no rp. */
    public static String forwardedQuery(RelayConfig config, QueryString query) {
        String rp = config.defaultRetentionPolicy();
        if (rp.isEmpty() || query.get("rp") != null) {
            return query.raw();
        }
        return query.raw() + "&rp=" + URLEncoder.encode(rp, StandardCharsets.UTF_8);
    }
}
