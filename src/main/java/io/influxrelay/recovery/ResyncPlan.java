package io.influxrelay.recovery;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The chunks of a resync, (rp, measurement, time) in that order, made as the split asks for them: a
 * year in hour chunks over many measurements is never a list in memory.
 */
final class ResyncPlan implements Iterable<ResyncChunk> {
    private final List<String> rps;
    private final List<String> measurements;
    private final long startNs;
    private final long endNs;
    private final long chunkNs;

    ResyncPlan(List<String> rps, List<String> measurements, long startNs, long endNs, long chunkNs) {
        this.rps = List.copyOf(rps);
        this.measurements = List.copyOf(measurements);
        this.startNs = startNs;
        this.endNs = endNs;
        this.chunkNs = chunkNs;
    }

    long chunksPerSeries() {
        long span = endNs - startNs;
        return span / chunkNs + (span % chunkNs == 0 ? 0 : 1);
    }

    long size() {
        return rps.size() * (long) measurements.size() * chunksPerSeries();
    }

    @Override
    public Iterator<ResyncChunk> iterator() {
        return new Iterator<>() {
            private int rp;
            private int measurement;
            private long chunkStart = startNs;

            @Override
            public boolean hasNext() {
                return rp < rps.size() && !measurements.isEmpty();
            }

            @Override
            public ResyncChunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long chunkEnd = chunkStart + Math.min(chunkNs, endNs - chunkStart); // no overflow near Long.MAX_VALUE
                ResyncChunk chunk = new ResyncChunk(rps.get(rp), measurements.get(measurement), chunkStart, chunkEnd);
                chunkStart = chunkEnd;
                if (chunkStart >= endNs) {
                    chunkStart = startNs;
                    if (++measurement == measurements.size()) {
                        measurement = 0;
                        rp++;
                    }
                }
                return chunk;
            }
        };
    }
}
