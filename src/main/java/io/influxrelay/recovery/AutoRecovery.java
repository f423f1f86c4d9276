package io.influxrelay.recovery;

import io.influxrelay.config.BackendConfig;
import io.influxrelay.health.BackendHealth;
import io.influxrelay.health.BackendStates;
import io.influxrelay.metrics.ThrottledLog;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Automatic recovery, the seed's manual procedure without an operator: a backend that misses data for
 * good (ledger ranges) and is otherwise caught up (it answers, its buffer drained) gets each range
 * resynced from a healthy backend of the set, checked, and closed; once none is left it is up and back
 * in reads. Writes keep going to it throughout. Bean methods for the route auto-recovery
 * (routes/recovery.yaml), which runs them one range at a time.
 */
public final class AutoRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(AutoRecovery.class);
    private static final ThrottledLog WAITING = new ThrottledLog(LOG, 60, TimeUnit.SECONDS);
    static final String REPAIR = "relay.recovery.repair";

    /** One ledger range to repair, and the healthy backend it is copied from. */
    public record Repair(BackendConfig target, BackendConfig source, MissingRange range) {
    }

    private final BackendStates states;
    private final MissingData ledger;
    private final RecoveryJobs jobs;
    private final Duration checkWindow;
    private final java.util.function.Function<String, List<String>> replicasOf;
    private final java.util.Set<MissingRange> inRepair = new java.util.HashSet<>();

    /** @param replicasOf a backend's replica set (its shard's backends, itself included) */
    public AutoRecovery(BackendStates states, MissingData ledger, RecoveryJobs jobs, Duration checkWindow,
                        java.util.function.Function<String, List<String>> replicasOf) {
        this.replicasOf = replicasOf;
        this.states = states;
        this.ledger = ledger;
        this.jobs = jobs;
        this.checkWindow = checkWindow;
    }

    /** The ranges ready for repair now: of backends that answer and owe nothing, with a healthy source. */
    public List<Repair> ready() {
        List<Repair> ready = new ArrayList<>();
        for (BackendHealth target : states.all()) {
            ready.addAll(readyFor(target).repairs());
        }
        return claim(ready);
    }

    /** Why a backend's ranges cannot be repaired now (null when they can), and those that can. */
    record Readiness(String why, List<Repair> repairs) {
    }

    /** For an operator's "recover now": the backend's ranges, claimed, or why none can be repaired. */
    public Readiness now(String backend) {
        BackendHealth target = states.of(backend);
        Readiness r = readyFor(target);
        return r.why() != null ? r : new Readiness(null, claim(r.repairs()));
    }

    private Readiness readyFor(BackendHealth target) {
        switch (target.state()) {
            case UP:
                return new Readiness("backend " + target.name() + " misses nothing", List.of());
            case DOWN:
                return new Readiness("backend " + target.name() + " does not answer", List.of());
            case DRAINING:
                return new Readiness("backend " + target.name() + " is still being sent its retry buffer", List.of());
            default:
                break;
        }
        // a replica of the same set (shard): it holds exactly the keys the target should
        List<String> replicas = replicasOf.apply(target.name());
        Optional<BackendHealth> source = states.all().stream().filter(h -> h.state() == BackendHealth.State.UP)
                .filter(h -> replicas.contains(h.name())).findFirst();
        if (source.isEmpty()) {
            WAITING.warn("backend {} misses data for good, but no other backend of its set is up with all its data to copy "
                    + "it from: the repair waits", target.name());
            return new Readiness("no other backend of its set is up with all its data to copy from", List.of());
        }
        List<Repair> repairs = new ArrayList<>();
        for (MissingRange range : ledger.of(target.name())) {
            repairs.add(new Repair(target.config(), source.get().config(), range));
        }
        return new Readiness(null, repairs);
    }

    /** The repairs no other run is doing already (the timer and an operator may ask at once). */
    private synchronized List<Repair> claim(List<Repair> repairs) {
        List<Repair> mine = new ArrayList<>();
        for (Repair r : repairs) {
            if (inRepair.add(r.range())) {
                mine.add(r);
            }
        }
        return mine;
    }

    /** The end of a run of repairs (body: the repairs it was given): their ranges may be picked up again. */
    @SuppressWarnings("unchecked")
    public synchronized void released(Exchange exchange) {
        List<Repair> done = exchange.getIn().getBody(List.class);
        if (done != null) {
            done.forEach(r -> inRepair.remove(r.range()));
        }
    }

    /** First step of a repair: the resync job, in the exchange for direct:resync. */
    public void resync(Exchange exchange) {
        Repair repair = exchange.getIn().getBody(Repair.class);
        exchange.setProperty(REPAIR, repair);
        LOG.warn("recovery of backend {} started: copying {} from backend {}", repair.target().name(),
                MissingData.describe(List.of(repair.range())), repair.source().name());
        exchange.setProperty(RecoveryJob.PROPERTY, register(new ResyncJob(jobs.nextId("resync"), repair.source(),
                repair.target(), repair.range().spec())));
    }

    /** Whether the resync went through: only then is the range checked. */
    public boolean resynced(Exchange exchange) {
        RecoveryJob job = exchange.getProperty(RecoveryJob.PROPERTY, RecoveryJob.class);
        if (job.state() == RecoveryJob.State.DONE) {
            exchange.setProperty(REPAIR + ".resync", job);
            return true;
        }
        Repair repair = exchange.getProperty(REPAIR, Repair.class);
        LOG.warn("recovery of backend {} failed after {} s: {}; the range stays in the ledger, to be tried again",
                repair.target().name(), seconds(job), job.error());
        return false;
    }

    /** Second step: a check over the same range, in the exchange for direct:check. */
    public void check(Exchange exchange) {
        Repair repair = exchange.getProperty(REPAIR, Repair.class);
        exchange.setProperty(RecoveryJob.PROPERTY, register(new CheckJob(jobs.nextId("check"), repair.source(),
                repair.target(), repair.range().spec(), checkWindow)));
    }

    /** Last step: the range closes when the check agrees (and it did not grow meanwhile). */
    public void finish(Exchange exchange) {
        Repair repair = exchange.getProperty(REPAIR, Repair.class);
        ResyncJob resync = exchange.getProperty(REPAIR + ".resync", ResyncJob.class);
        CheckJob check = exchange.getProperty(RecoveryJob.PROPERTY, CheckJob.class);
        String name = repair.target().name();
        if (check.state() != RecoveryJob.State.DONE || !check.agrees()) {
            LOG.warn("recovery of backend {}: after the copy, the check found {}; the range stays in the ledger, to be tried again",
                    name, check.state() == RecoveryJob.State.DONE ? check.differences().size() + " windows that differ from "
                            + repair.source().name() : "no answer (" + check.error() + ")");
            return;
        }
        boolean closed = ledger.close(name, repair.range());
        LOG.warn("recovery of backend {} finished: {} points copied from backend {} in {} s, checked{}", name,
                resync.points(), repair.source().name(), seconds(resync),
                closed ? (ledger.missing(name) ? "; more ranges to repair" : "; it holds all its data again")
                        : "; more was lost into the range meanwhile, it is repaired again");
    }

    /** Jobs run on the route's own thread: listed with the operators' ones. */
    private RecoveryJob register(RecoveryJob job) {
        jobs.track(job);
        return job;
    }

    private static String seconds(RecoveryJob job) {
        return String.format(java.util.Locale.ROOT, "%.1f", job.elapsed().toMillis() / 1000.0);
    }
}
