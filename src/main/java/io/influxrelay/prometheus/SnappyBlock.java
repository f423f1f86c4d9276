package io.influxrelay.prometheus;

import org.xerial.snappy.Snappy;

import java.io.IOException;

/**
 * The body of Prometheus' remote write and read: one snappy block (the block format, not the framed
 * stream). Its uncompressed length stands in its first bytes, so a body that would grow past the
 * relay's bound is refused before it is uncompressed.
 */
final class SnappyBlock {
    private SnappyBlock() {
    }

    static byte[] uncompress(byte[] body, long maxBytes) throws BadRemoteBody {
        try {
            int length = Snappy.uncompressedLength(body);
            if (length < 0 || length > maxBytes) {
                throw new BadRemoteBody(413, "request entity too large");
            }
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new BadRemoteBody(400, "snappy: corrupt input");
            }
            return Snappy.uncompress(body);
        } catch (IOException | RuntimeException e) { // snappy-java reports a corrupt block either way
            throw new BadRemoteBody(400, "snappy: corrupt input");
        }
    }

    static byte[] compress(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // compressing an array does not fail
        }
    }
}
