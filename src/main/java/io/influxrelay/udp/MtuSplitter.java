package io.influxrelay.udp;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts '\n'-terminated lines into datagrams of at most {@code mtu} bytes, at line boundaries. A line
 * longer than the MTU goes alone, whole: the original relay dropped the rest of the payload there.
 */
final class MtuSplitter {
    private MtuSplitter() {
    }

    /** Each element is {offset, length} into {@code lines}. */
    static List<int[]> split(byte[] lines, int offset, int length, int mtu) {
        List<int[]> datagrams = new ArrayList<>();
        int end = offset + length;
        int start = offset;
        int cut = offset; // end of the last whole line that fits in the datagram being built
        int i = offset;
        while (i < end) {
            int nl = i;
            while (nl < end && lines[nl] != '\n') {
                nl++;
            }
            int lineEnd = Math.min(nl + 1, end);
            if (lineEnd - start > mtu && cut > start) {
                datagrams.add(new int[] {start, cut - start});
                start = cut;
            }
            if (lineEnd - start > mtu) { // a single line over the MTU: alone
                datagrams.add(new int[] {start, lineEnd - start});
                start = lineEnd;
            }
            cut = lineEnd;
            i = lineEnd;
        }
        if (cut > start) {
            datagrams.add(new int[] {start, cut - start});
        }
        return datagrams;
    }
}
