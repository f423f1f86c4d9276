package io.influxrelay.lineprotocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrecisionTest {

    @Test
    void parsesTheValuesInfluxdDocuments() {
        assertThat(Precision.parse(null)).contains(Precision.NANOSECONDS);
        assertThat(Precision.parse("")).contains(Precision.NANOSECONDS);
        assertThat(Precision.parse("n")).contains(Precision.NANOSECONDS);
        assertThat(Precision.parse("ns")).contains(Precision.NANOSECONDS);
        assertThat(Precision.parse("u")).contains(Precision.MICROSECONDS);
        assertThat(Precision.parse("ms")).contains(Precision.MILLISECONDS);
        assertThat(Precision.parse("s")).contains(Precision.SECONDS);
        assertThat(Precision.parse("m")).contains(Precision.MINUTES);
        assertThat(Precision.parse("h")).contains(Precision.HOURS);
    }

    @Test
    void leavesOtherValuesToTheCaller() {
        // influxd 1.6 takes all of these as nanoseconds, "us" included
        for (String value : new String[] {"us", "µ", "µs", "S", "sec", "x", " s", "H"}) {
            assertThat(Precision.parse(value)).as(value).isEmpty();
        }
    }

    @Test
    void truncatesTowardsTheFarPastLikeGoTimeTruncate() {
        long nanos = 1_700_000_123_456_789_012L;
        assertThat(Precision.NANOSECONDS.fromEpochNanos(nanos)).isEqualTo(nanos);
        assertThat(Precision.MICROSECONDS.fromEpochNanos(nanos)).isEqualTo(1_700_000_123_456_789L);
        assertThat(Precision.MILLISECONDS.fromEpochNanos(nanos)).isEqualTo(1_700_000_123_456L);
        assertThat(Precision.SECONDS.fromEpochNanos(nanos)).isEqualTo(1_700_000_123L);
        assertThat(Precision.MINUTES.fromEpochNanos(nanos)).isEqualTo(28_333_335L);
        assertThat(Precision.HOURS.fromEpochNanos(nanos)).isEqualTo(472_222L);
        assertThat(Precision.SECONDS.fromEpochNanos(-1)).isEqualTo(-1);
        assertThat(Precision.SECONDS.fromEpochNanos(-1_000_000_000L)).isEqualTo(-1);
    }

    @Test
    void namesItselfTheWayInfluxdDoes() {
        assertThat(Precision.NANOSECONDS.queryValue()).isEqualTo("n");
        assertThat(Precision.MICROSECONDS.queryValue()).isEqualTo("u");
        assertThat(Precision.HOURS.nanosPerUnit()).isEqualTo(3_600_000_000_000L);
        for (Precision precision : Precision.values()) {
            assertThat(Precision.parse(precision.queryValue())).contains(precision);
        }
    }
}
