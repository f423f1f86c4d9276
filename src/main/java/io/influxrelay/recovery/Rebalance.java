package io.influxrelay.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.influxrelay.config.BackendConfig;
import io.influxrelay.health.BackendHealth;
import io.influxrelay.health.BackendStates;
import io.influxrelay.sharding.ShardLayout;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Moving keys to shards that were added (bean methods for routes/rebalance.yaml). While the relays run
 * with relay.shards.previous, a key whose shard changed is written to its old and its new shard and
 * read from the old one, which holds it whole. The rebalance lists those keys on the old shards, copies
 * each (every retention policy, its whole time range) to every replica of its new shard with the resync
 * machinery, and checks each copy; then the operator drops relay.shards.previous (reads move), and the
 * finish deletes the moved keys from their old shards. Progress lives in {@link RebalanceState}.
 */
public final class Rebalance {
    private static final Logger LOG = LoggerFactory.getLogger(Rebalance.class);
    private static final int CHECK_ATTEMPTS = 5;

    private final ShardLayout layout;
    private final BackendStates states;
    private final InfluxHttp http;
    private final InfluxSchema schema;
    private final RebalanceState state;
    private final RecoveryJobs jobs;
    private ProducerTemplate producer;

    public Rebalance(ShardLayout layout, BackendStates states, InfluxHttp http, RebalanceState state, RecoveryJobs jobs) {
        this.layout = layout;
        this.states = states;
        this.http = http;
        this.schema = new InfluxSchema(http);
        this.state = state;
        this.jobs = jobs;
    }

    public void connect(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** The keys to move (planned now, or the rest of an interrupted plan); the body: those still to copy. */
    public void plan(Exchange exchange) {
        RebalanceJob job = job(exchange);
        job.started();
        if (!layout.rebalancing()) {
            throw new RecoveryException("no rebalance under way: relay.shards.previous must name the shards as they were "
                    + "before the new ones were added (README, \"Sharding\")");
        }
        List<RebalanceMove> planned = new ArrayList<>();
        Map<String, RebalanceMove> before = state.load().stream().collect(Collectors.toMap(m -> m.db() + "\n" + m.measurement(),
                Function.identity(), (a, b) -> a));
        for (int shard : layout.wholeShards()) {
            BackendConfig source = upReplica(shard);
            for (String db : databases(source)) {
                for (String measurement : schema.measurements(source, db)) {
                    int to = layout.shardOf(db, measurement, null);
                    if (to == shard) {
                        continue;
                    }
                    RebalanceMove earlier = before.get(db + "\n" + measurement);
                    planned.add(earlier != null && !earlier.state().equals(RebalanceMove.PENDING) && !job.dryRun() ? earlier
                            : new RebalanceMove(db, measurement, layout.name(shard), layout.name(to),
                            points(source, db, measurement), RebalanceMove.PENDING));
                }
            }
        }
        job.moves(planned);
        List<RebalanceMove> pending = planned.stream().filter(m -> m.state().equals(RebalanceMove.PENDING)).toList();
        job.planned(job.dryRun() ? 0 : pending.size());
        if (!job.dryRun()) {
            state.save(planned);
            LOG.warn("rebalance {}: {} keys move to the new shards ({} already copied), {} points", job.id(), planned.size(),
                    planned.size() - pending.size(), pending.stream().mapToLong(RebalanceMove::points).sum());
        }
        exchange.getIn().setBody(job.dryRun() ? List.of() : pending);
    }

    /** Copies one key to every replica of its new shard and checks each copy; then it is marked copied. */
    public void copy(Exchange exchange) {
        RebalanceJob job = job(exchange);
        job.throwIfCancelled();
        RebalanceMove move = exchange.getIn().getBody(RebalanceMove.class);
        long started = System.nanoTime();
        BackendConfig source = upReplica(shardIndex(move.fromShard()));
        long copied = 0;
        for (RetentionPolicy rp : schema.retentionPolicies(source, move.db())) {
            RangeSpec range = timeRange(source, move.db(), rp.name(), move.measurement());
            if (range == null) {
                continue;
            }
            for (BackendConfig target : layout.backends(shardIndex(move.toShard()))) {
                ResyncJob resync = run(new ResyncJob(jobs.nextId("resync"), source, target, range));
                copied += resync.points();
                checked(source, target, range);
            }
        }
        RebalanceMove done = move.with(RebalanceMove.COPIED);
        state.update(done);
        job.moves(job.moves().stream().map(m -> m.sameKey(done) ? done : m).toList());
        job.pointsDone(copied);
        job.stepDone();
        LOG.warn("rebalance {}: {}.{} copied from shard {} to shard {} ({} points written, {} s)", job.id(), move.db(),
                move.measurement(), move.fromShard(), move.toShard(), copied,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9));
    }

