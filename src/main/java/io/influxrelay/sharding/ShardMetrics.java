package io.influxrelay.sharding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per shard: points and bytes routed to it, and the keys (db and measurement) seen going to it since
 * the start, counted exactly up to {@value #KEYS_COUNTED} per shard, then no further (approximate).
 */
public final class ShardMetrics {
    static final int KEYS_COUNTED = 100_000;

    private final ShardLayout layout;
    private final Counter[] points;
    private final Counter[] bytes;
    private final Set<String>[] keys;

    @SuppressWarnings("unchecked")
    public ShardMetrics(ShardLayout layout, MeterRegistry registry) {
        this.layout = layout;
        int n = layout.size();
        points = new Counter[n];
        bytes = new Counter[n];
        keys = new Set[n];
        for (int i = 0; i < n; i++) {
            String shard = layout.name(i);
            points[i] = Counter.builder("relay.shard.points").description("Points routed to the shard")
                    .tag("shard", shard).register(registry);
            bytes[i] = Counter.builder("relay.shard.routed").baseUnit("bytes").description("Line protocol routed to the shard")
                    .tag("shard", shard).register(registry);
            keys[i] = ConcurrentHashMap.newKeySet();
            Set<String> owned = keys[i];
            Gauge.builder("relay.shard.keys", owned, Set::size)
                    .description("Keys (db, measurement) seen going to the shard since the start, up to " + KEYS_COUNTED)
                    .tag("shard", shard).register(registry);
        }
    }

    public void routed(int shard, int points, int bytes) {
        this.points[shard].increment(points);
        this.bytes[shard].increment(bytes);
    }

    public void key(int shard, String db, String measurement) {
        if (keys[shard].size() < KEYS_COUNTED) {
            keys[shard].add(db + "\n" + measurement);
        }
    }

    /** /status: per shard its backends, points and bytes routed, keys seen. */
    public String json() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < layout.size(); i++) {
            b.append(i > 0 ? "," : "").append("{\"name\":").append(io.influxrelay.http.Json.quote(layout.name(i)))
                    .append(",\"backends\":[");
            for (int j = 0; j < layout.backends(i).size(); j++) {
                b.append(j > 0 ? "," : "").append(io.influxrelay.http.Json.quote(layout.backends(i).get(j).name()));
            }
            b.append("],\"pointsRouted\":").append((long) points[i].count())
                    .append(",\"bytesRouted\":").append((long) bytes[i].count())
                    .append(",\"keys\":").append(keys[i].size())
                    .append(",\"keysApproximate\":").append(keys[i].size() >= KEYS_COUNTED).append('}');
        }
        return b.append(']').toString();
    }
}
