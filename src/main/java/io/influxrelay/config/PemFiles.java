package io.influxrelay.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files (what openssl, Let's Encrypt and InfluxDB use) turned into the in-memory {@link KeyStore}s
 * that Camel's {@code KeyStoreParameters} take: Java 17 has no PEM key store type, and Camel 4.18 none
 * either. Certificates are parsed by the JDK's own CertificateFactory; a private key must be PKCS#8
 * ("BEGIN PRIVATE KEY", openssl's default since 3.0). Every failure names the key that gave the file,
 * never the file's content.
 */
final class PemFiles {
    /** The alias and (in-memory only) password of the one key entry; it never leaves the process. */
    static final String ALIAS = "relay";
    static final char[] PASSWORD = "in-memory".toCharArray();

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]*)-----END \\1PRIVATE KEY-----");

    private PemFiles() {
    }

    /** A key store holding one entry: the key of {@code key} and the certificate chain of {@code cert}. */
    static KeyStore keyPair(String certKey, Path cert, String keyKey, Path key) {
        List<X509Certificate> chain = certificates(certKey, cert);
        PrivateKey privateKey = privateKey(keyKey, key);
        if (!chain.get(0).getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm())) {
            throw new ConfigException(keyKey, key + " is a " + privateKey.getAlgorithm() + " key, the certificate of "
                    + certKey + " holds a " + chain.get(0).getPublicKey().getAlgorithm() + " key: not a pair");
        }
        if (!signs(privateKey, chain.get(0))) {
            throw new ConfigException(keyKey, key + " is not the private key of the certificate in " + cert + " (" + certKey + ")");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(keyKey, "cannot use the key of " + key + " with the certificate of " + cert
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The key and the certificate are a pair: what the key signs, the certificate's public key verifies. */
    private static boolean signs(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = "influxdb-relay".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** A trust store of every certificate in a PEM file (a CA, or a bundle of them). */
    static KeyStore trusted(String key, Path pem) {
        List<X509Certificate> certificates = certificates(key, pem);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(key, "cannot use the certificates of " + pem + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A PKCS#12 (or JKS) key store file, opened with its password to prove both are right. */
    static KeyStore keyStoreFile(String key, Path file, String passwordKey, char[] password) {
        readable(key, file);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12"); // reads JKS files too (keystore.type.compat)
            store.load(in, password);
            boolean hasKey = false;
            for (String alias : java.util.Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new ConfigException(key, file + " holds no private key entry");
            }
            return store;
        } catch (IOException e) {
            // a wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException
            throw new ConfigException(e.getCause() instanceof java.security.UnrecoverableKeyException ? passwordKey : key,
                    "cannot open key store " + file + ": wrong password, or not a PKCS#12/JKS file");
        } catch (GeneralSecurityException e) {
            throw new ConfigException(key, "cannot open key store " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static List<X509Certificate> certificates(String key, Path pem) {
        readable(key, pem);
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new ConfigException(key, pem + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, pem + " holds no readable PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
    }

    static PrivateKey privateKey(String key, Path pem) {
        readable(key, pem);
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + pem + " (" + e.getClass().getSimpleName() + ")");
        }
        Matcher m = PRIVATE_KEY.matcher(text);
        if (!m.find()) {
            throw new ConfigException(key, pem + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        if (!m.group(1).isEmpty()) { // "RSA ", "EC ", "ENCRYPTED ": openssl's older or protected forms
            throw new ConfigException(key, pem + " holds a '" + m.group(1) + "PRIVATE KEY'; the relay reads unencrypted PKCS#8:"
                    + " convert it with openssl pkcs8 -topk8 -nocrypt -in " + pem.getFileName() + " -out key.pem");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, pem + " holds a damaged PEM private key");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new ConfigException(key, pem + " holds a private key the relay cannot read (RSA, EC, Ed25519 are)");
    }

    private static void readable(String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(key, "no file at " + file.toAbsolutePath());
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(key, file.toAbsolutePath() + " is not readable by the relay's user");
        }
    }
}
