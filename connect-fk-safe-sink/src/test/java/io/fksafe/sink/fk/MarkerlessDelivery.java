package io.fksafe.sink.fk;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.fk.SourceRecorder.Event;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TaskRunner;

/**
 * How {@link PackingDifferentialTest} delivers a stream without transaction markers, as Debezium emits it without
 * {@code provide.transaction.metadata}: no BEGIN/END, every row at its transaction's start position, with GTIDs (the
 * GTID is the transaction id) or without (only binlog file and position), binlog rotations between transactions; put
 * boundaries anywhere, also inside transactions, some of them followed by an empty put, some by a crash and restart of
 * the task ({@link RunningTask}; the worker then delivers again from where the new task seeks). The task runs with
 * 'transaction.idle.ms'=0 ({@link TaskRunner#props}), so an empty put is idleness long enough to commit a transaction
 * left open: the rest of it, when it comes, is a split (docs/sink.md, "Transactions without markers"), and a restart
 * after it resumes inside the transaction.
 *
 * <p>Cuts are tied to the events they precede, not to counts, so they survive the shrinker dropping other events; a
 * dropped event takes its cut with it.
 */
final class MarkerlessDelivery {

    private final boolean gtids;
    private final String style;
    /** A put ends before these events. */
    private final Set<Event> putBefore = identitySet();
    /** An empty put (the stream idles) comes before these events; always also a put boundary. */
    private final Set<Event> idleBefore = identitySet();
    /** After the put before these events (and its empty put, if any) the task crashes and restarts. */
    private final Set<Event> restartBefore = identitySet();
    /** The binlog rotates before the transaction these events start. */
    private final Set<Event> rotateBefore = identitySet();

    private MarkerlessDelivery(boolean gtids, String style) {
        this.gtids = gtids;
        this.style = style;
    }

    /** A random schedule over {@code txs}: sparse or dense put boundaries, from no idleness to much. */
    static MarkerlessDelivery random(List<List<Event>> txs, Random random) {
        double[] cuts = {0.03, 0.15, 0.5, 1.0};
        double[] idles = {0, 0.25, 0.75};
        double cut = cuts[random.nextInt(cuts.length)];
        double idle = idles[random.nextInt(idles.length)];
        double restart = random.nextInt(3) == 0 ? 0.1 : 0;
        boolean gtids = random.nextBoolean();
        MarkerlessDelivery d = new MarkerlessDelivery(
                gtids,
                (gtids ? "gtid" : "binlog file/pos") + ", put boundary p=" + cut + ", then idle p=" + idle
                        + ", then restart p=" + restart);
        boolean first = true;
        for (List<Event> tx : txs) {
            for (int i = 0; i < tx.size(); i++) {
                Event e = tx.get(i);
                if (i == 0 && !first && random.nextInt(20) == 0) {
                    d.rotateBefore.add(e);
                }
                if (!first && random.nextDouble() < cut) {
                    d.putBefore.add(e);
                    if (random.nextDouble() < idle) {
                        d.idleBefore.add(e);
                    }
                    if (random.nextDouble() < restart) {
                        d.restartBefore.add(e);
                    }
                }
                first = false;
            }
        }
        return d;
    }

    /**
     * Puts {@code txs} into the task as scheduled, then an empty put (the stream goes quiet at its end). Returns the
     * records delivered and how many transactions an empty put cut in two where the same task saw the rest: each is a
     * split that task must count (a task restarted in between resumes inside the transaction and sees no split).
     */
    Delivered deliver(RunningTask run, List<List<Event>> txs) {
        List<SinkRecord> records = records(txs);
        int splits = 0;
        int putStart = 0;
        int next = 0; // one record per event: no markers
        for (List<Event> tx : txs) {
            for (int i = 0; i < tx.size(); i++, next++) {
                Event e = tx.get(i);
                if (putBefore.contains(e) && next > putStart) {
                    run.task().task.put(records.subList(putStart, next));
                    putStart = next;
                    if (idleBefore.contains(e)) {
                        run.task().task.put(List.of());
                    }
                    if (restartBefore.contains(e)) {
                        putStart = (int) run.crashAndRestart();
                    } else if (idleBefore.contains(e) && i > 0) {
                        splits++;
                    }
                }
            }
        }
        run.task().task.put(records.subList(putStart, records.size()));
        run.task().task.put(List.of());
        return new Delivered(records.size(), splits);
    }

    record Delivered(int records, int splits) {}

    /** The records as Debezium emits them without transaction metadata. */
    private List<SinkRecord> records(List<List<Event>> txs) {
        ChangeStream stream = new ChangeStream().gtids(gtids);
        for (List<Event> tx : txs) {
            if (!tx.isEmpty()) {
                if (rotateBefore.contains(tx.get(0))) {
                    stream.rotate();
                }
                stream.tx(tx.stream().map(Event::change).toArray(ChangeRecord[]::new));
            }
        }
        return stream.all();
    }

    /**
     * The transactions with their delivery: '|' a put boundary, '|idle|' one followed by an empty put, '|restart|' or
     * '|idle, restart|' one followed by a crash and restart of the task.
     */
    String print(List<List<Event>> txs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < txs.size(); i++) {
            List<Event> tx = txs.get(i);
            b.append("  tx ")
                    .append(i + 1)
                    .append(tx.isEmpty() || !rotateBefore.contains(tx.get(0)) ? "" : " (new binlog file)");
            b.append(": [");
            for (int j = 0; j < tx.size(); j++) {
                Event e = tx.get(j);
                b.append(j == 0 ? "" : ", ").append(cut(e)).append(e);
            }
            b.append("]\n");
        }
        return b.toString();
    }

    private String cut(Event e) {
        if (!putBefore.contains(e)) {
            return "";
        }
        boolean idle = idleBefore.contains(e);
        boolean restart = restartBefore.contains(e);
        return idle && restart ? "|idle, restart| " : idle ? "|idle| " : restart ? "|restart| " : "| ";
    }

    @Override
    public String toString() {
        return "without markers (" + style + ")";
    }

    private static Set<Event> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
