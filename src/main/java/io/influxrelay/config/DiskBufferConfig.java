package io.influxrelay.config;

import java.time.Duration;
import java.util.Locale;

/**
 * A retry buffer kept on disk (relay.buffer.store=disk): it survives a crash of the relay and holds
 * more than memory would.
 *
 * @param dir           the backend's own directory (relative paths resolve against the relay's home)
 * @param capacityBytes most bytes of writes it holds (relay.buffer.disk-size-mb)
 * @param maxAge        writes older than this are dropped, counted and recorded as missing
 * @param fsync         when the queue's log is forced to the device
 * @param fsyncInterval how often under {@link Fsync#INTERVAL}
 */
public record DiskBufferConfig(String dir, long capacityBytes, Duration maxAge, Fsync fsync, Duration fsyncInterval) {

    /** What a power loss can take from the queue; a crash of the relay alone takes nothing in any mode. */
    public enum Fsync {
        /** every write forced to the device before it counts as queued: a power loss loses nothing queued */
        ALWAYS,
        /** forced every fsync-interval: a power loss loses at most the last interval */
        INTERVAL,
        /** left to the operating system's write-back (about 30 s on Linux) */
        NEVER;

        static Fsync parse(String key, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, "'" + value + "' is not always, interval or never");
            }
        }
    }
}
