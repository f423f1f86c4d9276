package io.influxrelay.recovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The ledger's file. Each change is written whole to a temporary file and moved over the old one, so a
 * crash leaves the old or the new ledger, never half of one. Saving runs on a thread of its own and
 * coalesces: while writes are being lost by the thousand (a full buffer), the file is written once per
 * turn with the latest ledger, not once per write.
 */
public final class LedgerFile {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerFile.class);

    private final Path path;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "missing-data-ledger");
        t.setDaemon(true);
        return t;
    });
    private Map<String, List<MissingRange>> pending;

    public LedgerFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The ledger the file holds; empty when there is none yet. A damaged file stops the relay's start. */
    Map<String, List<MissingRange>> load() {
        try {
            return LedgerJson.fromFile(LedgerJson.MAPPER.readTree(Files.readAllBytes(path)));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the missing-data ledger " + path + ": " + e.getMessage()
                    + " (repair or move it away; it lists what each backend misses)", e);
        }
    }

    /** Saves the ledger soon; the latest one given wins. */
    synchronized void save(Map<String, List<MissingRange>> ledger) {
        boolean queued = pending != null;
        pending = ledger;
        if (!queued) {
            if (writer.isShutdown()) {
                writePending(); // stopping: what is lost now is saved at once
            } else {
                writer.execute(this::writePending);
            }
        }
    }

    /** Writes what is pending now, and stops the writer thread: the relay is stopping. */
    void flush() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writePending();
    }

    private void writePending() {
        Map<String, List<MissingRange>> ledger;
        synchronized (this) {
            ledger = pending;
            pending = null;
        }
        if (ledger == null) {
            return;
        }
        synchronized (path) { // the writer thread, or the stopping relay after it ended: never both at once
            write(ledger);
        }
    }

    private void write(Map<String, List<MissingRange>> ledger) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.write(tmp, LedgerJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(LedgerJson.fileDocument(ledger)));
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            LOG.error("cannot write the missing-data ledger {}: {}", path, e.toString());
        }
    }
}
