package io.influxrelay.recovery;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The check and resync jobs, started by an operator or by automatic recovery: each runs through its
 * route ({@code direct:check}, {@code direct:resync}) and stays listed, with its progress, for the
 * management endpoints and /status. The last {@value #KEPT} finished jobs are kept. A stopping relay
 * cancels the jobs still running.
 */
public final class RecoveryJobs extends ServiceSupport {
    static final int KEPT = 50;

    private final AtomicLong ids = new AtomicLong();
    private final Map<String, RecoveryJob> jobs = new LinkedHashMap<>();
    private final ExecutorService operatorJobs = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "recovery-job");
        t.setDaemon(true);
        return t;
    });
    private ProducerTemplate producer;

    public void connect(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** A new job id, e.g. resync-3. */
    public String nextId(String kind) {
        return kind + "-" + ids.incrementAndGet();
    }

    /** Starts the job on a thread of its own and returns at once. */
    public RecoveryJob start(RecoveryJob job) {
        track(job);
        operatorJobs.execute(() -> send(job));
        return job;
    }

    /** Runs repairs (automatic recovery's steps) on a thread of its own: an operator's "recover now". */
    public void repair(List<AutoRecovery.Repair> repairs) {
        operatorJobs.execute(() -> producer.sendBody("direct:repair", repairs));
    }

    private void send(RecoveryJob job) {
        producer.send("direct:" + job.kind(), e -> e.setProperty(RecoveryJob.PROPERTY, job));
    }

    /** Lists a job that runs elsewhere (automatic recovery runs its own on its route's thread). */
    public synchronized void track(RecoveryJob job) {
        jobs.put(job.id(), job);
        List<String> finished = jobs.values().stream().filter(j -> j.state() != RecoveryJob.State.RUNNING)
                .map(RecoveryJob::id).toList();
        for (int i = 0; i < finished.size() - KEPT; i++) {
            jobs.remove(finished.get(i));
        }
    }

    public synchronized Optional<RecoveryJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    public synchronized List<RecoveryJob> all() {
        return new ArrayList<>(jobs.values());
    }

    public synchronized List<RecoveryJob> running() {
        return jobs.values().stream().filter(j -> j.state() == RecoveryJob.State.RUNNING).toList();
    }

    /** The running jobs as a JSON array, for /status. */
    public String runningJson() {
        StringBuilder b = new StringBuilder("[");
        for (RecoveryJob job : running()) {
            b.append(b.length() > 1 ? "," : "").append(job.toJson());
        }
        return b.append(']').toString();
    }

    /** Asks every running job to stop at its next chunk (a cancelled repair leaves its range open). */
    public void cancelRunning() {
        running().forEach(RecoveryJob::cancel);
    }

    @Override
    protected void doStop() throws InterruptedException {
        cancelRunning();
        operatorJobs.shutdown();
        operatorJobs.awaitTermination(10, TimeUnit.SECONDS);
    }
}
