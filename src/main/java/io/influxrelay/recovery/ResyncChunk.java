package io.influxrelay.recovery;

/** One step of a resync: the points of one measurement of one retention policy in [startNs, endNs). */
record ResyncChunk(String rp, String measurement, long startNs, long endNs) {
}
