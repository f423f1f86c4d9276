package io.influxrelay.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A backend's configured URL split in two: the URL without its {@code user:password@} part, the only
 * form the relay ever prints (logs, /status, JMX, Camel endpoint URIs), and the Basic authorization
 * those credentials stand for. HttpClient refuses credentials in a request URI, and they must not leak.
 *
 * @param url           the URL without user info
 * @param authorization "Basic ..." for the user info, percent-decoded; null when the URL has none
 */
record BackendUrl(URI url, String authorization) {
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/?#@]*@");

    static BackendUrl parse(String key, String value) {
        if (value.isEmpty()) {
            throw new ConfigException(key, "missing: the base URL of an InfluxDB server, e.g. http://127.0.0.1:8086");
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigException(key, "'" + masked(value) + "' is not an http(s)://host:port URL");
            }
            if (uri.getRawUserInfo() == null) {
                return new BackendUrl(uri, null);
            }
            URI bare = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
            return new BackendUrl(bare, basic(uri.getRawUserInfo()));
        } catch (URISyntaxException e) {
            // the reason only: the exception's message repeats the input, password included
            throw new ConfigException(key, "'" + masked(value) + "' is not a URL: " + e.getReason());
        }
    }

    /** The text with any {@code user:password@} replaced, for error messages about a URL that may not parse. */
    static String masked(String text) {
        return USER_INFO.matcher(text).replaceAll("***@");
    }

    private static String basic(String rawUserInfo) {
        int colon = rawUserInfo.indexOf(':');
        String user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(rawUserInfo.substring(colon + 1));
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-decoding only: in a URI a '+' is a plus, not a space as URLDecoder would have it. */
    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
