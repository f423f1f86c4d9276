package io.influxrelay.recovery;

import io.influxrelay.buffer.BufferedWrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MissingDataTest {
    private static final long S = 1_000_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final java.util.List<MissingData> opened = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void saveBeforeTheDirectoryGoes() {
        opened.forEach(MissingData::stop);
    }

    private MissingData ledger() {
        MissingData ledger = new MissingData(List.of("a", "b"), new LedgerFile(dir.resolve("missing-data.json")), 60 * S, CLOCK,
                new SimpleMeterRegistry());
        opened.add(ledger);
        return ledger;
    }

    private static BufferedWrite write(String query, String lines) {
        return new BufferedWrite(query, null, lines.getBytes(StandardCharsets.UTF_8), 0);
    }

    @Test
    void aLostWriteIsRecordedWithItsDatabaseRetentionPolicyAndExactTimeRange() {
        MissingData ledger = ledger();
        ledger.lost("b", write("db=x&rp=week&precision=s", "m v=1 100\nm v=2 90\nn,t=a v=\"x y\" 120\n"), "buffer full");

        assertThat(ledger.of("b")).singleElement().satisfies(r -> {
            assertThat(r.db()).isEqualTo("x");
            assertThat(r.rp()).isEqualTo("week");
            assertThat(r.startNs()).isEqualTo(90 * S);
            assertThat(r.endNs()).isEqualTo(120 * S);
            assertThat(r.points()).isEqualTo(3);
            assertThat(r.reasons()).containsExactly("buffer full");
        });
        assertThat(ledger.missing("b")).isTrue();
        assertThat(ledger.missing("a")).isFalse();
    }

    @Test
    void rangesCloseTogetherMergeAndDistantOnesOrOtherDatabasesStayApart() {
        MissingData ledger = ledger();
        ledger.lost("b", write("db=x", "m v=1 " + 100 * S + "\n"), "buffer full");
        ledger.lost("b", write("db=x", "m v=1 " + 130 * S + "\n"), "dead letter");
        ledger.lost("b", write("db=x", "m v=1 " + 1000 * S + "\n"), "buffer full");
        ledger.lost("b", write("db=y", "m v=1 " + 110 * S + "\n"), "buffer full");
        // a range that bridges the first two and nothing else
        ledger.lost("b", write("db=x", "m v=1 " + 115 * S + "\n"), "buffer full");

        assertThat(ledger.of("b")).extracting(r -> r.db() + " " + r.startNs() / S + "-" + r.endNs() / S + " " + r.points())
                .containsExactly("x 100-130 3", "x 1000-1000 1", "y 110-110 1");
        assertThat(ledger.of("b").get(0).reasons()).containsExactly("buffer full", "dead letter");
    }

    @Test
    void statementsAreNotPointsAndAreNotRecorded() {
        MissingData ledger = ledger();
        ledger.lost("b", new BufferedWrite("q=CREATE+DATABASE+x", null, new byte[0], 0, BufferedWrite.Kind.STATEMENTS), "buffer full");
        assertThat(ledger.missing("b")).isFalse();
    }

    @Test
    void theLedgerSurvivesARestartAndARangeClosesOnlyAsItWasRepaired() {
        MissingData first = ledger();
        first.lost("b", write("db=x", "m v=1 " + 100 * S + "\n"), "relay stopped");
        first.stop();
        assertThat(dir.resolve("missing-data.json")).exists();

        MissingData second = ledger();
        MissingRange open = second.of("b").get(0);
        assertThat(open.startNs()).isEqualTo(100 * S);
        assertThat(open.since()).isEqualTo(CLOCK.instant());

        // more was lost into the range while it was being repaired: it stays open, to be repaired whole
        second.lost("b", write("db=x", "m v=1 " + 101 * S + "\n"), "buffer full");
        assertThat(second.close("b", open)).isFalse();
        assertThat(second.close("b", second.of("b").get(0))).isTrue();
        assertThat(second.missing("b")).isFalse();
        second.stop();
        assertThat(ledger().missing("b")).isFalse();
    }

    @Test
    void manyRangesAreBoundedByMergingTheClosest() {
        MissingData ledger = ledger();
        for (int i = 0; i < MissingData.MAX_RANGES + 10; i++) {
            ledger.lost("b", write("db=x", "m v=1 " + i * 1000 * S + "\n"), "buffer full");
        }
        assertThat(ledger.of("b")).hasSize(MissingData.MAX_RANGES);
        assertThat(ledger.of("b").stream().mapToLong(MissingRange::points).sum()).isEqualTo(MissingData.MAX_RANGES + 10);
    }

    @Test
    void aDamagedLedgerFileStopsTheStartWithItsPath() throws Exception {
        Files.writeString(dir.resolve("missing-data.json"), "{not json");
        assertThatThrownBy(this::ledger).hasMessageContaining("missing-data.json");
    }
}
