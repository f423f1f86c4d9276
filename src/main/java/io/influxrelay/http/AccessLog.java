package io.influxrelay.http;

import io.influxrelay.log.LogText;
import io.influxrelay.query.StatementSecrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One line per request when relay.access-log=true (logger io.influxrelay.access), without credentials:
 * the u and p parameters are masked, so are passwords in a q (CREATE USER, SET PASSWORD), cut short;
 * the Authorization header is never read.
 */
public final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.influxrelay.access");
    private static final int MAX_Q = 200;

    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** The processor for the YAML route, at the start of each request: cheaper than a bean-method call. */
    public Processor beginning() {
        return this::begin;
    }

    /**
     * Notes the request and logs it when the exchange completes, however it ends: answered by a route
     * that stopped early (a refused write) or failed, the line is still written.
     */
    public void begin(Exchange exchange) {
        if (!enabled) {
            return;
        }
        String query = exchange.getIn().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String request = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class) + " "
                + exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class)
                + (query == null || query.isEmpty() ? "" : "?" + masked(query));
        long started = System.nanoTime();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                LOG.info("\"{}\" {} {} ms", LogText.escape(request), done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE),
                        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e6));
            }
        });
    }

    /** u and p masked; q (InfluxQL) with its passwords masked and cut to {@value #MAX_Q} characters. */
    static String masked(String query) {
        StringBuilder out = new StringBuilder(query.length());
        for (String pair : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            if (pair.startsWith("u=") || pair.startsWith("p=")) {
                out.append(pair, 0, 2).append("***");
            } else if (pair.startsWith("q=")) {
                String q = StatementSecrets.masked(decode(pair.substring(2)));
                out.append("q=").append(URLEncoder.encode(q.length() > MAX_Q ? q.substring(0, MAX_Q) + "..." : q,
                        StandardCharsets.UTF_8));
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
