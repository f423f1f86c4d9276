package io.influxrelay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The temp directories the tests make for servers and relays. */
public final class TempDirs {
    private TempDirs() {
    }

    /** Deletes the directory and all it holds, deepest first; a leftover temp dir is harmless. */
    public static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
