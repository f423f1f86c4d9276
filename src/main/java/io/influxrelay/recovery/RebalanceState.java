package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The rebalance's plan and progress, in a file beside the ledger (data/rebalance.json), rewritten whole
 * and atomically after each key: a rebalance interrupted by a restart resumes with the keys not yet
 * copied, and the finish knows which keys to delete from which old shard after reads have moved.
 */
public final class RebalanceState {
    private final Path file;

    public RebalanceState(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public synchronized List<RebalanceMove> load() {
        try {
            JsonNode root = LedgerJson.MAPPER.readTree(Files.readAllBytes(file));
            List<RebalanceMove> moves = new ArrayList<>();
            for (JsonNode m : root.path("moves")) {
                moves.add(new RebalanceMove(m.path("db").asText(), m.path("measurement").asText(), m.path("from").asText(),
                        m.path("to").asText(), m.path("points").asLong(), m.path("state").asText()));
            }
            return moves;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rebalance state " + file, e);
        }
    }

    public synchronized void save(List<RebalanceMove> moves) {
        ObjectNode root = LedgerJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("moves");
        for (RebalanceMove m : moves) {
            list.addObject().put("db", m.db()).put("measurement", m.measurement()).put("from", m.fromShard())
                    .put("to", m.toShard()).put("points", m.points()).put("state", m.state());
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, LedgerJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rebalance state " + file, e);
        }
    }

    /** Records one key's new state. */
    synchronized void update(RebalanceMove moved) {
        List<RebalanceMove> moves = new ArrayList<>(load());
        moves.replaceAll(m -> m.sameKey(moved) ? moved : m);
        save(moves);
    }
}
