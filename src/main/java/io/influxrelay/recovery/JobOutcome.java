package io.influxrelay.recovery;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a job's route: {@link #done()} at the end of its steps, {@link #failed()} in its doCatch,
 * with the cause's own message (a {@link RecoveryException}'s, else the innermost exception's) rather
 * than Camel's wrapping of it. One log line either way.
 */
final class JobOutcome {
    private static final Logger LOG = LoggerFactory.getLogger(JobOutcome.class);

    Processor done() {
        return exchange -> {
            RecoveryJob job = exchange.getProperty(RecoveryJob.PROPERTY, RecoveryJob.class);
            job.done();
            log(job);
        };
    }

    Processor failed() {
        return exchange -> {
            RecoveryJob job = exchange.getProperty(RecoveryJob.PROPERTY, RecoveryJob.class);
            job.failed(describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
            log(job);
        };
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "failed";
        }
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecoveryException) {
                return t.getMessage();
            }
            innermost = t;
        }
        return innermost.getClass().getSimpleName() + (innermost.getMessage() == null ? "" : ": " + innermost.getMessage());
    }

    private static void log(RecoveryJob job) {
        double seconds = job.elapsed().toNanos() / 1e9;
        String outcome = job.state() == RecoveryJob.State.DONE ? "done" : "failed (" + io.influxrelay.log.LogText.escape(job.error()) + ")";
        if (job instanceof CheckJob check) {
            LOG.info("check {} {} in {} s: {} windows, {} differences, {} points on {}, {} on {}", job.id(), outcome,
                    String.format("%.2f", seconds), check.windows(), check.differencesFound(),
                    check.fromPoints(), job.from().name(), check.toPoints(), job.to().name());
        } else if (job instanceof RebalanceJob rebalance) {
            LOG.warn("{} {} {} in {} s: {} keys, {} points copied", job.kind(), job.id(), outcome, String.format("%.2f", seconds),
                    rebalance.moves().size(), job.pointsDone());
        } else {
            LOG.info("resync {} {} in {} s: {} points, {} points/s", job.id(), outcome, String.format("%.2f", seconds),
                    job.pointsDone(), Math.round(seconds > 0 ? job.pointsDone() / seconds : 0));
        }
    }
}
