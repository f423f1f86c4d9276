package io.influxrelay.config;

import io.influxrelay.fanout.Consistency;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a user tunes, read once at start-up and validated as a whole: the relay never starts
 * half-configured. Defaults stand beside the keys.
 */
public record RelayConfig(
        String httpHost,
        int httpPort,
        List<BackendConfig> backends,
        Duration timeout,
        Consistency consistency,
        boolean honorClientConsistency,
        int maxBodyBytes,
        Duration httpReadTimeout,
        Duration queryTimeout,
        Duration httpIdleTimeout,
        int httpMaxConnections,
        int maxConcurrentWrites,
        String defaultRetentionPolicy,
        int maxAttempts,
        String deadLetterDir,
        Duration healthInterval,
        boolean accessLog,
        boolean autoCreateDatabase,
        List<URI> peers,
        String managementHost,
        int managementPort,
        UdpConfig udp,
        RecoveryConfig recovery,
        ShardConfig sharding,
        TlsConfig httpTls,
        TlsConfig managementTls) {

    static final String HTTP_HOST = "relay.http.host";
    static final String HTTP_PORT = "relay.http.port";
    static final String BACKENDS = "relay.backends";
    static final String TIMEOUT = "relay.timeout";
    static final String CONSISTENCY = "relay.write.consistency";
    static final String CLIENT_CONSISTENCY = "relay.write.client-consistency";
    static final String MAX_BODY_MB = "relay.http.max-body-mb";
    static final String READ_TIMEOUT = "relay.http.read-timeout";
    static final String QUERY_TIMEOUT = "relay.query.timeout";
    static final String IDLE_TIMEOUT = "relay.http.idle-timeout";
    static final String MAX_CONNECTIONS = "relay.http.max-connections";
    static final String MAX_CONCURRENT_WRITES = "relay.http.max-concurrent-writes";
    static final String DEFAULT_RP = "relay.default-retention-policy";
    static final String BUFFER_SIZE_MB = "relay.buffer-size-mb";
    static final String MAX_BATCH_KB = "relay.max-batch-kb";
    static final String MAX_DELAY = "relay.max-delay-interval";
    static final String MAX_ATTEMPTS = "relay.buffer.max-attempts";
    static final String DEAD_LETTER_DIR = "relay.dead-letter.dir";
    static final String BUFFER_STORE = "relay.buffer.store";
    static final String BUFFER_DIR = "relay.buffer.dir";
    static final String BUFFER_DISK_MB = "relay.buffer.disk-size-mb";
    static final String BUFFER_MAX_AGE = "relay.buffer.max-age";
    static final String BUFFER_FSYNC = "relay.buffer.fsync";
    static final String BUFFER_FSYNC_INTERVAL = "relay.buffer.fsync-interval";
    static final String HEALTH_INTERVAL = "relay.health.interval";
    static final String ACCESS_LOG = "relay.access-log";
    static final String AUTO_CREATE_DATABASE = "relay.auto-create-database";
    static final String PEERS = "relay.peers";
    static final String MANAGEMENT_HOST = "relay.management.host";
    static final String MANAGEMENT_PORT = "relay.management.port";
    static final String SHARDS = "relay.shards";
    static final String SHARD_KEY = "relay.shard-key";
    static final String PREVIOUS_SHARDS = "relay.shards.previous";
    static final String LEDGER = "relay.recovery.ledger";
    static final String MERGE_GAP = "relay.recovery.merge-gap";
    static final String RECOVERY_AUTO = "relay.recovery.auto";
    static final String RECOVERY_INTERVAL = "relay.recovery.interval";
    static final String CHECK_WINDOW = "relay.check.window";
    static final String RESYNC_RATE = "relay.resync.max-points-per-second";
    static final String UDP_HOST = "relay.udp.host";
    static final String UDP_PORT = "relay.udp.port";
    static final String UDP_DB = "relay.udp.db";
    static final String UDP_RP = "relay.udp.rp";
    static final String UDP_PRECISION = "relay.udp.precision";
    static final String UDP_FLUSH = "relay.udp.flush-interval";
    static final String UDP_BATCH_KB = "relay.udp.batch-kb";
    static final String UDP_READ_BUFFER = "relay.udp.read-buffer";

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry(BUFFER_SIZE_MB, "64"),
            Map.entry(MAX_BATCH_KB, "512"),
            Map.entry(MAX_DELAY, "10s"),
            Map.entry(MAX_ATTEMPTS, "10"),
            Map.entry(DEAD_LETTER_DIR, "data/dead-letter"),
            Map.entry(BUFFER_STORE, "memory"),
            Map.entry(BUFFER_DIR, "data/buffer"),
            Map.entry(BUFFER_DISK_MB, "1024"),
            Map.entry(BUFFER_MAX_AGE, "168h"),
            Map.entry(BUFFER_FSYNC, "interval"),
            Map.entry(BUFFER_FSYNC_INTERVAL, "1s"),
            Map.entry(HEALTH_INTERVAL, "1s"),
            Map.entry(ACCESS_LOG, "false"),
            Map.entry(AUTO_CREATE_DATABASE, "false"),
            Map.entry(PEERS, ""),
            Map.entry(MANAGEMENT_HOST, "127.0.0.1"),
            Map.entry(MANAGEMENT_PORT, "9097"),
            Map.entry(SHARDS, ""),
            Map.entry(SHARD_KEY, "db,measurement"),
            Map.entry(PREVIOUS_SHARDS, ""),
            Map.entry(LEDGER, "data/missing-data.json"),
            Map.entry(MERGE_GAP, "1m"),
            Map.entry(RECOVERY_AUTO, "true"),
            Map.entry(RECOVERY_INTERVAL, "5s"),
            Map.entry(CHECK_WINDOW, "1h"),
            Map.entry(RESYNC_RATE, "0"),
            Map.entry(UDP_HOST, "0.0.0.0"),
            Map.entry(UDP_PORT, "9096"),
            Map.entry(UDP_DB, "udp"),
            Map.entry(UDP_RP, ""),
            Map.entry(UDP_PRECISION, "n"),
            Map.entry(UDP_FLUSH, "100ms"),
            Map.entry(UDP_BATCH_KB, "512"),
            Map.entry(UDP_READ_BUFFER, "0"),
            Map.entry(HTTP_HOST, "0.0.0.0"),
            Map.entry(HTTP_PORT, "9096"),
            Map.entry(BACKENDS, "local1,local2"),
            Map.entry("relay.backend.local1.url", "http://127.0.0.1:8086"),
            Map.entry("relay.backend.local2.url", "http://127.0.0.1:8087"),
            Map.entry(TIMEOUT, "10s"),
            Map.entry(CONSISTENCY, "one"),
            Map.entry(CLIENT_CONSISTENCY, "ignore"),
            Map.entry(MAX_BODY_MB, "25"),
            Map.entry(READ_TIMEOUT, "30s"),
            Map.entry(QUERY_TIMEOUT, "60s"),
            Map.entry(IDLE_TIMEOUT, "5m"),
            Map.entry(MAX_CONNECTIONS, "10000"),
            // each backend sends up to 64 writes at once (BackendRoutes.MAX_IN_FLIGHT): as many again may wait
            Map.entry(MAX_CONCURRENT_WRITES, "128"),
            Map.entry(DEFAULT_RP, ""));

    private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    public static RelayConfig from(ConfigSource source) {
        Lookup in = new Lookup(source);
        Duration timeout = Durations.parse(TIMEOUT, in.get(TIMEOUT));
        List<BackendConfig> backends = backends(in, timeout);
        return new RelayConfig(
                in.get(HTTP_HOST),
                port(HTTP_PORT, in.get(HTTP_PORT)),
                backends,
                timeout,
                Consistency.parse(in.get(CONSISTENCY)).orElseThrow(() -> new ConfigException(CONSISTENCY,
                        "unknown consistency '" + in.get(CONSISTENCY) + "' (one, quorum, all, any)")),
                clientConsistency(in.get(CLIENT_CONSISTENCY)),
                maxBody(in.get(MAX_BODY_MB)),
                Durations.parse(READ_TIMEOUT, in.get(READ_TIMEOUT)),
                "0".equals(in.get(QUERY_TIMEOUT)) ? Duration.ZERO : Durations.parse(QUERY_TIMEOUT, in.get(QUERY_TIMEOUT)),
                Durations.parse(IDLE_TIMEOUT, in.get(IDLE_TIMEOUT)),
                (int) number(MAX_CONNECTIONS, in.get(MAX_CONNECTIONS), 1, 1_000_000),
                (int) number(MAX_CONCURRENT_WRITES, in.get(MAX_CONCURRENT_WRITES), 0, 1_000_000),
                in.get(DEFAULT_RP),
                (int) number(MAX_ATTEMPTS, in.get(MAX_ATTEMPTS), 1, 1_000_000),
                in.get(DEAD_LETTER_DIR),
                Durations.parse(HEALTH_INTERVAL, in.get(HEALTH_INTERVAL)),
                bool(ACCESS_LOG, in.get(ACCESS_LOG)),
                bool(AUTO_CREATE_DATABASE, in.get(AUTO_CREATE_DATABASE)),
                Arrays.stream(in.get(PEERS).split(",")).map(String::trim).filter(v -> !v.isEmpty())
                        .map(v -> BackendUrl.parse(PEERS, v).url()).toList(),
                in.get(MANAGEMENT_HOST),
                (int) number(MANAGEMENT_PORT, in.get(MANAGEMENT_PORT), 0, 65535),
                udp(in),
                new RecoveryConfig(in.get(LEDGER), Durations.parse(MERGE_GAP, in.get(MERGE_GAP)),
                        bool(RECOVERY_AUTO, in.get(RECOVERY_AUTO)), Durations.parse(RECOVERY_INTERVAL, in.get(RECOVERY_INTERVAL)),
                        Durations.parse(CHECK_WINDOW, in.get(CHECK_WINDOW)),
                        number(RESYNC_RATE, in.get(RESYNC_RATE), 0, Long.MAX_VALUE)),
                sharding(in, backends),
                TlsConfig.read(in::find, "relay.http.tls.", true),
                TlsConfig.read(in::find, "relay.management.tls.", false));
    }

    /**
     * relay.shards and relay.shard.NAME.backends: each backend in exactly one shard. Without
     * relay.shards every backend is in one shard, the relay's behaviour before sharding.
     */
    /** relay.shards.previous: the shards before some were added, each still configured as it was. */
    private static List<String> previousShards(Lookup in, List<String> current) {
        List<String> previous = Arrays.stream(in.get(PREVIOUS_SHARDS).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (previous.isEmpty()) {
            return List.of();
        }
        for (String name : previous) {
            if (!current.contains(name)) {
                throw new ConfigException(PREVIOUS_SHARDS, "shard '" + name + "' is not in " + SHARDS
                        + ": a rebalance adds shards, it cannot remove one");
            }
        }
        if (previous.size() >= current.size()) {
            throw new ConfigException(PREVIOUS_SHARDS, "names every shard of " + SHARDS + ": no shard was added, nothing to rebalance");
        }
        return previous;
    }

    private static ShardConfig sharding(Lookup in, List<BackendConfig> backends) {
        List<String> all = backends.stream().map(BackendConfig::name).toList();
        List<String> names = Arrays.stream(in.get(SHARDS).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<ShardConfig.Shard> shards = new ArrayList<>();
        if (names.isEmpty()) {
            shards.add(new ShardConfig.Shard("default", all));
        }
        java.util.Map<String, String> shardOf = new java.util.HashMap<>();
        for (String name : names) {
            String key = "relay.shard." + name + ".backends";
            if (!BACKEND_NAME.matcher(name).matches()) {
                throw new ConfigException(SHARDS, "shard name '" + name + "' may hold only letters, digits, - and _");
            }
            if (shards.stream().anyMatch(s -> s.name().equals(name))) {
                throw new ConfigException(SHARDS, "shard '" + name + "' is listed twice");
            }
            List<String> members = Arrays.stream(in.get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (members.isEmpty()) {
                throw new ConfigException(key, "shard " + name + " has no backends: name them (e.g. a,b)");
            }
            for (String backend : members) {
                if (!all.contains(backend)) {
                    throw new ConfigException(key, "'" + backend + "' is not a backend (" + BACKENDS + ": " + String.join(",", all) + ")");
                }
                String before = shardOf.put(backend, name);
                if (before != null) {
                    throw new ConfigException(key, "backend '" + backend + "' is in shards " + before + " and " + name
                            + ": each backend belongs to exactly one");
                }
            }
            shards.add(new ShardConfig.Shard(name, members));
        }
        List<String> homeless = all.stream().filter(b -> !names.isEmpty() && !shardOf.containsKey(b)).toList();
        if (!homeless.isEmpty()) {
            throw new ConfigException(SHARDS, "backends " + String.join(",", homeless) + " are in no shard: add them to a relay.shard.NAME.backends");
        }
        List<String> previous = previousShards(in, names);
        String key = in.get(SHARD_KEY).replace(" ", "");
        if (key.equals("db")) {
            return new ShardConfig(List.copyOf(shards), false, null, previous);
        }
        if (key.equals("db,measurement")) {
            return new ShardConfig(List.copyOf(shards), true, null, previous);
        }
        if (key.startsWith("db,measurement,tag=") && key.length() > "db,measurement,tag=".length()) {
            return new ShardConfig(List.copyOf(shards), true, key.substring("db,measurement,tag=".length()), previous);
        }
        throw new ConfigException(SHARD_KEY, "'" + in.get(SHARD_KEY) + "' is not a shard key (db,measurement; db; db,measurement,tag=KEY)");
    }

    private static List<BackendConfig> backends(Lookup in, Duration defaultTimeout) {
        List<String> names = Arrays.stream(in.get(BACKENDS).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new ConfigException(BACKENDS, "no backends: name at least one (e.g. local1,local2)");
        }
        List<BackendConfig> backends = new ArrayList<>();
        for (String name : names) {
            if (!BACKEND_NAME.matcher(name).matches()) {
                throw new ConfigException(BACKENDS, "backend name '" + name + "' may hold only letters, digits, - and _");
            }
            if (backends.stream().anyMatch(b -> b.name().equals(name))) {
                throw new ConfigException(BACKENDS, "backend '" + name + "' is listed twice");
            }
            String urlKey = "relay.backend." + name + ".url";
            String timeoutKey = "relay.backend." + name + ".timeout";
            Duration timeout = in.find(timeoutKey).map(v -> Durations.parse(timeoutKey, v)).orElse(defaultTimeout);
            String prefix = "relay.backend." + name + ".";
            String bufferKey = in.keyFor(prefix + "buffer-size-mb", BUFFER_SIZE_MB);
            String batchKey = in.keyFor(prefix + "max-batch-kb", MAX_BATCH_KB);
            String delayKey = in.keyFor(prefix + "max-delay-interval", MAX_DELAY);
            long bufferMb = number(bufferKey, in.get(bufferKey), 0, 1 << 20);
            long batchKb = number(batchKey, in.get(batchKey), 1, 1 << 20);
            Duration maxDelay = Durations.parse(delayKey, in.get(delayKey));
            String udpKey = prefix + "udp";
            java.net.InetSocketAddress udpTarget = in.find(udpKey).filter(v -> !v.isEmpty())
                    .map(v -> hostPort(udpKey, v)).orElse(null);
            int udpMtu = (int) number(prefix + "udp-mtu", in.find(prefix + "udp-mtu").orElse("1024"), 64, 65507);
            BackendUrl url = BackendUrl.parse(urlKey, in.get(urlKey));
            backends.add(new BackendConfig(name, url.url(), url.authorization(), timeout,
                    bufferMb << 20, batchKb << 10, maxDelay, udpTarget, udpMtu, diskBuffer(in, name),
                    BackendTlsConfig.read(in::find, name, url.url())));
        }
        return List.copyOf(backends);
    }

    /** The backend's buffer on disk (relay.buffer.store=disk, or its own override), else null: in memory. */
    private static DiskBufferConfig diskBuffer(Lookup in, String name) {
        String prefix = "relay.backend." + name + ".buffer.";
        String storeKey = in.keyFor(prefix + "store", BUFFER_STORE);
        String store = in.get(storeKey).trim().toLowerCase(java.util.Locale.ROOT);
        if (store.equals("memory")) {
            return null;
        }
        if (!store.equals("disk")) {
            throw new ConfigException(storeKey, "'" + in.get(storeKey) + "' is not memory or disk");
        }
        String sizeKey = in.keyFor(prefix + "disk-size-mb", BUFFER_DISK_MB);
        String ageKey = in.keyFor(prefix + "max-age", BUFFER_MAX_AGE);
        String fsyncKey = in.keyFor(prefix + "fsync", BUFFER_FSYNC);
        String intervalKey = in.keyFor(prefix + "fsync-interval", BUFFER_FSYNC_INTERVAL);
        String dir = in.find(prefix + "dir").orElse(in.get(BUFFER_DIR) + "/" + name);
        return new DiskBufferConfig(dir, number(sizeKey, in.get(sizeKey), 1, 1 << 24) << 20,
                Durations.parse(ageKey, in.get(ageKey)), DiskBufferConfig.Fsync.parse(fsyncKey, in.get(fsyncKey)),
                Durations.parse(intervalKey, in.get(intervalKey)));
    }

    private static int port(String key, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + value + "' is not a TCP port (1-65535)");
        }
    }

    private static UdpConfig udp(Lookup in) {
        String precision = in.get(UDP_PRECISION);
        if (io.influxrelay.lineprotocol.Precision.parse(precision).isEmpty()) {
            throw new ConfigException(UDP_PRECISION, "unknown precision '" + precision + "' (n, u, ms, s, m, h)");
        }
        int readBuffer = (int) number(UDP_READ_BUFFER, in.get(UDP_READ_BUFFER), 0, 1 << 30);
        return new UdpConfig(in.get(UDP_HOST), (int) number(UDP_PORT, in.get(UDP_PORT), 0, 65535),
                in.get(UDP_DB), in.get(UDP_RP), precision, Durations.parse(UDP_FLUSH, in.get(UDP_FLUSH)),
                (int) number(UDP_BATCH_KB, in.get(UDP_BATCH_KB), 1, 1 << 20) << 10,
                readBuffer > 0 ? readBuffer : osReceiveBuffer());
    }

    /** netty always sets SO_RCVBUF: "0, the OS default" must be read off a socket. */
    private static int osReceiveBuffer() {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(null)) {
            return s.getReceiveBufferSize();
        } catch (java.io.IOException e) {
            return 212_992; // Linux's usual net.core.rmem_default
        }
    }

    private static java.net.InetSocketAddress hostPort(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(key, "'" + value + "' is not host:port");
        }
        int port = port(key, value.substring(colon + 1));
        return new java.net.InetSocketAddress(value.substring(0, colon), port);
    }

    private static boolean clientConsistency(String value) {
        return switch (value) {
            case "ignore" -> false;
            case "honor" -> true;
            default -> throw new ConfigException(CLIENT_CONSISTENCY, "'" + value + "' is not ignore or honor");
        };
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "'" + value + "' is not true or false");
        };
    }

    private static long number(String key, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + value + "' is not a whole number from " + min + " to " + max);
        }
    }

    private static int maxBody(String value) {
        try {
            int mb = Integer.parseInt(value);
            if (mb < 1 || mb > 1024) {
                throw new NumberFormatException();
            }
            return mb * 1_000_000; // decimal, as InfluxDB's max-body-size default (25,000,000 bytes)
        } catch (NumberFormatException e) {
            throw new ConfigException(MAX_BODY_MB, "'" + value + "' is not a size in MB (1-1024)");
        }
    }

    /**
     * The validated values handed to Camel's property placeholders, so YAML routes use exactly what
     * was checked here.
     */
    public Map<String, String> placeholders() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(HTTP_HOST, httpHost);
        p.put(HTTP_PORT, Integer.toString(httpPort));
        // Camel's management server: Jolokia (for Hawtio) on a port of its own, loopback by default; 0 turns it off
        p.put("camel.management.enabled", Boolean.toString(managementPort > 0));
        p.put("camel.management.host", managementHost);
        p.put("camel.management.port", Integer.toString(managementPort));
        p.put("camel.management.jolokiaEnabled", "true");
        // relay.management.tls.*: the server takes the SSLContextParameters RelayBeans sets on the context
        p.put("camel.management.useGlobalSslContextParameters", Boolean.toString(managementTls != null));
        p.put("relay.udp.enabled", Boolean.toString(udp.enabled()));
        p.put(UDP_HOST, udp.host());
        // a route that is not started still names its endpoint: any valid port will do when UDP is off
        p.put(UDP_PORT, Integer.toString(udp.enabled() ? udp.port() : 9));
        p.put("relay.udp.read-buffer-bytes", Integer.toString(udp.readBufferBytes()));
        p.put(RECOVERY_AUTO, Boolean.toString(recovery.auto()));
        p.put("relay.recovery.interval-ms", Long.toString(recovery.interval().toMillis()));
        p.put(RESYNC_RATE, Long.toString(recovery.maxPointsPerSecond()));
        return p;
    }

    /** Reads a key from the source, falling back to the default beside it. */
    private record Lookup(ConfigSource source) {
        String get(String key) {
            return find(key).orElse(DEFAULTS.getOrDefault(key, ""));
        }

        java.util.Optional<String> find(String key) {
            return source.get(key);
        }

        /** The per-backend key when it is set, else the relay-wide one. */
        String keyFor(String backendKey, String relayKey) {
            return find(backendKey).isPresent() ? backendKey : relayKey;
        }
    }
}
