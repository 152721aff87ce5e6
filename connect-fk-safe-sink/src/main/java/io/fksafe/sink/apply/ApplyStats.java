package io.fksafe.sink.apply;

import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The task's figures: what it applied, how fast, and every safe-mode resolution by kind. */
public final class ApplyStats {

    private static final Logger log = LoggerFactory.getLogger(ApplyStats.class);

    private final long intervalMs;
    private final long startedNanos = System.nanoTime();
    private long lastLogNanos = startedNanos;
    private long events;
    private long eventsAtLastLog;
    private long commits;
    private long skippedCommitted;
    private long skippedDuplicatePositions;
    private long deadLettered;
    private long splitTransactions;
    private long unknownCommitOutcomes;
    private final Map<String, Long> resolutions = new TreeMap<>();

    public ApplyStats(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    void committed(int eventCount) {
        events += eventCount;
        commits++;
    }

    void resolved(String kind) {
        resolutions.merge(kind, 1L, Long::sum);
    }

    public void skippedAlreadyCommitted() {
        skippedCommitted++;
    }

    void skippedDuplicatePosition() {
        skippedDuplicatePositions++;
    }

    void addDeadLettered() {
        deadLettered++;
    }

    void splitTransaction() {
        splitTransactions++;
    }

    void committedAfterUnknownOutcome() {
        unknownCommitOutcomes++;
        commits++;
    }

    public long skippedDuplicatePositions() { return skippedDuplicatePositions; }
    public long deadLettered() { return deadLettered; }
    public long splitTransactions() { return splitTransactions; }
    public long unknownCommitOutcomes() { return unknownCommitOutcomes; }

    public long events() { return events; }
    public long commits() { return commits; }
    public long skippedCommitted() { return skippedCommitted; }

    public long resolutions(String kind) {
        return resolutions.getOrDefault(kind, 0L);
    }

    public Map<String, Long> resolutions() {
        return Map.copyOf(resolutions);
    }

    /** Logs the figures when the interval has passed (0 turns it off). */
    public void maybeLog() {
        long now = System.nanoTime();
        if (intervalMs > 0 && (now - lastLogNanos) / 1_000_000L >= intervalMs) {
            double secs = (now - lastLogNanos) / 1e9;
            log.info("fksafe applied {} events in the last {} s ({} events/s); total {} events in {} commits, "
                            + "{} already-committed records skipped ({} by source position), {} dead-lettered, "
                            + "{} transactions split, safe-mode resolutions {}",
                    events - eventsAtLastLog, String.format("%.1f", secs),
                    String.format("%.0f", (events - eventsAtLastLog) / Math.max(secs, 1e-9)), events, commits,
                    skippedCommitted, skippedDuplicatePositions, deadLettered, splitTransactions, resolutions);
            lastLogNanos = now;
            eventsAtLastLog = events;
        }
    }

    /** One line for benchmarks and the task's stop log. */
    public String summary() {
        double secs = (System.nanoTime() - startedNanos) / 1e9;
        return String.format("%d events, %d commits, %.1f s, %.0f events/s, resolutions %s", events, commits, secs,
                events / Math.max(secs, 1e-9), resolutions);
    }
}
