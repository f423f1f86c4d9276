package io.influxrelay.admin;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayAdminTimeTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final long NOW_NS = 1_796_040_000_000_000_000L;
    private static final long HOUR = 3_600_000_000_000L;

    private static long parse(String text) {
        return TimeArg.parse("--start", text, NOW);
    }

    @Test
    void rfc3339WithFractionsAndOffsets() {
        assertThat(parse("2026-11-30T12:00:00Z")).isEqualTo(NOW_NS);
        assertThat(parse("2026-11-30T12:00:00.000000001Z")).isEqualTo(NOW_NS + 1);
        assertThat(parse("2026-11-30T12:00:00.5Z")).isEqualTo(NOW_NS + 500_000_000);
        assertThat(parse("2026-11-30T14:00:00+02:00")).isEqualTo(NOW_NS);
        assertThat(parse("2026-11-30t12:00:00z")).isEqualTo(NOW_NS);
        assertThat(parse("1970-01-01T00:00:00Z")).isZero();
        assertThat(parse("1969-12-31T23:59:59.999999999Z")).isEqualTo(-1);
    }

    @Test
    void aDateIsMidnightUtc() {
        assertThat(parse("2026-11-30")).isEqualTo(NOW_NS - 12 * HOUR);
    }

    @Test
    void nowAndOffsetsFromIt() {
        assertThat(parse("now")).isEqualTo(NOW_NS);
        assertThat(parse("now-2h")).isEqualTo(NOW_NS - 2 * HOUR);
        assertThat(parse("-2h")).isEqualTo(NOW_NS - 2 * HOUR);
        assertThat(parse("now+30m")).isEqualTo(NOW_NS + HOUR / 2);
        assertThat(parse("now-1h30m")).isEqualTo(NOW_NS - 3 * HOUR / 2);
        assertThat(parse("-1d")).isEqualTo(NOW_NS - 24 * HOUR);
        assertThat(parse("-1w")).isEqualTo(NOW_NS - 7 * 24 * HOUR);
        assertThat(parse("-1500ms")).isEqualTo(NOW_NS - 1_500_000_000L);
        assertThat(parse("-3us")).isEqualTo(NOW_NS - 3_000);
        assertThat(parse("-7ns")).isEqualTo(NOW_NS - 7);
    }

    @Test
    void nanosecondsAsGiven() {
        assertThat(parse("1796040000000000000")).isEqualTo(NOW_NS);
        assertThat(parse("0")).isZero();
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOption() {
        for (String bad : new String[] {"", "yesterday", "now-", "now-2", "2h", "now-2y", "2026-13-01",
                "2026-11-30T25:00:00Z", "2026-11-30T12:00:00", "99999999999999999999", "-99999999999w"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--start '" + bad + "' is not a time");
        }
    }

    @Test
    void windowsAreDurationsOfWholeUnits() {
        assertThat(TimeArg.isDuration("1h")).isTrue();
        assertThat(TimeArg.isDuration("1h30m")).isTrue();
        assertThat(TimeArg.isDuration("0s")).isFalse();
        assertThat(TimeArg.isDuration("1.5h")).isFalse();
        assertThat(TimeArg.isDuration("h")).isFalse();
        assertThat(TimeArg.isDuration("99999999999999999999h")).isFalse();
    }

    @Test
    void formatsBackToRfc3339() {
        assertThat(TimeArg.format(NOW_NS)).isEqualTo("2026-11-30T12:00:00Z");
        assertThat(TimeArg.format(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }
}
