package io.influxrelay.write;

import io.influxrelay.http.InfluxResponses;
import io.influxrelay.http.V2Errors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns an InfluxDB 2.x write (POST /api/v2/write?bucket=db[/rp]&precision=ns|us|ms|s, Authorization:
 * Token user:password) into the 1.x write it means, as InfluxDB 1.8 does: the bucket names the database
 * and retention policy, the org is ignored, the token's user:password becomes Basic credentials (the
 * backends, 1.x servers, may not know the Token scheme). The write then goes the way of every /write;
 * its errors keep the 2.x shape ({@link V2Errors}).
 */
public final class V2WriteReader implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(V2Errors.PROPERTY, true);
        Message in = exchange.getIn();
        QueryString query = new QueryString(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        try {
            in.setHeader(Exchange.HTTP_RAW_QUERY, v1Query(query));
        } catch (ClientError e) {
            InfluxResponses.error(exchange, e.status, e.getMessage());
            exchange.setRouteStop(true);
            return;
        }
        String authorization = basicFromToken(in.getHeader("Authorization", String.class));
        if (authorization == null) {
            in.removeHeader("Authorization");
        } else {
            in.setHeader("Authorization", authorization);
        }
    }

    /** db, rp and precision as /write takes them; u and p pass on, as 1.8 reads them there too. */
    static String v1Query(QueryString v2) throws ClientError {
        String precision = precision(v2.get("precision"));
        String bucket = v2.get("bucket") == null ? "" : v2.get("bucket");
        int slash = bucket.indexOf('/');
        String db = slash < 0 ? bucket : bucket.substring(0, slash);
        if (db.isEmpty()) {
            // InfluxDB 1.8's words and status for a bucket it cannot map to a database
            throw new ClientError(404, slash < 0
                    ? "bucket name \"" + bucket + "\" is missing a slash; not in \"database/retention-policy\" format"
                    : "bucket name \"" + bucket + "\" is in db/rp form but has an empty database");
        }
        StringBuilder v1 = new StringBuilder("db=").append(encode(db));
        if (slash >= 0 && slash < bucket.length() - 1) {
            v1.append("&rp=").append(encode(bucket.substring(slash + 1)));
        }
        v1.append("&precision=").append(precision);
        for (String credential : new String[] {"u", "p"}) {
            if (v2.get(credential) != null) {
                v1.append('&').append(credential).append('=').append(encode(v2.get(credential)));
            }
        }
        return v1.toString();
    }

    /** 2.x precisions, spelled as 1.x's /write takes them; 2.x knows no m or h. */
    private static String precision(String v2) throws ClientError {
        return switch (v2 == null ? "" : v2) {
            case "", "ns" -> "n";
            case "us" -> "u";
            case "ms" -> "ms";
            case "s" -> "s";
            default -> throw new ClientError(400, "invalid precision \"" + v2 + "\" (use ns, us, ms or s)");
        };
    }

    /**
     * "Token user:password" as Basic credentials; a token without a colon carries none (a 2.x client
     * must send some token, even to a server without auth) and is dropped, so a backend's configured
     * credentials apply. Other schemes pass untouched.
     */
    static String basicFromToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Token ", 0, 6)) {
            return authorization;
        }
        String token = authorization.substring(6).trim();
        if (token.indexOf(':') < 0) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
