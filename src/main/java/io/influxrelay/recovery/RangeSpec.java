package io.influxrelay.recovery;

/** What to copy or compare (placeholder until the engine lands). */
public record RangeSpec(String db, String rp, long startNs, long endNs, java.util.List<String> measurements) {
}
