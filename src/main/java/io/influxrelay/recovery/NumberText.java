package io.influxrelay.recovery;

/**
 * A JSON number exactly as InfluxDB printed it. Go prints a float64 in its shortest round-trip form
 * (a float 1 as "1", -0 as "-0"), and an int64 in full: copying the text loses nothing, where a double
 * would lose big integers and the sign of zero.
 */
public record NumberText(String text) {
    public long asLong() {
        return Long.parseLong(text);
    }

    public double asDouble() {
        return Double.parseDouble(text);
    }
}
