package io.influxrelay.buffer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskEntryTest {
    private static final byte[] LINES = "m v=1 1\n".getBytes(StandardCharsets.UTF_8);

    /** A record as a relay before remote writes wrote it (version 1: the kind byte was a boolean). */
    private static byte[] versionOne(boolean statements) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeBoolean(statements);
            out.writeLong(System.currentTimeMillis());
            byte[] q = "db=x".getBytes(StandardCharsets.UTF_8);
            out.writeInt(q.length);
            out.write(q);
            out.writeInt(-1);
            out.writeInt(LINES.length);
            out.write(LINES);
        }
        return bytes.toByteArray();
    }

    @Test
    void recordsOfVersionOneStillRead() throws IOException {
        BufferedWrite lines = DiskEntry.decode(1, versionOne(false)).write();
        assertThat(lines.kind()).isEqualTo(BufferedWrite.Kind.LINES);
        assertThat(lines.payload()).isEqualTo(LINES);
        assertThat(lines.query()).isEqualTo("db=x");
        assertThat(lines.authorization()).isNull();
        assertThat(DiskEntry.decode(2, versionOne(true)).write().kind()).isEqualTo(BufferedWrite.Kind.STATEMENTS);
    }

    @Test
    void linesAndStatementsAreStillWrittenAsVersionOneForARelayOfBefore() throws IOException {
        byte[] record = DiskEntry.encode(new BufferedWrite("db=x", null, LINES, System.nanoTime()), System.currentTimeMillis());
        assertThat(record[0]).isEqualTo((byte) 1);
        assertThat(record[1]).isEqualTo((byte) 0);
        byte[] statements = DiskEntry.encode(new BufferedWrite("q=x", null, new byte[0], 0, BufferedWrite.Kind.STATEMENTS), 0);
        assertThat(statements[0]).isEqualTo((byte) 1);
        assertThat(statements[1]).isEqualTo((byte) 1);
    }

    @Test
    void aRemoteWriteRoundTripsAsVersionTwo() throws IOException {
        byte[] snappy = {(byte) 0x03, 0x08, 0x01, 0x02, (byte) 0xff};
        BufferedWrite w = new BufferedWrite("db=prom&u=me&p=pw", "Basic eA==", snappy, System.nanoTime(), BufferedWrite.Kind.PROMETHEUS);
        byte[] record = DiskEntry.encode(w, System.currentTimeMillis());
        assertThat(record[0]).isEqualTo((byte) 2);
        BufferedWrite back = DiskEntry.decode(7, record).write();
        assertThat(back.kind()).isEqualTo(BufferedWrite.Kind.PROMETHEUS);
        assertThat(back.payload()).isEqualTo(snappy);
        assertThat(back.query()).isEqualTo(w.query());
        assertThat(back.authorization()).isEqualTo(w.authorization());
    }

    @Test
    void anUnknownKindIsAMalformedRecordNotACrash() throws IOException {
        byte[] record = versionOne(false);
        record[1] = 2; // version 1 knew no third kind
        assertThatThrownBy(() -> DiskEntry.decode(1, record)).isInstanceOf(IOException.class);
        record[0] = 2;
        record[1] = 9;
        assertThatThrownBy(() -> DiskEntry.decode(1, record)).isInstanceOf(IOException.class);
    }

    @Test
    void remoteWritesNeverMergeWithEachOtherNorWithLines() {
        BufferedWrite a = new BufferedWrite("db=x", null, new byte[1], 0, BufferedWrite.Kind.PROMETHEUS);
        BufferedWrite b = new BufferedWrite("db=x", null, new byte[1], 0, BufferedWrite.Kind.PROMETHEUS);
        BufferedWrite lines = new BufferedWrite("db=x", null, LINES, 0);
        assertThat(a.mergesWith(b)).isFalse();
        assertThat(lines.mergesWith(a)).isFalse();
        assertThat(a.mergesWith(lines)).isFalse();
        assertThat(lines.mergesWith(new BufferedWrite("db=x", null, LINES, 0))).isTrue();
    }
}
