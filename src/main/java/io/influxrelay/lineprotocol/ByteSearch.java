package io.influxrelay.lineprotocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds the bytes that decide where a line ends, eight at a time (SWAR), since that runs over every byte. */
final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = ONES * '\n';
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';

    private ByteSearch() {
    }

    /** The index of the first '\n', '"' or '\\' in b[from, to), or {@code to}. */
    static int newlineQuoteOrBackslash(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long word = (long) LONGS.get(b, i);
            long found = zeroBytes(word ^ NEWLINES) | zeroBytes(word ^ QUOTES) | zeroBytes(word ^ BACKSLASHES);
            if (found != 0) {
                // the lowest flagged byte is exact; only bytes above a true zero can be flagged falsely
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '"' || c == '\\') {
                return i;
            }
        }
        return to;
    }

    /** Whether b[i, i+8) are all ASCII digits; the caller guarantees eight bytes are there. */
    static boolean eightDigits(byte[] b, int i) {
        long word = (long) LONGS.get(b, i);
        // each byte is 0x30..0x39: high nibble 3, and adding 6 does not carry out of the low nibble
        return (word & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L
                && ((word + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) == 0x3030303030303030L;
    }

    /**
     * The value of the eight ASCII digits b[i, i+8), which {@link #eightDigits} accepted: subtract '0' from
     * each byte, then join neighbours into pairs, pairs into fours, fours into eight, with three multiplies
     * (Lemire, "Fast parsing of 8-digit integers"; the first digit is the lowest byte of the word).
     */
    static long eightDigitValue(byte[] b, int i) {
        long val = (long) LONGS.get(b, i) - 0x3030303030303030L;
        val = val * 10 + (val >>> 8);
        return (((val & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((val >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
    }

    /** A high bit in each byte of x that is zero (exact for the lowest such byte). */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }
}
