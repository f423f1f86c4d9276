package io.influxrelay.sharding;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShardRingTest {
    private static int[] spread(ShardRing ring, int shards, int keys) {
        int[] count = new int[shards];
        for (int i = 0; i < keys; i++) {
            count[ring.shardOf("mydb\nmeasurement_" + i)]++;
        }
        return count;
    }

    @Test
    void keysSpreadEvenlyOverTheShards() {
        for (int n : new int[]{2, 3, 4}) {
            List<String> names = java.util.stream.IntStream.range(0, n).mapToObj(i -> "s" + (i + 1)).toList();
            int[] count = spread(new ShardRing(names), n, 10_000);
            for (int c : count) {
                assertThat(c).as("%d shards: %s", n, java.util.Arrays.toString(count)).isBetween(10_000 / n * 85 / 100, 10_000 / n * 115 / 100);
            }
        }
    }

    @Test
    void theSameShardNamesGiveTheSameRingEverywhere() {
        ShardRing one = new ShardRing(List.of("s1", "s2"));
        ShardRing other = new ShardRing(List.of("s1", "s2"));
        for (int i = 0; i < 1000; i++) {
            assertThat(one.shardOf("db\nm" + i)).isEqualTo(other.shardOf("db\nm" + i));
        }
        // pinned: a change of hash, seed or ring points would move every relay's keys (README, "Sharding")
        ShardRing three = new ShardRing(List.of("s1", "s2", "s3"));
        assertThat(List.of("mydb\ncpu", "mydb\nmem", "mydb\ndisk", "telegraf\nnet", "telegraf\nsystem"))
                .extracting(three::shardOf).containsExactly(1, 0, 2, 0, 1);
    }

    @Test
    void addingAShardMovesAboutOneNthOfTheKeysAndOnlyToTheNewShard() {
        ShardRing two = new ShardRing(List.of("s1", "s2"));
        ShardRing three = new ShardRing(List.of("s1", "s2", "s3"));
        int moved = 0;
        for (int i = 0; i < 10_000; i++) {
            String key = "db\nm" + i;
            int before = two.shardOf(key);
            int after = three.shardOf(key);
            if (before != after) {
                moved++;
                assertThat(after).as("a moved key goes to the new shard").isEqualTo(2);
            }
        }
        assertThat(moved).isBetween(10_000 / 3 * 80 / 100, 10_000 / 3 * 120 / 100);
    }

    @Test
    void oneShardTakesEverything() {
        assertThat(spread(new ShardRing(List.of("only")), 1, 100)).containsExactly(100);
    }
}
