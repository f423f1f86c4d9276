package io.influxrelay.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * The memory flags the launcher gives the relay, printed for bin/relay.
 * <ul>
 * <li>The heap: room for Camel and the traffic in flight, plus every retry buffer full with a fifth to
 * spare for the collector. It starts small and gives memory back after a collection, so resident memory
 * follows what the buffers hold rather than the ceiling.</li>
 * <li>The serial collector: on a heap this small it costs the least CPU and memory (bench/RESULTS.md:
 * against G1, about a third less CPU per write at 1000 points and 40 MB less resident memory). Survivor
 * spaces of a sixth of the young generation each instead of a tenth: the writes in flight outgrew 2 MB
 * survivors with four backends, were promoted and collected in full collections (a third of the time;
 * bench/RESULTS.md, sharding).</li>
 * <li>Native memory handed back to the system every few seconds (the JIT compilers' scratch memory
 * would otherwise stay resident once freed), where the JVM has the flag (17.0.9 and later).</li>
 * <li>Netty's buffer pool: one arena per core instead of two, in chunks of 1 MB instead of 4 (each arena
 * holds at least one chunk once used; a write's body takes a few of its pages).</li>
 * </ul>
 * bin/relay also caps glibc's malloc arenas (MALLOC_ARENA_MAX), which only the environment can set.
 */
public final class MemoryFlags {
    /** Camel, netty, the HTTP pools and requests in flight, measured idle and under load. */
    static final long BASE_MB = 128;

    private MemoryFlags() {
    }

    public static long megabytes(RelayConfig config) {
        long buffers = config.backends().stream().filter(b -> b.disk() == null) // a disk buffer holds next to nothing in the heap
                .mapToLong(BackendConfig::bufferBytes).sum();
        return BASE_MB + (long) Math.ceil(buffers * 1.2 / (1 << 20));
    }

    public static String jvmFlags(RelayConfig config) {
        String flags = "-Xms64m -Xmx" + megabytes(config) + "m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
                + " -XX:+UseSerialGC -XX:SurvivorRatio=4"
                + " -Dio.netty.allocator.numDirectArenas=" + Runtime.getRuntime().availableProcessors()
                + " -Dio.netty.allocator.maxOrder=7";
        return hasVmOption("TrimNativeHeapInterval") ? flags + " -XX:TrimNativeHeapInterval=5000" : flags;
    }

    /** Whether this JVM knows the flag: an unknown -XX flag stops the JVM at start. */
    static boolean hasVmOption(String name) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
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
