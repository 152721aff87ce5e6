package io.fksafe.sink.bench;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The speed workload of docs/design.md at the task level: 20k parents and 80k children inserted in 10-row transactions, 20k
 * child updates, 2k cascading parent deletes, drained as a backlog in the worker's default 500-record batches with FK
 * checks on. Prints events/s; asserts only that the result is right (speed targets live in figures, not in tests).
 * The sink module's tests run with -Xmx512m, so the task's heap stays bounded by construction. Runs
 * {@code fksafe.bench.rounds} times in one JVM (below), so a warm figure comes beside the cold one.
 */
class ApplyThroughputBenchmarkTest {

    private static final int PARENTS = 20_000;
    /**
     * How the topic frames transactions: "ids" (transaction ids and total_order, no markers: the default), "markers"
     * (BEGIN/END and total_order, Debezium with transaction metadata) or "none" (only the GTID; every row at the
     * transaction's start position, as Debezium without metadata), e.g. {@code -Dfksafe.bench.stream=none}.
     */
    private static final String STREAM = System.getProperty("fksafe.bench.stream", "ids");
    /** 'statement.packing' (default true); false measures strict arrival order, consecutive rows only sharing statements. */
    private static final String PACKING = System.getProperty("fksafe.bench.packing", "true");
    /** 'apply.pipelined' (default true); false measures applying inside put(), e.g. -Dfksafe.bench.pipelined=false. */
    private static final String PIPELINED = System.getProperty("fksafe.bench.pipelined", "true");

    /**
     * Rounds in one JVM, each into a fresh database (default 2): the first runs on a cold JIT, the later ones on the
     * code it compiled meanwhile. Each prints its own line; with more than two, a last line gives the warm median.
     */
    private static final int ROUNDS = Math.max(1, Integer.getInteger("fksafe.bench.rounds", 2));

    /** Other sink settings over the test defaults, e.g. {@code -Dfksafe.bench.sink=statement.max.rows=2000,batch.max.rows=10000}. */
    private static final Map<String, String> SINK_OPTIONS = sinkOptions(System.getProperty("fksafe.bench.sink", ""));

    private static Map<String, String> sinkOptions(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String kv : text.split(",")) {
            if (!kv.isBlank()) {
                int eq = kv.indexOf('=');
                out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        return out;
    }

    @Test
    void backlogOf124kEvents_fkChecksOn_printsThroughput() {
        List<Double> warm = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            double rate = round(round);
            if (round > 1) {
                warm.add(rate);
            }
        }
        if (warm.size() > 1) {
            List<Double> sorted = warm.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            System.out.printf(
                    "BENCHMARK fksafe task apply (stream: %s, packing: %s, pipelined: %s%s; warm median of rounds 2-%d): "
                            + "%.0f events/s (min %.0f, max %.0f)%n",
                    STREAM,
                    PACKING,
                    PIPELINED,
                    SINK_OPTIONS.isEmpty() ? "" : ", " + SINK_OPTIONS,
                    ROUNDS,
                    median,
                    sorted.get(0),
                    sorted.get(n - 1));
        }
    }

