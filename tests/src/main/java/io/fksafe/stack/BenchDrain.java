package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One timed backlog drain: deploys a sink connector on a topic that already holds the whole workload and measures
 * from the deployment until the target's last write. The last write is seen in the target's own statement counters
 * (sampled every 100 ms), so the figure does not depend on how often Connect commits consumer offsets; "done" is
 * the sink's progress reaching the topics' end and the counters then standing still.
 */
final class BenchDrain {

    /** The target's statement counters: commits, and the row-writing statements. */
    record Counters(long commits, long statements) {
        Counters minus(Counters o) {
            return new Counters(commits - o.commits, statements - o.statements);
        }
    }

    /**
     * What a drain measured; {@code failure} is null when the sink reached the end of its topics, {@code heap} when the
     * worker's heap was not watched.
     */
    record Measured(double seconds, Counters counters, String failure, BenchHeap.Peak heap) {}

    private static final long QUIET_NANOS = Duration.ofMillis(1500).toNanos();

    private final ConnectRest rest;
    private final Db target;
    private final PrintStream out;
    /** The worker's JVM, for its heap (and a profile); null when it could not be reached. */
    private final WorkerJvm worker;
    /** Whether to have the worker collect its whole heap every few seconds during a drain (exact, but it costs). */
    private final boolean exactHeap;

    BenchDrain(ConnectRest rest, Db target, PrintStream out, WorkerJvm worker, boolean exactHeap) {
        this.rest = rest;
        this.target = target;
        this.out = out;
        this.worker = worker;
        this.exactHeap = exactHeap;
    }

    /**
     * @param progress records the sink has finished so far (its checkpoint or its committed consumer offsets)
     * @param total    records in its topics
     * @param profile  where to write a JFR recording of the worker during the drain; null: none
     */
    Measured run(
            String label,
            String connector,
            Map<String, String> config,
            LongSupplier progress,
            long total,
            Duration timeout,
            Path profile)
            throws IOException, InterruptedException, SQLException {
        try (Connection c = target.connect();
                Statement st = c.createStatement();
                BenchHeap heap = worker == null ? null : BenchHeap.watch(worker, exactHeap)) {
            BenchProfile recording = profile == null ? null : BenchProfile.start(worker, profile);
            Counters before = counters(st);
            long t0 = System.nanoTime();
            rest.putConfig(connector, config);
            long lastChange = t0;
            long lastWrites = before.commits() + before.statements();
            long nextReport = t0 + 2_000_000_000L;
            long nextCheck = t0;
            boolean atEnd = false;
            String failure = null;
            while (true) {
                TimeUnit.MILLISECONDS.sleep(100);
                long now = System.nanoTime();
                Counters k = counters(st);
                if (k.commits() + k.statements() != lastWrites) {
                    lastWrites = k.commits() + k.statements();
                    lastChange = now;
                }
                if (now >= nextCheck) {
                    nextCheck = now + 500_000_000L;
                    JsonNode s = rest.status(connector);
                    failure = s == null ? null : ConnectRest.failure(s);
                    if (failure != null) {
                        failure = firstCause(failure);
                        break;
                    }
                    atEnd = progress.getAsLong() >= total;
                }
                if (atEnd && now - lastChange > QUIET_NANOS) {
                    break;
                }
                if (now >= nextReport) {
                    nextReport = now + 2_000_000_000L;
                    out.printf(
                            "  %s: %,d / %,d records (%.0f s)%n",
                            label, Math.min(progress.getAsLong(), total), total, (now - t0) / 1e9);
                }
                if (now - t0 > timeout.toNanos()) {
                    failure = "did not finish within " + timeout + " (" + rest.describe(connector) + ")";
                    break;
                }
            }
            Path recorded = recording == null ? null : recording.stop();
            BenchHeap.Peak peak = heap == null ? null : heap.stop();
            Counters after = counters(st);
            rest.delete(connector);
            if (peak != null) {
                out.println("  worker heap: " + peak.describe());
                if (peak.fullGcs() > 1) {
                    out.println("  live heap after each full collection (MiB, in order): " + peak.series());
                }
            }
            if (recorded != null) {
                BenchProfile.print(recorded, connector, out);
            }
            return new Measured((lastChange - t0) / 1e9, after.minus(before), failure, peak);
        }
    }

    static Counters counters(Statement st) throws SQLException {
        long commits = 0;
        long statements = 0;
        try (ResultSet rs = st.executeQuery(
                "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_commit', 'Com_insert', "
                        + "'Com_update', 'Com_delete', 'Com_replace', 'Com_insert_select', 'Com_update_multi', 'Com_delete_multi')")) {
            while (rs.next()) {
                long v = rs.getLong(2);
                if (rs.getString(1).equalsIgnoreCase("Com_commit")) {
                    commits += v;
                } else {
                    statements += v;
                }
            }
        }
        return new Counters(commits, statements);
    }

    static String firstCause(String trace) {
        String cause = trace.lines()
                .filter(l -> l.startsWith("Caused by:"))
                .reduce((a, b) -> b)
                .orElse(trace.lines().findFirst().orElse(""))
                .replaceFirst("^Caused by: [\\w.$]+: ", "");
        return "FAILED: " + (cause.length() > 160 ? cause.substring(0, 160) + "..." : cause);
    }
}
