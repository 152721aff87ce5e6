package io.fksafe.sink.fk;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.fk.SourceRecorder.Event;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Statement packing (docs/design.md) against strict order, on random streams a real source produced: each seed runs
 * random single-row changes on a source database with FK checks on, records what the binlog would carry (no cascaded
 * rows), groups the changes into random transactions, and applies the stream through the task twice — strict arrival
 * order one row per statement ('statement.packing'=false, 'statement.max.rows'=1), and packed with random batch and
 * statement sizes. Both targets must equal each other and the source. A failing seed is shrunk (transactions, then
 * changes, dropped while strict and packed still disagree) and printed.
 *
 * <p>{@code -Dfksafe.diff.seeds=5000} runs more seeds, {@code -Dfksafe.diff.seed=N} starts at seed N.
 */
class PackingDifferentialTest {

    private static final int SEEDS = Integer.getInteger("fksafe.diff.seeds", 60);
    private static final long FIRST_SEED = Long.getLong("fksafe.diff.seed", 1L);
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

    @Test
    void packedApply_endsInTheStateOfStrictOrder_andOfTheSource() throws SQLException {
        String source = db.newDatabase("pksrc");
        String strict = db.newDatabase("pkstrict");
        String packed = db.newDatabase("pkpacked");
        for (String d : List.of(source, strict, packed)) {
            PackingSchema.create(db, d);
        }
        long started = System.nanoTime();
        long events = 0;
        long strictStatements = 0;
        long packedStatements = 0;
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
            Outcome s = applyStrict(txs, strict);
            Outcome p = applyPacked(txs, packed, how);
            events += changes.size();
            strictStatements += s.statements();
            packedStatements += p.statements();
            if (s.ok() && p.ok() && expected.equals(s.state()) && expected.equals(p.state())) {
                continue;
            }
            StringBuilder report = new StringBuilder("seed ")
                    .append(seed)
                    .append(" (-Dfksafe.diff.seed=")
                    .append(seed)
                    .append(" -Dfksafe.diff.seeds=1), packed with ")
                    .append(how)
                    .append(":\n");
            if (!s.ok() || !expected.equals(s.state())) {
                report.append("strict order does not reproduce the source (not a packing problem)\n");
                describe(report, "source", expected, "strict", s);
                report.append("stream:\n").append(print(txs));
            } else {
                List<List<Event>> small = shrink(txs, strict, packed, how);
                Outcome s2 = applyStrict(small, strict);
                Outcome p2 = applyPacked(small, packed, how);
                report.append("minimal stream where packing differs from strict order:\n")
                        .append(print(small));
                describe(report, "strict", s2.state(), "packed", p2);
            }
            fail(report.toString());
        }
        double secs = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "PACKING differential: %d seeds from %d, %d source changes, %.1f s; statements strict %d, "
                        + "packed %d%n",
                SEEDS, FIRST_SEED, events, secs, strictStatements, packedStatements);
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
        return apply(txs, target, 500, "statement.packing", "false", "statement.max.rows", "1");
    }

    private Outcome applyPacked(List<List<Event>> txs, String target, Packed how) {
        return apply(
                txs,
                target,
                how.putBatch(),
                "batch.max.rows",
                String.valueOf(how.batchMaxRows()),
                "statement.max.rows",
                String.valueOf(how.statementMaxRows()));
    }

    private Outcome apply(List<List<Event>> txs, String target, int putBatch, String... props) {
        PackingSchema.clear(db, target);
        ChangeStream stream = new ChangeStream();
        for (List<Event> tx : txs) {
            if (!tx.isEmpty()) {
                stream.txWithMarkers(tx.stream().map(Event::change).toArray(ChangeRecord[]::new));
            }
        }
        List<String> p = new ArrayList<>(List.of("table.mapping", "src.*=" + target + ".*"));
        p.addAll(List.of(props));
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("pack-" + RUNS.incrementAndGet(), p.toArray(new String[0])))) {
            t.deliver(stream.all(), putBatch);
            return new Outcome(
                    null, PackingSchema.dump(db, target), t.task.stats().statements());
        } catch (RuntimeException e) {
            return new Outcome(e.toString(), null, 0);
        }
    }

    /** Strict order applies the stream, and packing fails or ends elsewhere. */
    private boolean differs(List<List<Event>> txs, String strict, String packed, Packed how) {
        Outcome s = applyStrict(txs, strict);
        if (!s.ok()) {
            return false; // not a stream strict order accepts: says nothing about packing
        }
        Outcome p = applyPacked(txs, packed, how);
        return !p.ok() || !Objects.equals(s.state(), p.state());
    }

    /** Drops whole transactions, then single changes, as long as the difference stays. */
    private List<List<Event>> shrink(List<List<Event>> txs, String strict, String packed, Packed how) {
        List<List<Event>> current = copy(txs);
        int trials = 0;
        boolean progress = true;
        while (progress && trials < SHRINK_TRIALS) {
            progress = false;
            for (int i = current.size() - 1; i >= 0 && trials < SHRINK_TRIALS; i--) {
                List<List<Event>> candidate = copy(current);
                candidate.remove(i);
                trials++;
                if (differs(candidate, strict, packed, how)) {
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
                    if (differs(candidate, strict, packed, how)) {
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
            return;
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
