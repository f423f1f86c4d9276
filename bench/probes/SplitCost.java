import io.influxrelay.buffer.RetryBuffers;
import io.influxrelay.config.ShardConfig;
import io.influxrelay.lineprotocol.LineScanner;
import io.influxrelay.lineprotocol.Precision;
import io.influxrelay.sharding.ShardLayout;
import io.influxrelay.sharding.ShardMetrics;
import io.influxrelay.sharding.ShardRouter;
import io.influxrelay.sharding.ShardSplitter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * CPU of the scan of one Telegraf-like write (1000 points over 50 measurements, as bench/write-telegraf.lua
 * makes them), alone (one shard), with the shard splitter of two shards riding along and each shard's part
 * taken as the relay takes it (ranges of the scanned write), and the same with each part copied out into an
 * array of its own (as the relay did before): on one thread, the three taken in turn. Args: ORDER (grouped:
 * each measurement's points together; interleaved: one line each in turn), SECONDS per turn (2), TURNS (18).
 */
public class SplitCost {
    private static final String[] MEASUREMENTS = {"cpu", "mem", "disk", "diskio", "net", "netstat", "processes",
            "system", "swap", "kernel", "kernel_vmstat", "interrupts", "linux_sysctl_fs", "nstat", "conntrack", "docker",
            "docker_container_cpu", "docker_container_mem", "docker_container_net", "docker_container_blkio", "nginx",
            "postgresql", "mysql", "redis", "mongodb", "elasticsearch", "kafka_consumer", "rabbitmq", "haproxy", "apache",
            "memcached", "zookeeper", "jolokia2_agent", "java_memory", "java_gc", "java_threads", "http_response", "ping",
            "dns_query", "net_response", "procstat", "systemd_units", "smart", "sensors", "temp", "ntpq", "chrony",
            "internal_agent", "internal_gather", "internal_write"};
    private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "ap-south"};

    private static final char[] DB = "bench".toCharArray();

    public static void main(String[] args) {
        boolean interleaved = args.length > 0 && args[0].equals("interleaved");
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 2;
        int turns = args.length > 2 ? Integer.parseInt(args[2]) : 18;
        byte[] body = write(interleaved);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ShardLayout layout = new ShardLayout(new ShardConfig(List.of(new ShardConfig.Shard("s1", List.of()),
                new ShardConfig.Shard("s2", List.of())), true, null), List.of());
        ShardRouter router = new ShardRouter(layout, new RetryBuffers(List.of(), registry), new ShardMetrics(layout, registry));
        long now = System.currentTimeMillis() * 1_000_000L;
        long sink = 0;
        double[][] us = new double[3][turns / 3];
        for (int turn = 0; turn < turns; turn++) {
            int way = turn % 3; // 0: scan alone; 1: split, parts as ranges; 2: split, parts copied out
            long t0 = System.nanoTime();
            int n = 0;
            for (; System.nanoTime() - t0 < seconds * 1_000_000_000L; n++) {
                if (way == 0) {
                    sink += LineScanner.scan(body, 0, body.length, now, Precision.NANOSECONDS).validLines();
                    continue;
                }
                ShardSplitter splitter = router.splitter(new String(DB)); // parsed from each query string anew
                sink += LineScanner.scan(body, 0, body.length, now, Precision.NANOSECONDS, splitter).validLines();
                sink += way == 1 ? splitter.lines(0).ranges() + splitter.lines(1).ranges()
                        : splitter.lines(0).bytes().length + splitter.lines(1).bytes().length;
            }
            us[way][turn / 3] = (System.nanoTime() - t0) / 1000.0 / n;
        }
        // the first round is the JIT's warm-up
        double one = median(us[0]), ranges = median(us[1]), copied = median(us[2]);
        System.out.printf("%s: scan %.1f us per write; with the splitter, parts as ranges %.1f us (+%.1f), parts copied"
                + " out %.1f us (+%.1f) (%d)%n", interleaved ? "interleaved" : "grouped", one, ranges, ranges - one,
                copied, copied - one, sink % 2);
    }

    private static double median(double[] turns) {
        double[] t = java.util.Arrays.copyOfRange(turns, 1, turns.length);
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }

    private static byte[] write(boolean interleaved) {
        StringBuilder lines = new StringBuilder();
        long base = 1_700_000_000_000_000_000L;
        for (int i = 1; i <= 1000; i++) {
            int host = i % 20;
            int m = interleaved ? (i - 1) % 50 : (i - 1) / 20 % 50;
            lines.append(String.format("%s,host=host%02d,region=%s value=%d.%d,usage=%d.%02d,rate=0.%d,count=%di %d%n",
                    MEASUREMENTS[m], host, REGIONS[host % 4], 7, i, i % 100, 3, i, 5, base + i));
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
