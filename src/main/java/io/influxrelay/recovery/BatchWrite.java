package io.influxrelay.recovery;

import io.influxrelay.backend.BackendRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Around the camel-http post of one batch to the target's /write: {@link #request()} paces it and sets
 * the body and headers (the target's credentials, never the source's); {@link #answer()} counts it
 * written on 204, and fails the job with InfluxDB's own error text on anything else.
 */
final class BatchWrite {
    /** The exchange property holding the write's query string (db, rp, precision), set per chunk. */
    static final String QUERY = "relay.resync.query";
    private static final String POINTS = "relay.resync.points";

    private final PointPacer pacer;

    BatchWrite(PointPacer pacer) {
        this.pacer = pacer;
    }

    Processor request() {
        return exchange -> {
            ResyncJob job = exchange.getProperty(RecoveryJob.PROPERTY, ResyncJob.class);
            job.throwIfCancelled();
            Message m = exchange.getMessage();
            LineBatch batch = m.getBody(LineBatch.class);
            pacer.pace(job, batch.points());
            exchange.setProperty(POINTS, batch.points());
            BackendRequest.headers(m, job.to(), exchange.getProperty(QUERY, String.class), null);
            m.setBody(batch.lines());
        };
    }

    Processor answer() {
        return exchange -> {
            ResyncJob job = exchange.getProperty(RecoveryJob.PROPERTY, ResyncJob.class);
            Message m = exchange.getMessage();
            int status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            if (status != 204) {
                String body = m.getBody() == null ? "" : m.getBody(String.class);
                throw new RecoveryException(job.to().name() + " refused the write (" + status + "): " + influxError(body));
            }
            job.batchWritten(exchange.getProperty(POINTS, Integer.class));
        };
    }

    /** {"error":"..."} as InfluxDB words it, else the body as it came. */
    private static String influxError(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("error").asText(body.strip());
        } catch (Exception notJson) {
            return body.strip();
        }
    }
}
