package io.influxrelay.buffer;

/**
 * Where a write that a backend misses for good is reported: its buffer was full or absent, the backend
 * refused it into the dead-letter directory, or the relay stopped before replaying it. The relay's
 * missing-data ledger records it for repair.
 */
@FunctionalInterface
public interface LostWrites {
    LostWrites NONE = (backend, write, reason) -> { };

    void lost(String backend, BufferedWrite write, String reason);
}
