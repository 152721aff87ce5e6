package io.fksafe.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of one end-to-end run, from its {@link BenchTimeline.Result} and the offsets of its transactions' END
 * markers. A source transaction is in Kafka at the first sample whose topic end lies past its END marker, and in the
 * target at the first sample whose checkpoint reached its END marker (every row before the marker committed). Samples
 * are timed after their reads returned, so each moment is late by less than the gap between two samples, never early.
 */
final class BenchLatency {

    /** Latencies in milliseconds over every source transaction. */
    record Percentiles(double p50, double p99, double max) {
        @Override
        public String toString() {
            return String.format("%,.0f / %,.0f / %,.0f", p50, p99, max);
        }
    }

    private final BenchTimeline.Result run;
    private final long[] inKafka;
    private final long[] inTarget;

    private BenchLatency(BenchTimeline.Result run, long[] inKafka, long[] inTarget) {
        this.run = run;
        this.inKafka = inKafka;
        this.inTarget = inTarget;
    }

    /** @param withSink whether a sink ran (its checkpoints were sampled) */
    static BenchLatency of(BenchTimeline.Result run, long[] endMarkers, boolean withSink) {
        if (endMarkers.length != run.commits().length) {
            throw new IllegalStateException("the topic holds " + endMarkers.length + " END markers after offset "
                    + run.firstOffset() + ", the workload committed " + run.commits().length + " transactions: "
                    + "cannot tell which marker ends which transaction");
        }
        return new BenchLatency(
                run,
                firstReached(run, run.ends(), endMarkers, 1, "Kafka"),
                withSink ? firstReached(run, run.checkpoints(), endMarkers, 0, "the target") : null);
    }

    private static long[] firstReached(
            BenchTimeline.Result run, long[] values, long[] markers, long past, String where) {
        long[] at = new long[markers.length];
        int i = 0;
        for (int k = 0; k < markers.length; k++) {
            while (i < values.length && values[i] < markers[k] + past) {
                i++;
            }
            if (i == values.length) {
                throw new IllegalStateException("source transaction " + k + " (END marker at offset " + markers[k]
                        + ") was never seen in " + where);
            }
            at[k] = run.times()[i];
        }
        return at;
    }

    boolean withSink() {
        return inTarget != null;
    }

    /** Seconds from the workload's start to its last COMMIT. */
    double loadSeconds() {
        return seconds(run.commits());
    }

    /** Seconds from the workload's start until Kafka held every transaction. */
    double kafkaSeconds() {
        return seconds(inKafka);
    }

    /** Seconds from the workload's start until the target held every transaction. */
    double targetSeconds() {
        return seconds(inTarget);
    }

    /** From each transaction's COMMIT on the source until it was in Kafka. */
    Percentiles kafkaLatency() {
        return percentiles(run.commits(), inKafka);
    }

    /** From each transaction's COMMIT on the source until it was in the target. */
    Percentiles targetLatency() {
        return percentiles(run.commits(), inTarget);
    }

    /** From each transaction's arrival in Kafka until it was in the target: the sink's own share. */
    Percentiles sinkLatency() {
        return percentiles(inKafka, inTarget);
    }

    /** The mean and the largest gap between samples, in ms: how late any moment above may be. */
    double[] sampleGapMillis() {
        long[] t = run.times();
        long max = t.length == 0 ? 0 : t[0] - run.start();
        for (int i = 1; i < t.length; i++) {
            max = Math.max(max, t[i] - t[i - 1]);
        }
        double mean = t.length == 0 ? 0 : (t[t.length - 1] - run.start()) / 1e6 / t.length;
        return new double[] {mean, max / 1e6};
    }

    /**
     * Lag over time, one row per {@code step} (widened so there are at most ~40) and a last row at the end: row
     * changes committed on the source, in Kafka, in the target, and the lag, i.e. how long the oldest transaction
     * committed on the source but not yet in the target has been waiting.
     */
    List<List<String>> lagSeries(BenchWorkload workload) {
        long[] rows = new long[run.commits().length + 1]; // rows[k]: row changes in the first k transactions
        for (int k = 0; k < run.commits().length; k++) {
            rows[k + 1] = rows[k] + workload.rowsOf(k);
        }
        long end = inTarget[inTarget.length - 1];
        long step = 2_000_000_000L;
        while ((end - run.start()) / step > 40) {
            step *= 2;
        }
        List<List<String>> out = new ArrayList<>();
        for (long t = run.start() + step; ; t = Math.min(t + step, end)) {
            int committed = count(run.commits(), t);
            int applied = count(inTarget, t);
            double lag = applied < committed ? (t - run.commits()[applied]) / 1e9 : 0;
            out.add(List.of(
                    String.format("%.1f", (t - run.start()) / 1e9),
                    String.format("%,d", rows[committed]),
                    String.format("%,d", rows[count(inKafka, t)]),
                    String.format("%,d", rows[applied]),
                    String.format("%.2f", lag)));
            if (t >= end) {
                return out;
            }
        }
    }

    /** How many of the ascending moments are at or before {@code t}. */
    private static int count(long[] ascending, long t) {
        int i = Arrays.binarySearch(ascending, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i + 1 < ascending.length && ascending[i + 1] == t) {
            i++;
        }
        return i + 1;
    }

    private double seconds(long[] at) {
        return (at[at.length - 1] - run.start()) / 1e9;
    }

    private static Percentiles percentiles(long[] from, long[] to) {
        double[] ms = new double[to.length];
        for (int k = 0; k < to.length; k++) {
            ms[k] = (to[k] - from[k]) / 1e6;
        }
        Arrays.sort(ms);
        return new Percentiles(rank(ms, 0.50), rank(ms, 0.99), ms[ms.length - 1]);
    }

    /** Nearest rank. */
    private static double rank(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
