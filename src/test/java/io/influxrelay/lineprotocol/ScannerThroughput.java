package io.influxrelay.lineprotocol;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Prints the scanner's throughput on Telegraf-style bodies, with and without timestamps. A figure, not a test:
 * run it with {@code java -cp target/classes:target/test-classes io.influxrelay.lineprotocol.ScannerThroughput}.
 */
public final class ScannerThroughput {
    private static final long NOW = 1_700_000_000_000_000_000L;

    private ScannerThroughput() {
    }

    public static void main(String[] args) {
        int bodyBytes = args.length > 0 ? Integer.parseInt(args[0]) : 1 << 20;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        byte[] stamped = telegrafBody(bodyBytes, true);
        byte[] unstamped = telegrafBody(bodyBytes, false);
        measure("warm-up", stamped, seconds / 2);
        measure("warm-up", unstamped, seconds / 2);
        measure("with timestamps (input returned as is)", stamped, seconds);
        measure("without timestamps (stamped into a copy)", unstamped, seconds);
    }

    private static void measure(String label, byte[] body, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long started = System.nanoTime();
        long bytes = 0;
        long lines = 0;
        while (System.nanoTime() < deadline) {
            ScanResult result = LineScanner.scan(body, 0, body.length, NOW);
            if (result.invalidLines() != 0) {
                throw new IllegalStateException(result.errors());
            }
            bytes += body.length;
            lines += result.validLines();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("%-45s %8.0f MB/s %10.2f M lines/s%n", label, bytes / elapsed / 1e6, lines / elapsed / 1e6);
    }

    /** Lines shaped like Telegraf's cpu, mem, disk, net and system inputs, tags sorted as Telegraf sorts them. */
    static byte[] telegrafBody(int size, boolean timestamps) {
        Random random = new Random(42);
        StringBuilder body = new StringBuilder(size + 1024);
        long ts = 1_700_000_000_000_000_000L;
        String tags = ",dc=ams3,host=web-01.prod.example.com,region=eu-west-1";
        while (body.length() < size) {
            String line = switch (random.nextInt(5)) {
                case 0 -> "cpu,cpu=cpu" + random.nextInt(16) + tags
                        + " usage_user=" + random.nextDouble() * 100 + ",usage_system=" + random.nextDouble() * 10
                        + ",usage_idle=" + random.nextDouble() * 100 + ",usage_iowait=" + random.nextDouble()
                        + ",usage_irq=0,usage_softirq=0.1001001001001001,usage_steal=0,usage_guest=0";
                case 1 -> "mem" + tags + " active=" + random.nextInt(1 << 30) + "i,available=" + random.nextInt(1 << 30)
                        + "i,available_percent=" + random.nextDouble() * 100 + ",buffered=" + random.nextInt(1 << 20)
                        + "i,cached=" + random.nextInt(1 << 30) + "i,free=" + random.nextInt(1 << 30)
                        + "i,total=16777216000i,used=" + random.nextInt(1 << 30) + "i,used_percent=" + random.nextDouble() * 100;
                case 2 -> "disk,dc=ams3,device=nvme0n1p" + random.nextInt(4)
                        + ",fstype=ext4,host=web-01.prod.example.com,mode=rw,path=/var/lib/data,region=eu-west-1 free=" + random.nextLong(1L << 40) + "i,inodes_free="
                        + random.nextInt(1 << 24) + "i,inodes_total=30531584i,inodes_used=" + random.nextInt(1 << 20)
                        + "i,total=500107862016i,used=" + random.nextLong(1L << 38) + "i,used_percent=" + random.nextDouble() * 100;
                case 3 -> "net,dc=ams3,host=web-01.prod.example.com,interface=eth" + random.nextInt(2)
                        + ",region=eu-west-1 bytes_recv=" + random.nextLong(1L << 40)
                        + "i,bytes_sent=" + random.nextLong(1L << 40) + "i,drop_in=0i,drop_out=0i,err_in=0i,err_out=0i,packets_recv="
                        + random.nextInt(Integer.MAX_VALUE) + "i,packets_sent=" + random.nextInt(Integer.MAX_VALUE) + "i";
                default -> "system" + tags + " load1=" + random.nextDouble() + ",load15=" + random.nextDouble()
                        + ",load5=" + random.nextDouble() + ",n_cpus=16i,n_users=" + random.nextInt(9)
                        + "i,uptime=" + random.nextInt(1 << 24) + "i,uptime_format=\"" + random.nextInt(200) + " days,  3:04\"";
            };
            body.append(line);
            if (timestamps) {
                body.append(' ').append(ts);
                ts += 10_000_000_000L;
            }
            body.append('\n');
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
