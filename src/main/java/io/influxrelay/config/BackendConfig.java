package io.influxrelay.config;

import java.net.URI;
import java.time.Duration;

/** One InfluxDB server the relay writes every point to. */
public record BackendConfig(String name, URI url, Duration timeout) {

    /** The InfluxDB write endpoint behind {@link #url()}. */
    public String writeUrl() {
        String base = url.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/write";
    }
}
