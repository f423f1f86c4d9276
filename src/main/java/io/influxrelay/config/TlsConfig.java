package io.influxrelay.config;

import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.function.Function;

/**
 * A server's TLS identity (the listener's, relay.http.tls.*, or the management port's,
 * relay.management.tls.*): a PEM certificate and key ({@code cert}, {@code key}) or a PKCS#12 key store
 * ({@code keystore}, {@code keystore-password}). The files are read at start-up, so a missing file, an
 * unreadable key or a key without its certificate stops the relay with the key's name, never later at
 * the first client's handshake.
 *
 * @param keyStore    the key and its certificate chain, in memory
 * @param keyPassword the password of its key entry: a secret, never printed
 * @param only        plain HTTP is refused on the port (relay.http.tls.only)
 */
public record TlsConfig(KeyStore keyStore, char[] keyPassword, boolean only) {

    /** The TLS of a server whose keys start with {@code prefix} ("relay.http.tls."); null when it has none. */
    /**
     * @param onlyAllowed false for the management server, which cannot serve plain HTTP beside HTTPS:
     *                    {@code only} is then always true, and false an error
     */
    static TlsConfig read(Function<String, Optional<String>> find, String prefix, boolean onlyAllowed) {
        Optional<String> cert = find.apply(prefix + "cert").filter(v -> !v.isEmpty());
        Optional<String> key = find.apply(prefix + "key").filter(v -> !v.isEmpty());
        Optional<String> keystore = find.apply(prefix + "keystore").filter(v -> !v.isEmpty());
        String onlyValue = find.apply(prefix + "only").filter(v -> !v.isEmpty()).orElse("false");
        boolean only = switch (onlyValue.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(prefix + "only", "'" + onlyValue + "' is not true or false");
        };
        if (!onlyAllowed && "false".equalsIgnoreCase(onlyValue) && find.apply(prefix + "only").isPresent()
                && (cert.isPresent() || keystore.isPresent())) {
            throw new ConfigException(prefix + "only", "false is not possible: Camel's management server serves HTTPS only"
                    + " once it has a certificate");
        }
        only |= !onlyAllowed; // the management server: HTTPS only whenever it has a certificate
        if (keystore.isPresent() && (cert.isPresent() || key.isPresent())) {
            throw new ConfigException(prefix + "keystore", "give either " + prefix + "cert and " + prefix + "key (PEM) or "
                    + prefix + "keystore, not both");
        }
        if (keystore.isPresent()) {
            char[] password = find.apply(prefix + "keystore-password").orElse("").toCharArray();
            KeyStore store = PemFiles.keyStoreFile(prefix + "keystore", Path.of(keystore.get()), prefix + "keystore-password", password);
            return new TlsConfig(store, password, only);
        }
        if (cert.isPresent() != key.isPresent()) {
            String missing = cert.isPresent() ? prefix + "key" : prefix + "cert";
            throw new ConfigException(missing, "missing: " + prefix + "cert and " + prefix + "key go together"
                    + " (the PEM certificate and its private key)");
        }
        if (cert.isEmpty()) {
            if (only && onlyAllowed) {
                throw new ConfigException(prefix + "only", "true, but no certificate: set " + prefix + "cert and " + prefix + "key");
            }
            return null;
        }
        return new TlsConfig(PemFiles.keyPair(prefix + "cert", Path.of(cert.get()), prefix + "key", Path.of(key.get())),
                PemFiles.PASSWORD, only);
    }

    /** Camel's description of this identity, from which the listener's or the management server's SSLContext is made. */
    public SSLContextParameters parameters() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setKeyStore(keyStore);
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(store);
        keys.setKeyPassword(new String(keyPassword));
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keys);
        return parameters;
    }

    @Override
    public String toString() { // the password stays out of logs
        return "TlsConfig[only=" + only + "]";
    }
}
