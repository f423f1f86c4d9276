package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH throughput of {@link LineScanner#scan(byte[], int, int, long, Precision)} on ~256 KiB bodies of
 * Telegraf-style lines (nanosecond precision):
 * <ul>
 *   <li>{@code withTimestamps}: every line has a timestamp, so the scan only checks and returns a slice of
 *       the input;</li>
 *   <li>{@code withoutTimestamps}: the same lines (same seed) without timestamps, so more of them fit in
 *       the body; the scan stamps each one into a copy.</li>
 * </ul>
 * One operation scans one whole body. Besides ops/s, the secondary metric {@code bytes} counts the input
 * bytes scanned, so its "ops/s" score is input bytes per second (divide by 10^6 for MB/s). The body size is
 * printed at setup. {@code lines=cpu} (the default) is the cpu input's lines only; {@code lines=telegraf}
 * mixes cpu, mem, disk, net and system lines, one in five with a quoted string field (the scanner's slower
 * path). Run with {@code bench/scanner.sh}; not a test (surefire does not pick it up).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ScannerBenchmark {
    static final int BODY_BYTES = 256 * 1024;
    static final long NOW = 1_700_000_000_000_000_000L;

    @State(Scope.Benchmark)
    public static class Bodies {
        /** Which lines fill the bodies: {@code cpu} or {@code telegraf} (a mix of five inputs). */
        @Param({"cpu"})
        public String lines;

        byte[] stamped;
        byte[] unstamped;

        @Setup(Level.Trial)
        public void setUp() {
            stamped = body(lines, BODY_BYTES, true);
            unstamped = body(lines, BODY_BYTES, false);
            check(stamped, true);
            check(unstamped, false);
            System.out.printf("%nbodies (lines=%s): %d bytes, %d lines with timestamps; %d bytes, %d lines without%n",
                    lines, stamped.length, count(stamped, (byte) '\n'), unstamped.length, count(unstamped, (byte) '\n'));
        }

        /** Fails the trial unless every line is valid and the scan takes the path the case means to measure. */
        private static void check(byte[] body, boolean timestamps) {
            ScanResult result = LineScanner.scan(body, 0, body.length, NOW, Precision.NANOSECONDS);
            if (result.invalidLines() != 0 || result.validLines() != count(body, (byte) '\n')) {
                throw new IllegalStateException("generated body has invalid lines: " + result.errors());
            }
            boolean copied = result.body() != body;
            if (copied == timestamps) {
                throw new IllegalStateException("expected the scan " + (timestamps ? "not " : "") + "to copy");
            }
        }
    }

    /** Counts the input bytes scanned; reported by JMH as a rate, i.e. bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Benchmark
    public ScanResult withTimestamps(Bodies bodies, Bytes counter) {
        byte[] body = bodies.stamped;
        counter.bytes += body.length;
        return LineScanner.scan(body, 0, body.length, NOW, Precision.NANOSECONDS);
    }

    @Benchmark
    public ScanResult withoutTimestamps(Bodies bodies, Bytes counter) {
        byte[] body = bodies.unstamped;
        counter.bytes += body.length;
        return LineScanner.scan(body, 0, body.length, NOW, Precision.NANOSECONDS);
    }

    /** Whole lines up to {@code maxBytes}, seeded so every run scans the same bytes. */
    static byte[] body(String lines, int maxBytes, boolean timestamps) {
        Random random = new Random(42);
        StringBuilder body = new StringBuilder(maxBytes + 1024);
        StringBuilder line = new StringBuilder(512);
        long ts = NOW;
        while (true) {
            line.setLength(0);
            switch (lines) {
                case "cpu" -> cpuLine(random, line);
                case "telegraf" -> telegrafLine(random, line);
                default -> throw new IllegalArgumentException("lines must be cpu or telegraf, not " + lines);
            }
            if (timestamps) {
                line.append(' ').append(ts);
            }
            line.append('\n');
            if (body.length() + line.length() > maxBytes) {
                return body.toString().getBytes(StandardCharsets.UTF_8);
            }
            body.append(line);
            ts += 10_000_000_000L;
        }
    }

    private static final String[] REGIONS = {"us-west", "us-east", "eu-west", "ap-south"};

    /** {@code cpu,cpu=cpu0,host=server01,region=us-west usage_idle=98.5,usage_user=1.2,...} with varied values. */
    private static void cpuLine(Random random, StringBuilder line) {
        line.append("cpu,cpu=cpu").append(random.nextInt(16))
                .append(",host=server").append(String.format("%02d", 1 + random.nextInt(20)))
                .append(",region=").append(REGIONS[random.nextInt(REGIONS.length)])
                .append(" usage_idle=").append(Math.round(random.nextDouble() * 10_000) / 100.0)
                .append(",usage_user=").append(Math.round(random.nextDouble() * 5_000) / 100.0)
                .append(",usage_system=").append(Math.round(random.nextDouble() * 2_000) / 100.0)
                .append(",usage_iowait=").append(random.nextInt(3)).append('i');
    }

    /** Lines shaped like Telegraf's cpu, mem, disk, net and system inputs (as in {@link ScannerThroughput}). */
    private static void telegrafLine(Random random, StringBuilder line) {
        String tags = ",dc=ams3,host=web-01.prod.example.com,region=eu-west-1";
        switch (random.nextInt(5)) {
            case 0 -> line.append("cpu,cpu=cpu").append(random.nextInt(16)).append(tags)
                    .append(" usage_user=").append(random.nextDouble() * 100)
                    .append(",usage_system=").append(random.nextDouble() * 10)
                    .append(",usage_idle=").append(random.nextDouble() * 100)
                    .append(",usage_iowait=").append(random.nextDouble())
                    .append(",usage_irq=0,usage_softirq=0.1001001001001001,usage_steal=0,usage_guest=0");
            case 1 -> line.append("mem").append(tags)
                    .append(" active=").append(random.nextInt(1 << 30))
                    .append("i,available=").append(random.nextInt(1 << 30))
                    .append("i,available_percent=").append(random.nextDouble() * 100)
                    .append(",buffered=").append(random.nextInt(1 << 20))
                    .append("i,cached=").append(random.nextInt(1 << 30))
                    .append("i,free=").append(random.nextInt(1 << 30))
                    .append("i,total=16777216000i,used=").append(random.nextInt(1 << 30))
                    .append("i,used_percent=").append(random.nextDouble() * 100);
            case 2 -> line.append("disk,dc=ams3,device=nvme0n1p").append(random.nextInt(4))
                    .append(",fstype=ext4,host=web-01.prod.example.com,mode=rw,path=/var/lib/data,region=eu-west-1")
                    .append(" free=").append(random.nextLong(1L << 40))
                    .append("i,inodes_free=").append(random.nextInt(1 << 24))
                    .append("i,inodes_total=30531584i,inodes_used=").append(random.nextInt(1 << 20))
                    .append("i,total=500107862016i,used=").append(random.nextLong(1L << 38))
                    .append("i,used_percent=").append(random.nextDouble() * 100);
            case 3 -> line.append("net,dc=ams3,host=web-01.prod.example.com,interface=eth").append(random.nextInt(2))
                    .append(",region=eu-west-1 bytes_recv=").append(random.nextLong(1L << 40))
                    .append("i,bytes_sent=").append(random.nextLong(1L << 40))
                    .append("i,drop_in=0i,drop_out=0i,err_in=0i,err_out=0i,packets_recv=")
                    .append(random.nextInt(Integer.MAX_VALUE))
                    .append("i,packets_sent=").append(random.nextInt(Integer.MAX_VALUE)).append('i');
            default -> line.append("system").append(tags)
                    .append(" load1=").append(random.nextDouble())
                    .append(",load15=").append(random.nextDouble())
                    .append(",load5=").append(random.nextDouble())
                    .append(",n_cpus=16i,n_users=").append(random.nextInt(9))
                    .append("i,uptime=").append(random.nextInt(1 << 24))
                    .append("i,uptime_format=\"").append(random.nextInt(200)).append(" days,  3:04\"");
        }
    }

    private static int count(byte[] body, byte b) {
        int n = 0;
        for (byte x : body) {
            if (x == b) {
                n++;
            }
        }
        return n;
    }
}
