package io.influxrelay.admin;

import io.influxrelay.config.ConfigException;
import io.influxrelay.config.ConfigSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the relay's management server is: --relay, else RELAY_ADMIN_URL, else the relay's own
 * configuration (same precedence as the relay: system property, environment, the file; https when it
 * gives the management port a certificate), else the default.
 */
final class RelayAddress {
    static final String DEFAULT = "http://127.0.0.1:9097";

    private RelayAddress() {
    }

    static String resolve(String option, Map<String, String> env, Path home) {
        if (option != null && !option.isBlank()) {
            return normalize(option);
        }
        String fromEnv = env.get("RELAY_ADMIN_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return normalize(fromEnv);
        }
        Path properties = home.resolve("config/application.properties");
        if (!Files.isRegularFile(properties)) {
            return DEFAULT;
        }
        ConfigSource config;
        try {
            config = ConfigSource.load(properties);
        } catch (ConfigException e) {
            throw new AdminException(e.getMessage() + "; give --relay URL");
        }
        String host = config.get("relay.management.host").filter(h -> !h.isEmpty()).orElse("127.0.0.1");
        String port = config.get("relay.management.port").filter(p -> !p.isEmpty()).orElse("9097");
        if (port.equals("0")) {
            throw new AdminException("the relay's management server is turned off (relay.management.port=0 in "
                    + properties + "); give --relay URL");
        }
        // a wildcard address is where the relay listens, not where to reach it
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        // relay.management.tls.*: the port serves HTTPS only
        boolean https = config.get("relay.management.tls.cert").filter(v -> !v.isEmpty()).isPresent()
                || config.get("relay.management.tls.keystore").filter(v -> !v.isEmpty()).isPresent();
        return (https ? "https://" : "http://") + host + ":" + port;
    }

    /** host:port alone means http; a trailing slash would double in the paths. */
    static String normalize(String url) {
        String u = url.trim();
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    static Path home() {
        String home = System.getProperty("relay.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("RELAY_HOME");
        }
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