    /** One drain of the whole workload into a fresh database; prints its line, checks the result, returns events/s. */
    private double round(int round) {
        TestDatabase db = TestDatabase.get();
        String target = db.newDatabase("bench");
        LabSchema.create(db, target);
        Generator gen = new Generator();
        long started = System.nanoTime();
        long cpuStarted = THREADS.getCurrentThreadCpuTime();
        long events = 0;
        long generating = 0; // CPU of this thread inside the timed span spent by the test, not the sink
        double rate;
        Map<String, String> props = TaskRunner.props(
                "bench-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "statement.packing",
                PACKING,
                "apply.pipelined",
                PIPELINED);
        props.putAll(SINK_OPTIONS);
        try (TaskRunner t = new TaskRunner(props)) {
            List<SinkRecord> batch;
            while (true) {
                long g = THREADS.getCurrentThreadCpuTime();
                batch = gen.next(500);
                generating += THREADS.getCurrentThreadCpuTime() - g;
                if (batch.isEmpty()) {
                    break;
                }
                t.task.put(batch);
                events += batch.size();
            }
            t.task.put(List.of());
            t.preCommit(events); // waits for the apply thread: everything committed
            double secs = (System.nanoTime() - started) / 1e9;
            double testCpu = (THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
            double applyCpu = applyThreadCpu("fksafe-apply-bench-" + target + "-") / 1e9;
            rate = events / secs;
            long statements = t.task.stats().statements();
            System.out.printf(
                    "BENCHMARK fksafe task apply (stream: %s, packing: %s, pipelined: %s%s; round %d of %d, %s): "
                            + "%d events in %.2f s = %.0f events/s "
                            + "(FK checks on, %d commits, %d row statements = %.3f per row, %d transactions split; "
                            + "CPU: task thread %.2f s, %.2f s of it building the records; apply thread %.2f s)%n",
                    STREAM,
                    PACKING,
                    PIPELINED,
                    SINK_OPTIONS.isEmpty() ? "" : ", " + SINK_OPTIONS,
                    round,
                    ROUNDS,
                    round == 1 ? "cold" : "warm",
                    events,
                    secs,
                    rate,
                    t.task.stats().commits(),
                    statements,
                    (double) statements / t.task.stats().events(),
                    t.task.stats().splitTransactions(),
                    testCpu,
                    generating / 1e9,
                    applyCpu);
        }
        assertEquals(PARENTS - 2_000, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"), "round " + round);
        assertEquals(
                4L * (PARENTS - 2_000),
                db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"),
                "round " + round + ": children of deleted parents cascaded on the target");
        assertEquals(
                0,
                db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade c LEFT JOIN `" + target
                        + "`.parent p ON p.id = c.parent_id WHERE p.id IS NULL"),
                "round " + round + ": no orphans");
        return rate;
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of the task's apply thread (it lives as long as the task), or -1 when not found (apply.pipelined=false). */
    private static long applyThreadCpu(String namePrefix) {
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith(namePrefix)) {
                return THREADS.getThreadCpuTime(th.getId());
            }
        }
        return -1_000_000_000L;
    }

    /** Produces the workload lazily, so the records in memory are only the task's. */
    private static final class Generator {
        /** Envelope schemas by key and row schema, built once as the transform's cache does. */
        private final Map<Schema, Map<Schema, Schema>> envelopes = new IdentityHashMap<>();

        private long offset;
        private int phase;
        private int i;
        private int tx;

        List<SinkRecord> next(int max) {
            List<SinkRecord> out = new ArrayList<>(max + 10);
            while (out.size() < max - 10 && phase < 3) {
                List<ChangeRecord> t = new ArrayList<>(10);
                if (phase == 0) { // 2 parents + 8 children per transaction
                    for (int k = 0; k < 2; k++) {
                        long p = ++i;
                        t.add(PARENT.insert(p, "parent " + p));
                        for (int c = 0; c < 4; c++) {
                            t.add(CHILD_CASCADE.insert(p * 4 + c, p, "child " + c));
                        }
                    }
                    if (i >= PARENTS) {
                        phase = 1;
                        i = 0;
                    }
                } else if (phase == 1) { // 20k child updates, 10 per transaction
                    for (int k = 0; k < 10; k++) {
                        long p = (i % PARENTS) + 1;
                        t.add(CHILD_CASCADE.update(p * 4, p, "updated " + i));
                        i++;
                    }
                    if (i >= 20_000) {
                        phase = 2;
                        i = 0;
                    }
                } else { // 2k parent deletes, cascading to their children on the target
                    t.add(PARENT.delete((long) (++i) * 10));
                    if (i >= 2_000) {
                        phase = 3;
                    }
                }
                String txId = "0-1-" + (++tx);
                boolean metadata = !STREAM.equals("none");
                if (STREAM.equals("markers")) {
                    add(
                            out,
                            ChangeRecord.builder(io.fksafe.change.Op.TX_BEGIN)
                                    .txId(txId)
                                    .build());
                }
                for (int k = 0; k < t.size(); k++) {
                    add(
                            out,
                            t.get(k).toBuilder()
                                    .txId(txId)
                                    .position(new SourcePosition(
                                            txId, "mysql-bin.000001", 4 + tx * 1000L, metadata ? k + 1 : 0, 0, false))
                                    .build());
                }
                if (STREAM.equals("markers")) {
                    add(
                            out,
                            ChangeRecord.builder(io.fksafe.change.Op.TX_END)
                                    .txId(txId)
                                    .txEventCount((long) t.size())
                                    .build());
                }
            }
            return out;
        }

        private void add(List<SinkRecord> out, ChangeRecord c) {
            Schema schema = c.key() == null
                    ? ChangeRecord.markerSchema()
                    : envelopes
                            .computeIfAbsent(c.key().schema(), k -> new IdentityHashMap<>())
                            .computeIfAbsent(c.row() == null ? null : c.row().schema(), r -> c.schema());
            out.add(new SinkRecord(ChangeStream.TOPIC, 0, null, null, schema, c.toStruct(schema), offset++));
        }
    }
}
