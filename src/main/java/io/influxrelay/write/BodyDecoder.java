package io.influxrelay.write;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** The request body as plain line protocol: un-gzipped when sent gzipped, never past the size limit. */
final class BodyDecoder {
    static final String TOO_LARGE = "http: request body too large";

    private BodyDecoder() {
    }

    static byte[] decode(byte[] body, String contentEncoding, int maxBytes) throws ClientError {
        if (body.length > maxBytes) {
            throw new ClientError(413, TOO_LARGE);
        }
        if (contentEncoding == null || !contentEncoding.trim().equalsIgnoreCase("gzip")) {
            return body;
        }
        // InfluxDB limits the decompressed size too: that is what a gzip bomb would blow up
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length * 4));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new ClientError(413, TOO_LARGE);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ClientError(400, "gzip: " + reason);
        }
    }
}
