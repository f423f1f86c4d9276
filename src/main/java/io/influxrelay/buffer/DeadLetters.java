package io.influxrelay.buffer;

import io.influxrelay.log.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a write goes that a backend keeps refusing: one file per write under
 * {@code <dir>/<backend>/}, holding its line protocol after a comment header with the query string
 * (db, rp, precision; credentials removed), so an operator can inspect it and replay it by hand:
 * {@code curl -XPOST "http://influxdb:8086/write?<query>" --data-binary @<file>}. Statements (InfluxQL
 * for /query, which may hold a password) are files too, marked with their path; every dead letter is
 * readable by the relay's user only. A Prometheus remote write is binary (snappy): its file {@code .prom}
 * holds the body byte for byte and the header stands beside it in {@code .prom.txt}.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final AtomicLong SEQ = new AtomicLong();

    private final Path dir;

    public DeadLetters(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Writes the file; returns it, or null (logged) when it could not be written. */
    Path write(String backend, BufferedWrite write, String reason) {
        String query = withoutCredentials(write.query());
        boolean binary = write.kind() == BufferedWrite.Kind.PROMETHEUS;
        String name = Instant.now().toString().replace(':', '-') + "-" + SEQ.incrementAndGet() + (binary ? ".prom" : ".lp");
        try {
            Path folder = Files.createDirectories(dir.resolve(backend));
            Path file = folder.resolve(name);
            String header = "# backend: " + backend + (write.kind() != BufferedWrite.Kind.LINES ? "\n# path: " + write.kind().path() : "")
                    + "\n# query: " + query + "\n# reason: " + reason.replace('\n', ' ') + "\n";
            if (binary) {
                // a snappy block cannot carry a comment: the body byte for byte, the header beside it
                Files.writeString(ownerOnly(folder.resolve(name + ".txt")), header);
                Files.write(ownerOnly(file), write.payload());
                return file;
            }
            byte[] head = header.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + write.payload().length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(write.payload(), 0, all, head.length, write.payload().length);
            Files.write(ownerOnly(file), all);
            return file;
        } catch (IOException e) {
            LOG.error("a write for backend {} ({}) could not be saved as a dead letter ({}): {} bytes for {} lost",
                    backend, LogText.escape(reason), e.getMessage(), write.payload().length, LogText.escape(query));
            return null;
        }
    }

    /** The file, created readable by its owner only before anything is in it. */
    private static Path ownerOnly(Path file) throws IOException {
        try {
            return Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return file; // not a POSIX file system: its own defaults apply
        }
    }

    /** u and p are credentials: they stay out of files an operator may pass around. */
    static String withoutCredentials(String query) {
        StringBuilder b = new StringBuilder();
        for (String pair : query.split("&")) {
            if (pair.isEmpty() || pair.startsWith("u=") || pair.startsWith("p=")) {
                continue;
            }
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(pair);
        }
        return b.toString();
    }
}
