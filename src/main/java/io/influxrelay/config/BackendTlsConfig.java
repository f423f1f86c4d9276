package io.influxrelay.config;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the relay checks an https:// backend: against the JVM's trust store (the system's CAs) by
 * default, against the CAs of relay.backend.NAME.tls.ca (PEM) when given, or not at all with
 * relay.backend.NAME.tls.insecure=true (warned about at start).
 *
 * @param ca       the CAs to trust instead of the system's; null: the system's
 * @param caFile   where they came from, for messages
 * @param insecure no check of the certificate or of the name in it
 */
public record BackendTlsConfig(KeyStore ca, Path caFile, boolean insecure) {
    /** The system trust store, the name checked: what an https:// URL gets without keys. */
    public static final BackendTlsConfig SYSTEM = new BackendTlsConfig(null, null, false);

    static BackendTlsConfig read(Function<String, Optional<String>> find, String name, java.net.URI url) {
        String prefix = "relay.backend." + name + ".tls.";
        Optional<String> ca = find.apply(prefix + "ca").filter(v -> !v.isEmpty());
        String insecureValue = find.apply(prefix + "insecure").filter(v -> !v.isEmpty()).orElse("false");
        boolean insecure = switch (insecureValue.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(prefix + "insecure", "'" + insecureValue + "' is not true or false");
        };
        if ((ca.isPresent() || insecure) && !"https".equals(url.getScheme())) {
            throw new ConfigException(ca.isPresent() ? prefix + "ca" : prefix + "insecure",
                    "backend " + name + " is " + url + ": TLS keys need an https:// URL in relay.backend." + name + ".url");
        }
        if (ca.isPresent() && insecure) {
            throw new ConfigException(prefix + "insecure", "true, and " + prefix + "ca is set: trust a CA or nothing, not both");
        }
        if (ca.isPresent()) {
            Path file = Path.of(ca.get());
            return new BackendTlsConfig(PemFiles.trusted(prefix + "ca", file), file, false);
        }
        return insecure ? new BackendTlsConfig(null, null, true) : SYSTEM;
    }

    @Override
    public String toString() {
        return insecure ? "insecure" : caFile != null ? "ca=" + caFile : "system";
    }
}
