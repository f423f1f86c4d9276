package io.influxrelay.buffer;

import io.influxrelay.config.DiskBufferConfig;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The RocksDB database under one backend's disk buffer: records keyed by sequence number (8 bytes,
 * big-endian, so in order). RocksDB writes each record to its write-ahead log before the put returns
 * (forced to the device on every put under fsync=always) and, opening after a crash, replays that log
 * skipping any record a crash tore (WAL recovery mode SkipAnyCorruptedRecords); its own report of what it
 * skipped reaches the relay's log. A database it cannot open at all is moved aside, never a reason not to start.
 */
final class DiskLog {
    private static final Logger LOG = LoggerFactory.getLogger(DiskLog.class);
    private static final long MB = 1 << 20;

    /** What the database held when opened, and whether the relay closed it the last time (else it crashed or was killed). */
    record Contents(long firstSeq, long lastSeq, int entries, long bytes, boolean closedCleanly) {
    }

    /** Written by a clean close, deleted at open: sorts before every record's 8-byte key, so no seek meets it. */
    private static final byte[] CLOSED = {0};

    record Record(long seq, byte[] value) {
    }

    private final String backend;
    private final Path dir;
    private final DiskBufferConfig config;
    private Options options;
    private org.rocksdb.Logger rocksLog;
    private LRUCache cache;
    private WriteOptions appendOptions;
    private WriteOptions deleteOptions;
    private RocksDB db;

    DiskLog(String backend, Path dir, DiskBufferConfig config) {
        this.backend = backend;
        this.dir = dir;
        this.config = config;
    }

    Path dir() {
        return dir;
    }

    boolean isOpen() {
        return db != null;
    }

    Contents open() throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        Files.createDirectories(dir);
        try { // the records hold the clients' credentials
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        if (options == null) {
            configure();
        }
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            if (e.getStatus() == null || e.getStatus().getCode() != Status.Code.Corruption) {
                throw e;
            }
            Path aside = dir.resolveSibling(dir.getFileName() + ".damaged-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            Files.move(dir, aside);
            LOG.error("retry buffer of backend {} on disk: {} cannot be opened ({}): moved to {} and started empty; "
                    + "the writes it held are not replayed", backend, dir, describe(e), aside);
            Files.createDirectories(dir);
            db = RocksDB.open(options, dir.toString());
        }
        boolean clean = db.get(CLOSED) != null;
        if (clean) {
            db.delete(CLOSED);
        }
        return contents(clean);
    }

    private void configure() {
        long memtable = Math.max(MB, Math.min(16 * MB, config.capacityBytes() / 8));
        rocksLog = new org.rocksdb.Logger(InfoLogLevel.WARN_LEVEL) {
            @Override
            protected void log(InfoLogLevel level, String message) { // e.g. a record torn by a crash, skipped
                LOG.warn("retry buffer of backend {} on disk (RocksDB): {}", backend, message.trim());
            }
        };
        cache = new LRUCache(4 * MB);
        options = new Options()
                .setCreateIfMissing(true)
                .setWalRecoveryMode(WALRecoveryMode.SkipAnyCorruptedRecords)
                .setWriteBufferSize(memtable)
                .setMaxWriteBufferNumber(2)
                .setMaxTotalWalSize(4 * memtable)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setStatsDumpPeriodSec(0)
                .setLogger(rocksLog)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        appendOptions = new WriteOptions().setSync(config.fsync() == DiskBufferConfig.Fsync.ALWAYS);
        deleteOptions = new WriteOptions(); // a delete lost at a power cut only means a write replayed twice
    }

    private Contents contents(boolean closedCleanly) throws RocksDBException {
        long first = -1;
        long last = -1;
        int entries = 0;
        long bytes = 0;
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(key(0)); it.isValid(); it.next()) {
                long seq = seq(it.key());
                first = first < 0 ? seq : first;
                last = seq;
                entries++;
                bytes += it.value().length;
            }
            it.status();
        }
        return new Contents(Math.max(first, 0), last, entries, bytes, closedCleanly);
    }

    void append(long seq, byte[] value) throws RocksDBException {
        db.put(appendOptions, key(seq), value);
    }

    /** The first record at or after {@code seq}, or null. */
    Record first(long seq) throws RocksDBException {
        try (RocksIterator it = db.newIterator()) {
            it.seek(key(seq));
            if (!it.isValid()) {
                it.status();
                return null;
            }
            return new Record(seq(it.key()), it.value());
        }
    }

    void delete(List<Long> seqs) throws RocksDBException {
        if (seqs.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (long seq : seqs) {
                batch.delete(key(seq));
            }
            db.write(deleteOptions, batch);
        }
    }

    void sync() throws RocksDBException {
        db.syncWal();
    }

    void close() {
        if (db != null) {
            try (WriteOptions sync = new WriteOptions().setSync(true)) {
                db.put(sync, CLOSED, new byte[0]);
            } catch (RocksDBException e) {
                LOG.warn("retry buffer of backend {} on disk: could not mark it closed ({})", backend, describe(e));
            }
            db.close();
            db = null;
        }
    }

    static byte[] key(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    static long seq(byte[] key) {
        return ByteBuffer.wrap(key).getLong();
    }

    /** An error as an operator reads it. */
    static String describe(Exception e) {
        if (e instanceof RocksDBException r && r.getStatus() != null) {
            return r.getStatus().getCodeString() + (r.getMessage() == null ? "" : ": " + r.getMessage());
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return "a file stands where a directory should be (" + f.getFile() + ")";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied (" + a.getFile() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
