package io.fksafe.sink.fk;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.fk.SourceRecorder.Event;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Statement packing (docs/design.md) against strict order, on random streams a real source produced: each seed runs
 * random single-row changes on a source database with FK checks on, records what the binlog would carry (no cascaded
 * rows), groups the changes into random transactions, and applies the stream through the task: once in strict arrival
 * order one row per statement, with transaction markers ('statement.packing'=false, 'statement.max.rows'=1), which must
 * end in the source's state; then packed with random batch and statement sizes, with markers and without them (as
 * Debezium emits without 'provide.transaction.metadata': {@link MarkerlessDelivery}). Each packed target must equal
 * the strict one, its offsets must reach the end, and without markers every split must be counted and no safe-mode
 * resolution may happen (nothing conflicts in a stream strict order applies). A failing seed is shrunk (transactions,
 * then changes, dropped while strict and packed still disagree) and printed.
 *
 * <p>{@code -Dfksafe.diff.seeds=5000} runs more seeds, {@code -Dfksafe.diff.seed=N} starts at seed N,
 * {@code -Dfksafe.diff.mode=markers|markerless|both} (default both) chooses the packed runs.
 */
class PackingDifferentialTest {

    private static final int SEEDS = Integer.getInteger("fksafe.diff.seeds", 60);
    private static final long FIRST_SEED = Long.getLong("fksafe.diff.seed", 1L);
    private static final String MODE = System.getProperty("fksafe.diff.mode", "both");
    private static final int SHRINK_TRIALS = 400;
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final TestDatabase db = TestDatabase.get();

    /** How the packed run delivers and applies. */
    private record Packed(int batchMaxRows, int statementMaxRows, int putBatch) {}

    private record Outcome(String error, List<List<String>> state, long statements) {
        boolean ok() {
            return error == null;
        }
    }

    /** Puts a stream into a started task; returns what went wrong beyond the target's state, or null. */
    private interface Feed {
        String deliver(RunningTask t, List<List<Event>> txs);
    }

    /** One packed run of a stream, as the shrinker repeats it. */
    private interface Run {
        Outcome apply(List<List<Event>> txs);
    }

    /** Figures of one mode, for the PACKING line CI prints. */
    private static final class Tally {
        final String mode;
        long statements;
        long splits;
        long restarts;
        long nanos;

        Tally(String mode) {
            this.mode = mode;
        }
    }

