package io.influxrelay.recovery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.Map;

/**
 * One chunk of a resync: its points read from the source as a stream of batches (the body, for the
 * inner split). The field types are asked for per chunk, so a long resync follows fields added meanwhile.
 */
final class ChunkReader implements Processor {
    private final InfluxHttp http;
    private final InfluxSchema schema;
    private final PointPacer pacer;

    ChunkReader(InfluxHttp http, InfluxSchema schema, PointPacer pacer) {
        this.http = http;
        this.schema = schema;
        this.pacer = pacer;
    }

    @Override
    public void process(Exchange exchange) {
        ResyncJob job = exchange.getProperty(RecoveryJob.PROPERTY, ResyncJob.class);
        job.throwIfCancelled();
        ResyncChunk chunk = exchange.getMessage().getBody(ResyncChunk.class);
        String db = job.spec().db();
        Map<String, FieldType> types = schema.fieldTypes(job.from(), db, chunk.rp(), chunk.measurement());
        if (types.isEmpty()) {
            exchange.getMessage().setBody(ChunkBatches.none()); // nothing of it in this retention policy
            return;
        }
        String select = "SELECT * FROM " + InfluxQl.source(db, chunk.rp(), chunk.measurement())
                + " WHERE " + InfluxQl.timeRange(chunk.startNs(), chunk.endNs()) + " GROUP BY *";
        exchange.getMessage().setBody(new ChunkBatches(http.select(job.from(), db, select), types, job.from().name(),
                job.to().maxBatchBytes(), pacer.maxBatchPoints()));
        exchange.setProperty(BatchWrite.QUERY, "db=" + InfluxHttp.enc(db) + "&rp=" + InfluxHttp.enc(chunk.rp())
                + "&precision=ns");
    }
}
