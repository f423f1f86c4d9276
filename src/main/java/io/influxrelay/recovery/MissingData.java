package io.influxrelay.recovery;

import io.influxrelay.buffer.BufferedWrite;
import io.influxrelay.buffer.LostWrites;
import io.influxrelay.health.MissingDataView;
import io.influxrelay.lineprotocol.PointTimes;
import io.influxrelay.metrics.ThrottledLog;
import io.influxrelay.prometheus.RemoteWriteTimes;
import io.influxrelay.write.QueryString;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The missing-data ledger: per backend, the ranges of points it misses for good (db, rp, time range),
 * merged into as few ranges as possible. Kept in a file under the relay's data directory, so it survives
 * restarts; a backend with an open range is kept off reads until a resync closed it.
 */
public final class MissingData extends ServiceSupport implements LostWrites, MissingDataView {
    private static final Logger LOG = LoggerFactory.getLogger(MissingData.class);
    private static final ThrottledLog LOST = new ThrottledLog(LOG, 10, TimeUnit.SECONDS);
    /** Beyond this many ranges for one backend, the two closest merge: the file and /status stay small. */
    static final int MAX_RANGES = 200;

    private final Map<String, List<MissingRange>> byBackend = new LinkedHashMap<>();
    private final LedgerFile file;
    private final long mergeGapNs;
    private final Clock clock;
    private final Map<String, Counter> lostPoints = new LinkedHashMap<>();

    public MissingData(List<String> backends, LedgerFile file, long mergeGapNs, Clock clock, MeterRegistry registry) {
        this.file = file;
        this.mergeGapNs = mergeGapNs;
        this.clock = clock;
        for (String backend : backends) {
            byBackend.put(backend, new ArrayList<>());
            Gauge.builder("relay.missing.ranges", this, l -> l.of(backend).size())
                    .description("Open ranges of points the backend misses for good (the missing-data ledger)")
                    .tag("backend", backend).register(registry);
            lostPoints.put(backend, Counter.builder("relay.missing.points")
                    .description("Points the backend missed for good, recorded in the ledger for repair")
                    .tag("backend", backend).register(registry));
        }
        for (Map.Entry<String, List<MissingRange>> loaded : file.load().entrySet()) {
            if (byBackend.containsKey(loaded.getKey())) {
                byBackend.get(loaded.getKey()).addAll(loaded.getValue());
            } else {
                LOG.warn("missing-data ledger {} names backend {}, which is no longer configured: its ranges are dropped",
                        file.path(), loaded.getKey());
            }
        }
        byBackend.forEach((backend, ranges) -> {
            if (!ranges.isEmpty()) {
                LOG.warn("backend {} misses data for good (from the ledger {}): {}", backend, file.path(), describe(ranges));
            }
        });
    }

    @Override
    public void lost(String backend, BufferedWrite write, String reason) {
        if (write.statements()) {
            return; // schema, not points: a resync creates what the target lacks
        }
        QueryString query = new QueryString(write.query());
        PointTimes times = write.kind() == BufferedWrite.Kind.PROMETHEUS ? RemoteWriteTimes.of(write.payload())
                : PointTimes.of(write.payload(), query.get("precision"));
        if (times == null) {
            return;
        }
        String rp = query.get("rp");
        record(backend, new MissingRange(orEmpty(query.get("db")), orEmpty(rp), times.startNs(), times.endNs(),
                times.points(), new java.util.TreeSet<>(Set.of(reason)), clock.instant()));
    }

    /** Adds a range, merged with those it overlaps or nearly touches. */
    public void record(String backend, MissingRange range) {
        List<MissingRange> ranges;
        synchronized (this) {
            ranges = byBackend.get(backend);
            if (ranges == null) {
                return;
            }
            add(ranges, range);
            file.save(snapshot());
        }
        Counter counter = lostPoints.get(backend);
        counter.increment(range.points());
        LOST.warn("backend {} missed {} points for good ({}): recorded in the missing-data ledger for repair ({} so far)",
                backend, range.points(), String.join(", ", range.reasons()), (long) counter.count());
    }

    private void add(List<MissingRange> ranges, MissingRange range) {
        MissingRange merged = range;
        for (int i = ranges.size() - 1; i >= 0; i--) {
            if (ranges.get(i).near(merged, mergeGapNs)) {
                merged = merged.merge(ranges.remove(i));
            }
        }
        ranges.add(merged);
        ranges.sort(java.util.Comparator.comparing(MissingRange::db).thenComparing(MissingRange::rp)
                .thenComparingLong(MissingRange::startNs));
        while (ranges.size() > MAX_RANGES) {
            mergeClosest(ranges);
        }
    }

    /** Merges the two neighbours (same db and rp) that lie closest together. */
    private static void mergeClosest(List<MissingRange> ranges) {
        int best = -1;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i + 1 < ranges.size(); i++) {
            MissingRange a = ranges.get(i);
            MissingRange b = ranges.get(i + 1);
            if (a.sameTarget(b) && b.startNs() - a.endNs() < bestGap) {
                bestGap = b.startNs() - a.endNs();
                best = i;
            }
        }
        if (best < 0) {
            return; // every range has a db/rp of its own: nothing can merge
        }
        ranges.set(best, ranges.get(best).merge(ranges.remove(best + 1)));
    }

    /** The backend's open ranges, oldest database first. */
    public synchronized List<MissingRange> of(String backend) {
        List<MissingRange> ranges = byBackend.get(backend);
        return ranges == null ? List.of() : List.copyOf(ranges);
    }

    @Override
    public String describe(String backend) {
        return describe(of(backend));
    }

    @Override
    public String json(String backend) {
        return LedgerJson.ranges(of(backend)).toString();
    }

    @Override
    public synchronized boolean missing(String backend) {
        List<MissingRange> ranges = byBackend.get(backend);
        return ranges != null && !ranges.isEmpty();
    }

    /**
     * Closes a repaired range: true when it was still open exactly as repaired. A range that grew while it
     * was repaired (more points lost) stays open, to be repaired again whole.
     */
    public boolean close(String backend, MissingRange repaired) {
        synchronized (this) {
            List<MissingRange> ranges = byBackend.get(backend);
            if (ranges == null || !ranges.remove(repaired)) {
                return false;
            }
            file.save(snapshot());
        }
        return true;
    }

    public synchronized Map<String, List<MissingRange>> snapshot() {
        Map<String, List<MissingRange>> copy = new LinkedHashMap<>();
        byBackend.forEach((backend, ranges) -> copy.put(backend, List.copyOf(ranges)));
        return copy;
    }

    @Override
    protected void doStop() {
        file.flush();
    }

    static String describe(List<MissingRange> ranges) {
        StringBuilder b = new StringBuilder();
        for (MissingRange r : ranges) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(r.db()).append('.').append(r.rp().isEmpty() ? "(default)" : r.rp()).append(' ')
                    .append(LedgerJson.time(r.startNs())).append(" to ").append(LedgerJson.time(r.endNs()))
                    .append(" (").append(r.points()).append(" points)");
        }
        return b.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
