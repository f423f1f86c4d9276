package io.influxrelay.recovery;

/** One step of a check: a measurement of a retention policy, and which servers hold that policy. */
record CheckStep(String rp, String measurement, boolean rpOnFrom, boolean rpOnTo) {
}
