package io.fksafe.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The raw observations of one end-to-end run. The workload runs on the source in a thread of its own, at its natural
 * speed, and notes when each transaction's COMMIT returned; meanwhile this thread samples, every ~20 ms, the end
 * offset of the capture topic (what Debezium has written) and, when a sink runs, the sink's checkpoint in the target
 * (written in the same target transaction as the rows, so it says what the target holds). Every time is this JVM's
 * {@link System#nanoTime()}: the source's commits and the samples share one clock.
 */
final class BenchTimeline {

    static final long SAMPLE_NANOS = 20_000_000L;
    private static final long QUIET_NANOS = 3_000_000_000L;

    /**
     * @param start       when the workload started
     * @param firstOffset the topic's end offset before it started
     * @param commits     per source transaction, in commit order, when its COMMIT returned
     * @param times       per sample, when both reads had returned
     * @param ends        per sample, the topic's end offset
     * @param checkpoints per sample, the sink's next offset in its checkpoint (-1 without a sink)
     */
    record Result(long start, long firstOffset, long[] commits, long[] times, long[] ends, long[] checkpoints) {}

    private final Admin admin;
    private final TopicPartition topic;
    private final PrintStream out;
    private long[] times = new long[1024];
    private long[] ends = new long[1024];
    private long[] checkpoints = new long[1024];
    private int n;

    BenchTimeline(Admin admin, String topic, PrintStream out) {
        this.admin = admin;
        this.topic = new TopicPartition(topic, 0);
        this.out = out;
    }

    /**
     * Runs the workload and samples until it is done, the topic has stood still for 3 s and (with a sink) the
     * checkpoint has reached the topic's end.
     *
     * @param target    the target, directly (not through a slow link), or null for a capture-only run
     * @param connector the sink connector, whose checkpoint row is read and whose failure ends the run
     */
    Result record(BenchWorkload workload, Db source, Db target, String connector, ConnectRest rest, Duration timeout)
            throws Exception {
        long[] commits = new long[Math.toIntExact(workload.transactions())];
        AtomicInteger committed = new AtomicInteger();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long firstOffset = endOffset();
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        Thread load = new Thread(
                () -> {
                    try {
                        workload.load(source, silent, t -> commits[committed.getAndIncrement()] = t);
                    } catch (Exception e) {
                        failed.set(e);
                    }
                },
                "bench-workload");
        try (Connection c = target == null ? null : target.connect();
                PreparedStatement checkpoint = c == null
                        ? null
                        : c.prepareStatement(
                                "SELECT next_offset FROM "
                                        + "fksafe.fksafe_checkpoint WHERE connector = ? AND topic = ? AND kafka_partition = 0")) {
            if (checkpoint != null) {
                checkpoint.setString(1, connector);
                checkpoint.setString(2, topic.topic());
            }
            long start = System.nanoTime();
            load.start();
            long nextReport = start + 2_000_000_000L;
            long lastEnd = -1;
            long endSince = start;
            long tick = start;
            while (true) {
                tick = Math.max(tick + SAMPLE_NANOS, System.nanoTime()); // a fixed rate, unless the reads fall behind
                TimeUnit.NANOSECONDS.sleep(tick - System.nanoTime());
                long end = endOffset();
                long cp = checkpoint == null ? -1 : read(checkpoint);
                long now = System.nanoTime();
                add(now, end, cp);
                if (end != lastEnd) {
                    lastEnd = end;
                    endSince = now;
                }
                if (failed.get() != null) {
                    throw new IOException(
                            "the workload failed on the source: " + failed.get().getMessage(), failed.get());
                }
                boolean loaded = !load.isAlive();
                if (loaded && now - endSince > QUIET_NANOS && (checkpoint == null || cp >= end)) {
                    break;
                }
                if (now >= nextReport) {
                    nextReport = now + 2_000_000_000L;
                    out.printf(
                            "  %3.0f s: source %,d / %,d transactions committed; Kafka +%,d records%s%n",
                            (now - start) / 1e9,
                            committed.get(),
                            commits.length,
                            end - firstOffset,
                            checkpoint == null
                                    ? ""
                                    : String.format("; target +%,d records", Math.max(0, cp - firstOffset)));
                    String failure = connector == null ? null : sinkFailure(rest, connector);
                    if (failure != null) {
                        throw new IOException("sink " + connector + " failed: " + failure);
                    }
                }
                if (now - start > timeout.toNanos()) {
                    throw new IOException("the run did not finish within " + timeout + " (Kafka at " + end
                            + (checkpoint == null ? "" : ", checkpoint at " + cp) + ")");
                }
            }
            load.join();
            if (committed.get() != commits.length) {
                throw new IOException(
                        "the workload committed " + committed.get() + " of " + commits.length + " transactions");
            }
            out.printf(
                    "  source: %,d transactions committed in %.1f s%n",
                    commits.length, (commits[commits.length - 1] - start) / 1e9);
            return new Result(
                    start,
                    firstOffset,
                    commits,
                    Arrays.copyOf(times, n),
                    Arrays.copyOf(ends, n),
                    Arrays.copyOf(checkpoints, n));
        } finally {
            if (load.isAlive()) {
                load.interrupt();
                load.join(TimeUnit.SECONDS.toMillis(30)); // the workload's connection closes when its loop ends
            }
        }
    }

    /** The capture topic's end offset (one partition). */
    long endOffset() throws Exception {
        return admin.listOffsets(Map.of(topic, OffsetSpec.latest()))
                .partitionResult(topic)
                .get(30, TimeUnit.SECONDS)
                .offset();
    }

    private static long read(PreparedStatement checkpoint) throws SQLException {
        try (ResultSet rs = checkpoint.executeQuery()) { // autocommit: every read sees the latest commit
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String sinkFailure(ConnectRest rest, String connector) throws IOException {
        var status = rest.status(connector);
        String trace = status == null ? "absent" : ConnectRest.failure(status);
        return trace == null ? null : BenchDrain.firstCause(trace);
    }

    private void add(long time, long end, long checkpoint) {
        if (n == times.length) {
            times = Arrays.copyOf(times, 2 * n);
            ends = Arrays.copyOf(ends, 2 * n);
            checkpoints = Arrays.copyOf(checkpoints, 2 * n);
        }
        times[n] = time;
        ends[n] = end;
        checkpoints[n] = checkpoint;
        n++;
    }
}