    /** The finish: the copied keys, to delete from their old shards. Reads must have moved already. */
    public void finishPlan(Exchange exchange) {
        RebalanceJob job = job(exchange);
        job.started();
        if (layout.rebalancing()) {
            throw new RecoveryException("reads still go to the old shards: remove relay.shards.previous from every relay "
                    + "(and restart them) before the moved keys are deleted from the old shards");
        }
        List<RebalanceMove> moves = state.load();
        long pending = moves.stream().filter(m -> m.state().equals(RebalanceMove.PENDING)).count();
        if (pending > 0) {
            throw new RecoveryException(pending + " keys are not copied yet: run the rebalance to its end first");
        }
        job.moves(moves);
        List<RebalanceMove> copied = moves.stream().filter(m -> m.state().equals(RebalanceMove.COPIED)).toList();
        job.planned(copied.size());
        exchange.getIn().setBody(copied);
    }

    /** Deletes one moved key from every replica of its old shard. */
    public void drop(Exchange exchange) {
        RebalanceJob job = job(exchange);
        job.throwIfCancelled();
        RebalanceMove move = exchange.getIn().getBody(RebalanceMove.class);
        for (BackendConfig backend : layout.backends(shardIndex(move.fromShard()))) {
            http.statement(backend, move.db(), "DROP MEASUREMENT " + InfluxQl.ident(move.measurement()));
        }
        RebalanceMove done = move.with(RebalanceMove.DROPPED);
        state.update(done);
        job.moves(job.moves().stream().map(m -> m.sameKey(done) ? done : m).toList());
        job.stepDone();
        LOG.warn("rebalance {}: {}.{} deleted from shard {}", job.id(), move.db(), move.measurement(), move.fromShard());
    }

    private ResyncJob run(ResyncJob resync) {
        jobs.track(resync);
        producer.send("direct:resync", e -> e.setProperty(RecoveryJob.PROPERTY, resync));
        if (resync.state() != RecoveryJob.State.DONE) {
            throw new RecoveryException("copy of " + resync.spec().measurements() + " to " + resync.to().name() + " failed: " + resync.error());
        }
        return resync;
    }

    /** A check of the copy; writes go to both shards meanwhile, so a difference is looked at again before it counts. */
    private void checked(BackendConfig source, BackendConfig target, RangeSpec range) {
        for (int attempt = 1; ; attempt++) {
            CheckJob check = new CheckJob(jobs.nextId("check"), source, target, range, Duration.ofDays(7));
            jobs.track(check);
            producer.send("direct:check", e -> e.setProperty(RecoveryJob.PROPERTY, check));
            if (check.state() == RecoveryJob.State.DONE && check.agrees()) {
                return;
            }
            if (attempt == CHECK_ATTEMPTS) {
                throw new RecoveryException("the copy of " + range.measurements() + " on " + target.name() + " differs from "
                        + source.name() + (check.error() != null ? ": " + check.error() : " in " + check.differencesFound() + " windows"));
            }
            sleep(1000);
        }
    }

    /** The measurement's whole time range in one retention policy, or null when it holds no point there. */
    private RangeSpec timeRange(BackendConfig source, String db, String rp, String measurement) {
        String from = InfluxQl.ident(db) + "." + InfluxQl.ident(rp) + "." + InfluxQl.ident(measurement);
        JsonNode first = http.statement(source, db, "SELECT * FROM " + from + " ORDER BY time ASC LIMIT 1");
        JsonNode last = http.statement(source, db, "SELECT * FROM " + from + " ORDER BY time DESC LIMIT 1");
        String start = first.path("series").path(0).path("values").path(0).path(0).asText(null);
        String end = last.path("series").path(0).path("values").path(0).path(0).asText(null);
        if (start == null || end == null) {
            return null;
        }
        return new RangeSpec(db, rp, nanos(start), nanos(end) + 1, List.of(measurement));
    }

    private long points(BackendConfig source, String db, String measurement) {
        long total = 0;
        for (RetentionPolicy rp : schema.retentionPolicies(source, db)) {
            JsonNode counts = http.statement(source, db, "SELECT count(*) FROM " + InfluxQl.ident(db) + "."
                    + InfluxQl.ident(rp.name()) + "." + InfluxQl.ident(measurement)).path("series").path(0).path("values").path(0);
            long most = 0;
            for (int i = 1; i < counts.size(); i++) {
                most = Math.max(most, counts.path(i).asLong());
            }
            total += most;
        }
        return total;
    }

    private List<String> databases(BackendConfig source) {
        List<String> dbs = new ArrayList<>();
        for (JsonNode row : http.statement(source, null, "SHOW DATABASES").path("series").path(0).path("values")) {
            if (!row.path(0).asText().equals("_internal")) {
                dbs.add(row.path(0).asText());
            }
        }
        return dbs;
    }

    private BackendConfig upReplica(int shard) {
        for (BackendConfig b : layout.backends(shard)) {
            if (states.of(b.name()).state() == BackendHealth.State.UP) {
                return b;
            }
        }
        throw new RecoveryException("no replica of shard " + layout.name(shard) + " is up with all its data");
    }

    private int shardIndex(String name) {
        for (int i = 0; i < layout.size(); i++) {
            if (layout.name(i).equals(name)) {
                return i;
            }
        }
        throw new RecoveryException("shard " + name + " of the rebalance plan is not configured");
    }

    private static long nanos(String rfc3339) {
        Instant t = Instant.parse(rfc3339);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static RebalanceJob job(Exchange exchange) {
        return exchange.getProperty(RecoveryJob.PROPERTY, RebalanceJob.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecoveryException("interrupted");
        }
    }
}
