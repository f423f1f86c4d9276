package io.influxrelay.config;

import io.influxrelay.fanout.Consistency;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayConfigTest {

    private static RelayConfig load(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return RelayConfig.from(ConfigSource.of(m));
    }

    @Test
    void defaultsMatchTheDocumentedOnes() {
        RelayConfig c = load();
        assertThat(c.httpHost()).isEqualTo("0.0.0.0");
        assertThat(c.httpPort()).isEqualTo(9096);
        assertThat(c.backends()).extracting(BackendConfig::name).containsExactly("local1", "local2");
        assertThat(c.backends()).extracting(b -> b.url().toString())
                .containsExactly("http://127.0.0.1:8086", "http://127.0.0.1:8087");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.consistency()).isEqualTo(Consistency.ONE);
        assertThat(c.maxBodyBytes()).isEqualTo(25_000_000); // InfluxDB's own max-body-size
        assertThat(c.defaultRetentionPolicy()).isEmpty();
        assertThat(c.httpReadTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.httpIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.httpMaxConnections()).isEqualTo(10_000);
    }

    @Test
    void listenerLimitsAreCheckedLikeEveryKey() {
        assertThatThrownBy(() -> load("relay.http.read-timeout", "0s")).hasMessageStartingWith("relay.http.read-timeout:");
        assertThatThrownBy(() -> load("relay.http.idle-timeout", "forever")).hasMessageStartingWith("relay.http.idle-timeout:");
        assertThatThrownBy(() -> load("relay.http.max-connections", "0")).hasMessageStartingWith("relay.http.max-connections:");
    }

    @Test
    void backendsKeepTheirOrderAndTheirOwnTimeouts() {
        RelayConfig c = load("relay.backends", "b, a", "relay.backend.a.url", "http://10.0.0.1:8086/",
                "relay.backend.b.url", "https://db.example:8086", "relay.backend.a.timeout", "500ms",
                "relay.timeout", "1m30s");
        assertThat(c.backends()).extracting(BackendConfig::name).containsExactly("b", "a");
        assertThat(c.backends().get(0).timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.backends().get(1).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.backends().get(1).endpoint("/write")).isEqualTo("http://10.0.0.1:8086/write");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> load("relay.write.consistency", "most"))
                .hasMessageStartingWith("relay.write.consistency: unknown consistency 'most'");
        assertThatThrownBy(() -> load("relay.backends", " , "))
                .hasMessageStartingWith("relay.backends: no backends");
        assertThatThrownBy(() -> load("relay.backends", "x"))
                .hasMessageStartingWith("relay.backend.x.url: missing");
        assertThatThrownBy(() -> load("relay.backends", "x", "relay.backend.x.url", "localhost:8086"))
                .hasMessageStartingWith("relay.backend.x.url:");
        assertThatThrownBy(() -> load("relay.backends", "x", "relay.backend.x.url", "http://h:8086",
                "relay.backend.x.timeout", "soon"))
                .hasMessageStartingWith("relay.backend.x.timeout:");
        assertThatThrownBy(() -> load("relay.http.port", "99999")).hasMessageStartingWith("relay.http.port:");
        assertThatThrownBy(() -> load("relay.timeout", "0s")).hasMessageStartingWith("relay.timeout:");
        assertThatThrownBy(() -> load("relay.http.max-body-mb", "lots")).hasMessageStartingWith("relay.http.max-body-mb:");
        assertThatThrownBy(() -> load("relay.backends", "a,a", "relay.backend.a.url", "http://h:1"))
                .hasMessageContaining("listed twice");
    }

    @Test
    void credentialsInABackendUrlBecomeBasicAuthorizationAndLeaveTheUrl() {
        BackendConfig b = load("relay.backends", "x", "relay.backend.x.url", "http://ad%3Amin:p%40ss+w@influx:8086/")
                .backends().get(0);
        assertThat(b.url().toString()).isEqualTo("http://influx:8086/");
        assertThat(b.endpoint("/write")).isEqualTo("http://influx:8086/write");
        // percent-decoded, and a '+' is a plus
        assertThat(new String(java.util.Base64.getDecoder().decode(b.authorization().substring("Basic ".length()))))
                .isEqualTo("ad:min:p@ss+w");
        assertThat(b.toString()).doesNotContain("p@ss", "p%40ss", "Basic");
        assertThat(load().backends().get(0).authorization()).isNull();
    }

    @Test
    void aBadBackendUrlIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> load("relay.backends", "x", "relay.backend.x.url", "ftp://admin:secret@influx:8086"))
                .hasMessageStartingWith("relay.backend.x.url:").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> load("relay.backends", "x", "relay.backend.x.url", "http://admin:sec ret@influx:8086"))
                .hasMessageStartingWith("relay.backend.x.url:").hasMessageNotContaining("sec");
    }

    @Test
    void environmentVariableNamesFollowTheKey() {
        assertThat(ConfigSource.envName("relay.http.port")).isEqualTo("RELAY_HTTP_PORT");
        assertThat(ConfigSource.envName("relay.backend.local-1.url")).isEqualTo("RELAY_BACKEND_LOCAL_1_URL");
    }

    @Test
    void systemPropertyBeatsEnvironmentBeatsFile() {
        java.util.Properties file = new java.util.Properties();
        file.put("relay.http.port", "1");
        file.put("relay.timeout", "1s");
        file.put("relay.write.consistency", "all");
        java.util.Properties system = new java.util.Properties();
        system.put("relay.http.port", "3");
        ConfigSource s = new ConfigSource(file, Map.of("RELAY_HTTP_PORT", "2", "RELAY_TIMEOUT", "2s"), system);
        assertThat(s.get("relay.http.port")).contains("3");
        assertThat(s.get("relay.timeout")).contains("2s");
        assertThat(s.get("relay.write.consistency")).contains("all");
    }

    @Test
    void shardsGroupTheBackendsEachInExactlyOne() {
        String[] four = {"relay.backends", "a,b,c,d", "relay.backend.a.url", "http://h:1", "relay.backend.b.url", "http://h:2",
                "relay.backend.c.url", "http://h:3", "relay.backend.d.url", "http://h:4"};
        assertThat(load(four).sharding().shards()).singleElement().satisfies(s -> assertThat(s.backends()).containsExactly("a", "b", "c", "d"));
        assertThat(load(four).sharding().sharded()).isFalse();

        RelayConfig c = load(with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b", "relay.shard.s2.backends", "c, d"));
        assertThat(c.sharding().sharded()).isTrue();
        assertThat(c.sharding().shards()).extracting(ShardConfig.Shard::backends).containsExactly(java.util.List.of("a", "b"), java.util.List.of("c", "d"));
        assertThat(c.sharding().key()).isEqualTo("db,measurement");

        assertThatThrownBy(() -> load(with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b", "relay.shard.s2.backends", "b,c,d")))
                .hasMessageStartingWith("relay.shard.s2.backends:").hasMessageContaining("exactly one");
        assertThatThrownBy(() -> load(with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b", "relay.shard.s2.backends", "c")))
                .hasMessageStartingWith("relay.shards:").hasMessageContaining("d");
        assertThatThrownBy(() -> load(with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b,x", "relay.shard.s2.backends", "c,d")))
                .hasMessageStartingWith("relay.shard.s1.backends:").hasMessageContaining("'x' is not a backend");
        assertThatThrownBy(() -> load(with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b,c,d")))
                .hasMessageStartingWith("relay.shard.s2.backends:");
        assertThatThrownBy(() -> load(with(four, "relay.shard-key", "measurement")))
                .hasMessageStartingWith("relay.shard-key:");
        assertThat(load(with(four, "relay.shard-key", "db,measurement,tag=host")).sharding().keyByTag()).isEqualTo("host");
        assertThat(load(with(four, "relay.shard-key", "db")).sharding().byMeasurement()).isFalse();

        String[] two = with(four, "relay.shards", "s1,s2", "relay.shard.s1.backends", "a,b", "relay.shard.s2.backends", "c,d");
        assertThat(load(with(two, "relay.shards.previous", "s1")).sharding().rebalancing()).isTrue();
        assertThatThrownBy(() -> load(with(two, "relay.shards.previous", "s0"))).hasMessageStartingWith("relay.shards.previous:")
                .hasMessageContaining("cannot remove");
        assertThatThrownBy(() -> load(with(two, "relay.shards.previous", "s1,s2"))).hasMessageStartingWith("relay.shards.previous:");
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void buffersAreInMemoryUnlessTheDiskStoreIsChosenForAllOrOneBackend() {
        RelayConfig memory = load();
        assertThat(memory.backends()).allSatisfy(b -> assertThat(b.disk()).isNull());

        RelayConfig one = load("relay.backend.local2.buffer.store", "disk", "relay.buffer.fsync", "always");
        assertThat(one.backends().get(0).disk()).isNull();
        DiskBufferConfig disk = one.backends().get(1).disk();
        assertThat(disk.dir()).isEqualTo("data/buffer/local2");
        assertThat(disk.capacityBytes()).isEqualTo(1024L << 20);
        assertThat(disk.maxAge()).isEqualTo(java.time.Duration.ofHours(168));
        assertThat(disk.fsync()).isEqualTo(DiskBufferConfig.Fsync.ALWAYS);
        assertThat(disk.fsyncInterval()).isEqualTo(java.time.Duration.ofSeconds(1));

        RelayConfig all = load("relay.buffer.store", "disk", "relay.buffer.dir", "/var/lib/relay",
                "relay.buffer.disk-size-mb", "10", "relay.backend.local1.buffer.max-age", "1h");
        assertThat(all.backends().get(1).disk().dir()).isEqualTo("/var/lib/relay/local2");
        assertThat(all.backends().get(1).disk().capacityBytes()).isEqualTo(10L << 20);
        assertThat(all.backends().get(0).disk().maxAge()).isEqualTo(java.time.Duration.ofHours(1));
    }

    @Test
    void aBadBufferStoreOrFsyncNamesItsKey() {
        assertThatThrownBy(() -> load("relay.buffer.store", "tape")).hasMessageContaining("relay.buffer.store");
        assertThatThrownBy(() -> load("relay.buffer.store", "disk", "relay.backend.local1.buffer.fsync", "sometimes"))
                .hasMessageContaining("relay.backend.local1.buffer.fsync");
        assertThatThrownBy(() -> load("relay.buffer.store", "disk", "relay.buffer.disk-size-mb", "0"))
                .hasMessageContaining("relay.buffer.disk-size-mb");
    }
}
