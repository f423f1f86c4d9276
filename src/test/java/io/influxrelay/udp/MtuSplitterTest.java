package io.influxrelay.udp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MtuSplitterTest {

    private static List<String> split(String lines, int mtu) {
        byte[] b = lines.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (int[] d : MtuSplitter.split(b, 0, b.length, mtu)) {
            out.add(new String(b, d[0], d[1], StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void linesAreKeptWholeAndALongLineGoesAlone() {
        assertThat(split("aa\nbb\ncc\n", 6)).containsExactly("aa\nbb\n", "cc\n");
        assertThat(split("aa\n" + "x".repeat(10) + "\nbb\n", 6)).containsExactly("aa\n", "x".repeat(10) + "\n", "bb\n");
        assertThat(split("", 6)).isEmpty();
    }

    @Property
    void everyLineArrivesOnceInOrderAndOnlyLongLinesExceedTheMtu(
            @ForAll @Size(max = 40) List<@StringLength(min = 1, max = 30) String> words,
            @ForAll @IntRange(min = 8, max = 64) int mtu) {
        List<String> lines = words.stream().map(w -> w.replace('\n', '_') + "\n").toList();
        String body = String.join("", lines);
        List<String> datagrams = split(body, mtu);
        assertThat(String.join("", datagrams)).isEqualTo(body);
        for (String d : datagrams) {
            assertThat(d).endsWith("\n");
            int bytes = d.getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes <= mtu || d.indexOf('\n') == d.length() - 1).as("%s over %d", d, mtu).isTrue();
        }
    }
}
