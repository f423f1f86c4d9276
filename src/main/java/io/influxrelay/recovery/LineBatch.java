package io.influxrelay.recovery;

/** Lines of line protocol for one /write, and how many points they hold. */
record LineBatch(byte[] lines, int points) {
}