    @Test
    void packedApply_withAndWithoutMarkers_endsInTheStateOfStrictOrder_andOfTheSource() throws SQLException {
        boolean markers = MODE.equals("both") || MODE.equals("markers");
        boolean markerless = MODE.equals("both") || MODE.equals("markerless");
        if (!markers && !markerless) {
            throw new IllegalArgumentException("fksafe.diff.mode must be markers, markerless or both, not " + MODE);
        }
        String source = db.newDatabase("pksrc");
        String strict = db.newDatabase("pkstrict");
        String packed = db.newDatabase("pkpacked");
        for (String d : List.of(source, strict, packed)) {
            PackingSchema.create(db, d);
        }
        long started = System.nanoTime();
        long events = 0;
        long strictStatements = 0;
        long strictNanos = 0;
        Tally withMarkers = new Tally("markers");
        Tally withoutMarkers = new Tally("markerless");
        for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
            Random random = new Random(seed);
            PackingSchema.clear(db, source);
            List<Event> changes;
            try (Connection c = db.connect()) {
                changes = new SourceRecorder(c, source, random).run(80 + random.nextInt(160));
            }
            List<List<Event>> txs = transactions(changes, random);
            // mostly what a worker does (500-record polls, large target transactions), sometimes tiny batches
            int batch = random.nextInt(4) == 0 ? 1 + random.nextInt(10) : 20 + random.nextInt(480);
            Packed how = new Packed(
                    batch,
                    1 + random.nextInt(Math.min(batch, 40)),
                    random.nextInt(4) == 0 ? 1 + random.nextInt(50) : 500);
            List<List<String>> expected = PackingSchema.dump(db, source);
            long strictStarted = System.nanoTime();
            Outcome s = applyStrict(txs, strict);
            strictNanos += System.nanoTime() - strictStarted;
            events += changes.size();
            strictStatements += s.statements();
            String repro = " (-Dfksafe.diff.seed=" + seed + " -Dfksafe.diff.seeds=1)";
            if (!s.ok() || !expected.equals(s.state())) {
                StringBuilder report = new StringBuilder("seed " + seed + repro + ": strict order does not reproduce "
                        + "the source (not a packing problem)\n");
                describe(report, "source", expected, "strict", s);
                fail(report.append("stream:\n").append(print(txs)).toString());
            }
            if (markers) {
                check(
                        "seed " + seed + repro + ", with markers, packed with " + how,
                        txs,
                        strict,
                        s,
                        c -> applyPacked(c, packed, markersFeed(how.putBatch()), how),
                        PackingDifferentialTest::print,
                        null,
                        withMarkers);
            }
            if (markerless) {
                MarkerlessDelivery delivery = MarkerlessDelivery.random(txs, new Random(-seed));
                check(
                        "seed " + seed + repro + ", " + delivery + ", packed with " + how,
                        txs,
                        strict,
                        s,
                        c -> applyPacked(c, packed, markerlessFeed(delivery, withoutMarkers), how),
                        delivery::print,
                        c -> apply(
                                c,
                                packed,
                                markerlessFeed(delivery, new Tally("unpacked")),
                                "statement.packing",
                                "false",
                                "statement.max.rows",
                                "1"),
                        withoutMarkers);
            }
        }
        double secs = (System.nanoTime() - started) / 1e9;
        for (Tally t : List.of(withMarkers, withoutMarkers)) {
            if (t.mode.equals("markers") ? markers : markerless) {
                System.out.printf(
                        "PACKING differential (%s): %d seeds from %d, %d source changes, %.1f s in all (strict runs "
                                + "%.1f s, this mode's packed runs %.1f s); statements strict %d, packed %d%s%n",
                        t.mode,
                        SEEDS,
                        FIRST_SEED,
                        events,
                        secs,
                        strictNanos / 1e9,
                        t.nanos / 1e9,
                        strictStatements,
                        t.statements,
                        t.mode.equals("markers")
                                ? ""
                                : "; transactions split by idleness " + t.splits + ", task restarts " + t.restarts);
            }
        }
    }

    /**
     * Runs {@code packed} on {@code txs}; when it ends elsewhere than strict order (which reproduced the source), shrinks
     * the stream and fails with the minimal one, printed by {@code printer}. {@code unpacked}, if given, is the same
     * delivery one row per statement: whether it differs too tells packing's fault from the delivery's.
     */
    private void check(
            String what,
            List<List<Event>> txs,
            String strict,
            Outcome strictOutcome,
            Run packed,
            java.util.function.Function<List<List<Event>>, String> printer,
            Run unpacked,
            Tally tally) {
        long started = System.nanoTime();
        Outcome p = packed.apply(txs);
        tally.nanos += System.nanoTime() - started;
        tally.statements += p.statements();
        if (p.ok() && strictOutcome.state().equals(p.state())) {
            return;
        }
        List<List<Event>> small = shrink(txs, strict, packed);
        Outcome s2 = applyStrict(small, strict);
        Outcome p2 = packed.apply(small);
        StringBuilder report = new StringBuilder(what)
                .append(":\nminimal stream where the packed run differs from strict order:\n")
                .append(printer.apply(small));
        describe(report, "strict", s2.state(), "packed", p2);
        if (unpacked != null) {
            Outcome u = unpacked.apply(small);
            report.append("the same delivery one row per statement ('statement.packing'=false): ")
                    .append(
                            u.ok() && s2.state().equals(u.state())
                                    ? "ends as strict order (a packing problem)"
                                    : "differs too (not a packing problem)")
                    .append('\n');
        }
        fail(report.toString());
    }

    /** Random transaction sizes, mostly small, sometimes large. */
    private static List<List<Event>> transactions(List<Event> changes, Random random) {
        List<List<Event>> txs = new ArrayList<>();
        int i = 0;
        while (i < changes.size()) {
            int n = 1 + (random.nextInt(8) == 0 ? random.nextInt(20) : random.nextInt(5));
            txs.add(new ArrayList<>(changes.subList(i, Math.min(changes.size(), i + n))));
            i += n;
        }
        return txs;
    }

    private Outcome applyStrict(List<List<Event>> txs, String target) {
        return apply(txs, target, markersFeed(500), "statement.packing", "false", "statement.max.rows", "1");
    }

    private Outcome applyPacked(List<List<Event>> txs, String target, Feed feed, Packed how) {
        return apply(
                txs,
                target,
                feed,
                "batch.max.rows",
                String.valueOf(how.batchMaxRows()),
                "statement.max.rows",
                String.valueOf(how.statementMaxRows()));
    }

    /** Each transaction framed by BEGIN/END, in puts of {@code putBatch} records. */
    private static Feed markersFeed(int putBatch) {
        return (t, txs) -> {
            ChangeStream stream = new ChangeStream();
            for (List<Event> tx : txs) {
                if (!tx.isEmpty()) {
                    stream.txWithMarkers(tx.stream().map(Event::change).toArray(ChangeRecord[]::new));
                }
            }
            return committedUpTo(t.task().deliver(stream.all(), putBatch), stream.size());
        };
    }

    /**
     * No markers, as {@code delivery} schedules the puts and restarts. Every transaction an empty put cut in two must be
     * counted as a split; no row may be dropped as a repeat by its position (the stream has none: dropping the rest of
     * a split transaction after a restart lost data once, issue 9); and no row may need a safe-mode resolution: rows
     * after a transaction's first are applied in safe mode here, which would hide a conflict strict order does not meet.
     */
    private static Feed markerlessFeed(MarkerlessDelivery delivery, Tally tally) {
        return (t, txs) -> {
            MarkerlessDelivery.Delivered d = delivery.deliver(t, txs);
            String error = committedUpTo(t.task().preCommit(d.records()), d.records());
            long splits = t.splits();
            tally.splits += splits;
            tally.restarts += t.restarts();
            if (error == null && splits != d.splits()) {
                error = "the task counted " + splits + " split transactions, the empty puts cut " + d.splits();
            }
            if (error == null && t.droppedByPosition() > 0) {
                error = t.droppedByPosition() + " rows dropped as already applied by source position, in a stream "
                        + "without repeats";
            }
            if (error == null && !t.resolutions().isEmpty()) {
                error = "safe-mode resolutions " + t.resolutions() + ": a conflict strict order does not meet";
            }
            return error;
        };
    }

    private static String committedUpTo(Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
        OffsetAndMetadata o = offsets.get(TaskRunner.TP);
        long at = o == null ? -1 : o.offset();
        return at == records ? null : "offsets committed up to " + at + ", not to the end (" + records + ")";
    }

    private Outcome apply(List<List<Event>> txs, String target, Feed feed, String... props) {
        PackingSchema.clear(db, target);
        List<String> p = new ArrayList<>(List.of("table.mapping", "src.*=" + target + ".*"));
        p.addAll(List.of(props));
        try (RunningTask t =
                new RunningTask(TaskRunner.props("pack-" + RUNS.incrementAndGet(), p.toArray(new String[0])))) {
            String error = feed.deliver(t, txs);
            return new Outcome(error, PackingSchema.dump(db, target), t.statements());
        } catch (RuntimeException e) {
            return new Outcome(e.toString(), null, 0);
        }
    }

    /** Strict order applies the stream, and packing fails or ends elsewhere. */
    private boolean differs(List<List<Event>> txs, String strict, Run packed) {
        Outcome s = applyStrict(txs, strict);
        if (!s.ok()) {
            return false; // not a stream strict order accepts: says nothing about packing
        }
        Outcome p = packed.apply(txs);
        return !p.ok() || !Objects.equals(s.state(), p.state());
    }

    /** Drops whole transactions, then single changes, as long as the difference stays. */
    private List<List<Event>> shrink(List<List<Event>> txs, String strict, Run packed) {
        List<List<Event>> current = copy(txs);
        int trials = 0;
        boolean progress = true;
        while (progress && trials < SHRINK_TRIALS) {
            progress = false;
            for (int i = current.size() - 1; i >= 0 && trials < SHRINK_TRIALS; i--) {
                List<List<Event>> candidate = copy(current);
                candidate.remove(i);
                trials++;
                if (differs(candidate, strict, packed)) {
                    current = candidate;
                    progress = true;
                }
            }
            for (int i = current.size() - 1; i >= 0 && trials < SHRINK_TRIALS; i--) {
                for (int j = current.get(i).size() - 1; j >= 0 && trials < SHRINK_TRIALS; j--) {
                    if (current.get(i).size() < 2) {
                        break;
                    }
                    List<List<Event>> candidate = copy(current);
                    candidate.get(i).remove(j);
                    trials++;
                    if (differs(candidate, strict, packed)) {
                        current = candidate;
                        progress = true;
                    }
                }
            }
        }
        return current;
    }

    private static List<List<Event>> copy(List<List<Event>> txs) {
        List<List<Event>> out = new ArrayList<>();
        txs.forEach(tx -> out.add(new ArrayList<>(tx)));
        return out;
    }

    private static String print(List<List<Event>> txs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < txs.size(); i++) {
            b.append("  tx ").append(i + 1).append(": ").append(txs.get(i)).append('\n');
        }
        return b.toString();
    }

    private static void describe(
            StringBuilder b, String leftName, List<List<String>> left, String rightName, Outcome right) {
        if (!right.ok()) {
            b.append(rightName).append(" failed: ").append(right.error()).append('\n');
            if (right.state() == null) {
                return;
            }
        }
        List<List<String>> onlyLeft = new ArrayList<>(left == null ? List.of() : left);
        onlyLeft.removeAll(right.state());
        List<List<String>> onlyRight = new ArrayList<>(right.state());
        if (left != null) {
            onlyRight.removeAll(left);
        }
        b.append("rows only in ").append(leftName).append(": ").append(onlyLeft).append('\n');
        b.append("rows only in ")
                .append(rightName)
                .append(": ")
                .append(onlyRight)
                .append('\n');
    }
}
