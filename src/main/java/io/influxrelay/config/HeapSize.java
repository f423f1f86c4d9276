package io.influxrelay.config;

import java.nio.file.Path;

/**
 * The heap the launcher gives the relay: room for Camel and the traffic in flight, plus every retry
 * buffer full with a fifth to spare for the collector. It starts small and gives memory back after a
 * collection, so resident memory follows what the buffers hold rather than the ceiling. The serial
 * collector: on a heap this small it costs the least CPU and memory (bench/RESULTS.md: against G1,
 * about a third less CPU per write at 1000 points and 40 MB less resident memory). Printed as JVM
 * flags for bin/relay.
 */
public final class HeapSize {
    /** Camel, netty, the HTTP pools and requests in flight, measured idle and under load. */
    static final long BASE_MB = 128;

    private HeapSize() {
    }

    public static long megabytes(RelayConfig config) {
        long buffers = config.backends().stream().filter(b -> b.disk() == null) // a disk buffer holds next to nothing in the heap
                .mapToLong(BackendConfig::bufferBytes).sum();
        return BASE_MB + (long) Math.ceil(buffers * 1.2 / (1 << 20));
    }

    public static String jvmFlags(RelayConfig config) {
        return "-Xms64m -Xmx" + megabytes(config) + "m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
                + " -XX:+UseSerialGC";
    }

    public static void main(String[] args) {
        String home = System.getProperty("relay.home", System.getenv().getOrDefault("RELAY_HOME", "."));
        try {
            RelayConfig config = RelayConfig.from(ConfigSource.load(Path.of(home).resolve("config/application.properties")));
            System.out.println(jvmFlags(config));
        } catch (ConfigException e) {
            System.out.println("-Xmx512m"); // the relay itself will name the bad key
        }
    }
}
