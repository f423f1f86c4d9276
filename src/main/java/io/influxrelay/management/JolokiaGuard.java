package io.influxrelay.management;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which Jolokia requests may reach Jolokia at all, by what its access policy cannot see: the HTTP
 * method and the page that sent the request. A GET may only read (read, list, search, version), so a
 * link or an image on a foreign page cannot act; anything else (exec) needs a POST whose Origin (or,
 * without one, Referer, as Jolokia itself falls back) is absent or trusted: the management port's own
 * origin, or one the operator named (Hawtio's, whose proxy passes the browser's Origin on).
 * The access policy (jolokia-access.xml) then decides which MBeans and operations.
 */
public final class JolokiaGuard {
    private static final Set<String> READ_ONLY = Set.of("read", "list", "search", "version");

    private final Set<String> trustedOrigins;

    public JolokiaGuard(Collection<String> trustedOrigins) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : trustedOrigins) {
            String n = normalize(origin);
            if (n != null) {
                normalized.add(n);
            }
        }
        this.trustedOrigins = Set.copyOf(normalized);
    }

    /** The management port's own origins (under every loopback name when it listens there), and these. */
    public static JolokiaGuard forManagementPort(String host, int port, Collection<String> allowedOrigins) {
        Set<String> origins = new LinkedHashSet<>();
        // https when relay.management.tls.* is set; the port serves one of the two, naming both costs nothing
        for (String scheme : List.of("http://", "https://")) {
            origins.addAll(List.of(scheme + "127.0.0.1:" + port, scheme + "localhost:" + port, scheme + "[::1]:" + port));
            if (!host.equals("0.0.0.0") && !host.equals("::")) {
                origins.add(scheme + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
            }
        }
        origins.addAll(allowedOrigins);
        return new JolokiaGuard(origins);
    }

    public Set<String> trustedOrigins() {
        return trustedOrigins;
    }

    /**
     * Why this request is refused, or null when it may go on to Jolokia.
     *
     * @param pathInfo the path after the Jolokia mount point, as received (still percent-encoded)
     * @param pathParam Jolokia's {@code p} query parameter, which replaces the path when given
     * @param origin the Origin header, else the Referer, else null
     */
    public String refusal(String method, String pathInfo, String pathParam, String origin, String body) {
        if ("GET".equalsIgnoreCase(method)) {
            String path = pathParam != null ? pathParam : decode(pathInfo);
            String type = firstElement(path);
            return type.isEmpty() || READ_ONLY.contains(type.toLowerCase(Locale.ROOT)) ? null
                    : "a GET may only read (read, list, search, version): send '" + type + "' as a POST";
        }
        if (trusted(origin) || readOnly(body)) {
            return null;
        }
        return "operations are only taken from the management port's own origin or without one, not from "
                + origin + " (relay.management.allow-origin names further origins)";
    }

    /** An absent origin, or one of the trusted ones: a request no other site's page can have made. */
    public boolean trusted(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        String n = normalize(origin);
        return n != null && trustedOrigins.contains(n);
    }

    /** A POST body of nothing but reads; anything unreadable counts as an operation. */
    private static boolean readOnly(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        Object json;
        try {
            json = Jsoner.deserialize(body);
        } catch (Exception e) {
            return false;
        }
        List<?> requests = json instanceof JsonArray a ? a : List.of(json);
        if (requests.isEmpty()) {
            return false;
        }
        for (Object r : requests) {
            if (!(r instanceof JsonObject o) || !(o.get("type") instanceof String type)
                    || !READ_ONLY.contains(type.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** scheme://host:port in lower case with the port spelled out, or null when it is not a URL. */
    static String normalize(String url) {
        try {
            URI u = new URI(url.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                return null;
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (Exception e) {
            return null;
        }
    }

    private static String decode(String path) {
        try {
            return path == null ? "" : URLDecoder.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path; // Jolokia would fail on it too; its first element decides below
        }
    }

    /** The request type, as Jolokia reads it: the first element of the path, leading slashes skipped. */
    private static String firstElement(String path) {
        String p = path.replaceFirst("^/+", "");
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }
}
