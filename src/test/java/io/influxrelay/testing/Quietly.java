package io.influxrelay.testing;

/** Test teardown: stop every process given, whatever the others do. */
public final class Quietly {
    private Quietly() {
    }

    public static void close(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one must still be stopped
            }
        }
    }
}
