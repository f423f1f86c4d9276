package io.influxrelay.recovery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanAndQueryTextTest {

    @Test
    void chunksCoverTheRangeInOrderAndTheLastIsCut() {
        ResyncPlan plan = new ResyncPlan(List.of("autogen", "week"), List.of("cpu", "mem"), 0, 25, 10);
        List<ResyncChunk> chunks = new ArrayList<>();
        plan.forEach(chunks::add);
        assertThat(plan.size()).isEqualTo(12).isEqualTo(chunks.size());
        assertThat(chunks.subList(0, 4)).containsExactly(new ResyncChunk("autogen", "cpu", 0, 10),
                new ResyncChunk("autogen", "cpu", 10, 20), new ResyncChunk("autogen", "cpu", 20, 25),
                new ResyncChunk("autogen", "mem", 0, 10));
        assertThat(chunks.get(11)).isEqualTo(new ResyncChunk("week", "mem", 20, 25));
    }

    @Test
    void aRangeToTheEndOfTimeDoesNotOverflow() {
        ResyncPlan plan = new ResyncPlan(List.of("r"), List.of("m"), Long.MAX_VALUE - 15, Long.MAX_VALUE, 10);
        List<ResyncChunk> chunks = new ArrayList<>();
        plan.forEach(chunks::add);
        assertThat(chunks).extracting(ResyncChunk::endNs).containsExactly(Long.MAX_VALUE - 5, Long.MAX_VALUE);
    }

    @Test
    void goDurationsBecomeSingleUnitLiterals() {
        assertThat(InfluxQl.duration("0s")).isEqualTo("INF");
        assertThat(InfluxQl.duration("168h0m0s")).isEqualTo("168h");
        assertThat(InfluxQl.duration("1h30m0s")).isEqualTo("5400s");
        assertThat(InfluxQl.duration("1h0m0.5s")).isEqualTo("3600500000u");
        assertThat(InfluxQl.window(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(InfluxQl.window(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(InfluxQl.window(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }

    @Test
    void identifiersAreQuotedWhateverTheyHold() {
        assertThat(InfluxQl.source("my db", "rp.1", "say \"hi\"\\")).isEqualTo("\"my db\".\"rp.1\".\"say \\\"hi\\\"\\\\\"");
    }

    @Test
    void sumsAgreeExactlyForIntegersAndWithinARelativeBillionthForFloats() {
        assertThat(WindowComparison.sumsAgree(FieldType.INTEGER, new NumberText("9223372036854775807"), new NumberText("9223372036854775806"))).isFalse();
        assertThat(WindowComparison.sumsAgree(FieldType.INTEGER, new NumberText("5"), new NumberText("5"))).isTrue();
        assertThat(WindowComparison.sumsAgree(FieldType.FLOAT, new NumberText("1.0000000000001"), new NumberText("1"))).isTrue();
        assertThat(WindowComparison.sumsAgree(FieldType.FLOAT, new NumberText("1.00001"), new NumberText("1"))).isFalse();
        assertThat(WindowComparison.sumsAgree(FieldType.FLOAT, null, new NumberText("0"))).isFalse();
        assertThat(WindowComparison.sumsAgree(FieldType.STRING, null, null)).isTrue();
    }
}
