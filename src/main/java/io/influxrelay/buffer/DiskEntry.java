package io.influxrelay.buffer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A buffered write as one record of the disk queue: what it needs to be replayed after a restart (the
 * query string, the credentials, the lines) and when it was queued, as wall-clock time since the
 * process's own clock does not survive it. Credentials are stored as the client sent them, in a
 * directory only the relay's user can read.
 *
 * Layout: version byte, kind byte, queued time, query, authorization, payload. Version 1 wrote the kind
 * byte as a boolean (0 lines, 1 statements); version 2 adds 2, a Prometheus remote write. Lines and
 * statements are still written as version 1, so a queue holding no remote write stays readable by a
 * relay of before version 2 (a downgrade); a version 1 record reads as it always did.
 */
record DiskEntry(long seq, long queuedMillis, int size, BufferedWrite write) {
    private static final byte VERSION_1 = 1;
    private static final byte VERSION_2 = 2;
    /** Kind codes, by their byte: index = code. Never reorder; only append (with a new version). */
    private static final BufferedWrite.Kind[] KINDS = {
            BufferedWrite.Kind.LINES, BufferedWrite.Kind.STATEMENTS, BufferedWrite.Kind.PROMETHEUS};

    static byte[] encode(BufferedWrite w, long queuedMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(w.payload().length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int kind = java.util.Arrays.asList(KINDS).indexOf(w.kind());
            out.writeByte(kind <= 1 ? VERSION_1 : VERSION_2);
            out.writeByte(kind);
            out.writeLong(queuedMillis);
            writeText(out, w.query());
            writeText(out, w.authorization());
            out.writeInt(w.payload().length);
            out.write(w.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** The record read back; its enqueue time is mapped onto this process's clock. */
    static DiskEntry decode(long seq, byte[] value) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
            byte version = in.readByte();
            if (version != VERSION_1 && version != VERSION_2) {
                throw new IOException("unknown record version " + version);
            }
            int code = in.readUnsignedByte();
            if (code >= (version == VERSION_1 ? 2 : KINDS.length)) {
                throw new IOException("unknown write kind " + code + " in a version " + version + " record");
            }
            BufferedWrite.Kind kind = KINDS[code];
            long queuedMillis = in.readLong();
            String query = readText(in);
            String authorization = readText(in);
            byte[] payload = exactly(in, in.readInt());
            long ageNanos = Math.max(0, System.currentTimeMillis() - queuedMillis) * 1_000_000L;
            return new DiskEntry(seq, queuedMillis, value.length,
                    new BufferedWrite(query, authorization, payload, System.nanoTime() - ageNanos, kind));
        } catch (RuntimeException e) {
            throw new IOException("malformed record: " + e, e);
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readText(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : new String(exactly(in, n), StandardCharsets.UTF_8);
    }

    private static byte[] exactly(DataInputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated record");
        }
        return b;
    }

    @Override
    public String toString() { // credentials and lines stay out of logs
        return "DiskEntry[" + seq + ", " + size + " bytes]";
    }
}
