package io.influxrelay.recovery;

/**
 * One field of one measurement whose values differ between the servers in one window: in count, or in
 * sum (floats beyond a relative 1e-9, integers at all). Sums are null for string and boolean fields, and
 * on a side with no values. A window is clipped to the checked range.
 */
public record WindowDifference(String rp, String measurement, String field, long windowStartNs, long windowEndNs,
                               long fromCount, long toCount, Double fromSum, Double toSum) {
}
