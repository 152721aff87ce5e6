package io.fksafe.sink.apply;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metrics.SinkMetrics;

/**
 * The task's figures: what it applied, how fast, and every safe-mode resolution by kind. Synchronized: the task's
 * thread and its apply thread both count.
 */
public final class ApplyStats {

    private static final Logger log = LoggerFactory.getLogger(ApplyStats.class);

    private final long intervalMs;
    private final long startedNanos = System.nanoTime();
    private long lastLogNanos = startedNanos;
    private long events;
    private long eventsAtLastLog;
    private long commits;
    private long statements;
    private long skippedCommitted;
    private long skippedDuplicatePositions;
    private long deadLettered;
    private long splitTransactions;
    private long unknownCommitOutcomes;
    private final Map<String, Long> resolutions = new TreeMap<>();
    private Map<String, Long> resolutionsAtLastLog = Map.of();
    private final SinkMetrics metrics;
    private Supplier<String> checkpoints = () -> "none";

    public ApplyStats(long intervalMs) {
        this(intervalMs, SinkMetrics.local());
    }

    public ApplyStats(long intervalMs, SinkMetrics metrics) {
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        metrics.resolutionKinds(Resolution.ALL);
    }

    /** What the periodic log line says about where the checkpoint is. */
    void checkpoints(Supplier<String> describe) {
        this.checkpoints = describe;
    }

    SinkMetrics metrics() {
        return metrics;
    }

    /** One target transaction committed: its rows, the upstream transactions in it, and how long it took. */
    synchronized void committed(List<Unit> units, int rowCount, long startedNanos) {
        events += rowCount;
        commits++;
        long now = System.currentTimeMillis();
        int transactions = 0;
        for (Unit u : units) {
            if (u.rowCount() > 0) {
                transactions++;
            }
            Long ts = u.newestSourceTsMs();
            if (ts != null) {
                metrics.lag(ts, now);
            }
        }
        metrics.committed(rowCount, transactions, System.nanoTime() - startedNanos);
    }

    /** Statements run for rows of a target transaction (only its rows, not the checkpoint), for the benchmark. */
    synchronized void statementsRun(long n) {
        statements += n;
    }

    synchronized void resolved(String kind) {
        resolutions.merge(kind, 1L, Long::sum);
        metrics.resolved(kind);
    }

    public synchronized void skippedAlreadyCommitted() {
        skippedCommitted++;
        metrics.duplicateSkipped("kafka-offset");
    }

    synchronized void skippedDuplicatePosition() {
        skippedDuplicatePositions++;
        metrics.duplicateSkipped("source-position");
    }

    synchronized void addDeadLettered() {
        deadLettered++;
        metrics.deadLettered();
    }

    synchronized void splitTransaction() {
        splitTransactions++;
        metrics.splitTransaction();
    }

    synchronized void committedAfterUnknownOutcome() {
        unknownCommitOutcomes++;
        commits++;
        metrics.commitOutcomeUnknown();
    }

    /** A failed target operation that will be retried. */
    public void retried(ErrorKind kind) {
        metrics.retried(kind.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    void ddl(boolean applied) {
        metrics.ddl(applied ? "applied" : "skipped");
    }

    public synchronized long skippedDuplicatePositions() {
        return skippedDuplicatePositions;
    }

    public synchronized long deadLettered() {
        return deadLettered;
    }

    public synchronized long splitTransactions() {
        return splitTransactions;
    }

    public synchronized long unknownCommitOutcomes() {
        return unknownCommitOutcomes;
    }

    public synchronized long events() {
        return events;
    }

    public synchronized long commits() {
        return commits;
    }

    public synchronized long statements() {
        return statements;
    }

    public synchronized long skippedCommitted() {
        return skippedCommitted;
    }

    public synchronized long resolutions(String kind) {
        return resolutions.getOrDefault(kind, 0L);
    }

    public synchronized Map<String, Long> resolutions() {
        return Map.copyOf(resolutions);
    }

    /** Logs the figures when the interval has passed (0 turns it off). */
    public synchronized void maybeLog() {
        long now = System.nanoTime();
        if (intervalMs > 0 && (now - lastLogNanos) / 1_000_000L >= intervalMs) {
            double secs = (now - lastLogNanos) / 1e9;
            log.info(
                    "fksafe applied {} events in the last {} s ({} events/s); lag {} ms (checkpoint age {} ms); "
                            + "checkpoint {}; total {} events in {} commits, {} already-committed records skipped ({} by "
                            + "source position), {} dead-lettered, {} transactions split; safe-mode resolutions since "
                            + "last {}, total {}",
                    events - eventsAtLastLog,
                    String.format("%.1f", secs),
                    String.format("%.0f", (events - eventsAtLastLog) / Math.max(secs, 1e-9)),
                    metrics.lastLagMs(),
                    metrics.checkpointAgeMs(System.currentTimeMillis()),
                    checkpoints.get(),
                    events,
                    commits,
                    skippedCommitted,
                    skippedDuplicatePositions,
                    deadLettered,
                    splitTransactions,
                    sinceLastLog(),
                    resolutions);
            lastLogNanos = now;
            eventsAtLastLog = events;
            resolutionsAtLastLog = Map.copyOf(resolutions);
        }
    }

    private synchronized Map<String, Long> sinceLastLog() {
        Map<String, Long> since = new TreeMap<>();
        resolutions.forEach((k, v) -> {
            long d = v - resolutionsAtLastLog.getOrDefault(k, 0L);
            if (d > 0) {
                since.put(k, d);
            }
        });
        return since;
    }

    /** One line for benchmarks and the task's stop log. */
    public synchronized String summary() {
        double secs = (System.nanoTime() - startedNanos) / 1e9;
        return String.format(
                "%d events, %d commits, %.1f s, %.0f events/s, resolutions %s",
                events, commits, secs, events / Math.max(secs, 1e-9), resolutions);
    }
}
