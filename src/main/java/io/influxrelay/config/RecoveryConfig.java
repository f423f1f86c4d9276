package io.influxrelay.config;

import java.time.Duration;

/**
 * Repairing backends that miss data for good.
 *
 * @param ledgerFile         the missing-data ledger, relative to the relay's home
 * @param mergeGap           lost ranges this close together are kept (and repaired) as one
 * @param auto               repair by itself: resync each ledger range from a healthy backend, check, close
 * @param interval           how often automatic recovery looks for a backend ready to repair
 * @param checkWindow        the time window a check compares counts and sums in
 * @param maxPointsPerSecond a resync's pace (0: unbounded)
 */
public record RecoveryConfig(String ledgerFile, Duration mergeGap, boolean auto, Duration interval, Duration checkWindow,
                             long maxPointsPerSecond) {
}
