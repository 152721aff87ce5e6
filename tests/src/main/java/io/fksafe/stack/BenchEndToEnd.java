package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ./fksafe bench --end-to-end}: capture and the fksafe sink together. The same workload runs on the bench
 * source again and again, each time into a fresh database and a fresh capture topic, at the source's own speed: a
 * warm-up captured only (Debezium into Kafka) and never compared, then captured only, then per round with the fksafe
 * sink deployed and caught up before the workload starts and captured only again, so two capture-only runs bracket
 * each end-to-end one. Reported: the wall time from the workload's start until Kafka (capture only) or the target
 * (end to end) held every transaction, the lag over time, and per source transaction the latency from its COMMIT to
 * Kafka and to the target ({@link BenchLatency}).
 */
final class BenchEndToEnd {

    /**
     * The first capture after the worker started runs on code the JIT has not compiled yet and took twice as long as
     * the next (14 s against 7 s); in a round it would make the sink look cheap.
     */
    private static final String WARM_UP = "capture only, warm-up (in no round)";

    /** One run's label and figures. */
    private record Outcome(String label, BenchLatency figures) {}

    /** One end-to-end run against the mean of the capture-only runs on both sides of it. */
    private record Round(double ratio, Outcome run, double captureSeconds) {}

    private final Bench bench;
    private final Admin admin;
    private final Db source;
    private final Db target;
    private final int sinkPort;
    private final List<String> connectors;
    private final List<String> topics = new ArrayList<>();
    private final PrintStream out;
    private final ConnectRest rest;
    private final BenchWorkload workload;

    /**
     * @param target     the bench target, directly: the checkpoint is read and the result verified there
     * @param sinkPort   the target's port as the sink reaches it (a slow link's proxy, if any)
     * @param connectors the bench's connector list, deleted when it ends
     */
    BenchEndToEnd(Bench bench, Admin admin, Db source, Db target, int sinkPort, List<String> connectors) {
        this.bench = bench;
        this.admin = admin;
        this.source = source;
        this.target = target;
        this.sinkPort = sinkPort;
        this.connectors = connectors;
        this.out = bench.out();
        this.rest = bench.stack().connect();
        this.workload = bench.workload();
    }

    /**
     * Runs capture alone, then per round the sink end to end and capture alone again, and prints the report; returns
     * whether the target equalled the source after every round.
     */
    boolean run() throws Exception {
        int rounds = bench.options().rounds();
        int total = 2 + 2 * rounds;
        try {
            List<Outcome> runs = new ArrayList<>();
            runs.add(once(1, total, WARM_UP, false));
            runs.add(once(2, total, "capture only", false));
            boolean correct = true;
            for (int k = 1; k <= rounds; k++) {
                target.exec("DROP DATABASE IF EXISTS `" + BenchWorkload.DB + "`", "DROP DATABASE IF EXISTS fksafe");
                runs.add(once(
                        2 * k + 1, total, "fksafe sink, end to end" + (rounds > 1 ? " (round " + k + ")" : ""), true));
                correct &= bench.verify(source, target, "fksafe");
                runs.add(once(2 * k + 2, total, "capture only, again", false));
            }
            return report(runs, correct);
        } finally {
            try {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                out.println("  (could not delete the bench topics: " + e.getMessage() + ")");
            }
        }
    }

    private Outcome once(int n, int total, String label, boolean withSink) throws Exception {
        out.printf("run %d/%d: %s%n", n, total, label);
        String prefix = bench.runName() + "e" + n;
        String topic = prefix + ".changes";
        topics.addAll(List.of(topic, prefix + ".schema-history"));
        source.exec("DROP DATABASE IF EXISTS `" + BenchWorkload.DB + "`"); // the previous run's
        Map<String, String> capture = bench.connectors().oneTopicSourceConfig(source.port(), prefix, topic, 10 + n);
        String captureName = prefix + "-src";
        connectors.add(captureName);
        rest.putConfig(captureName, capture);
        rest.awaitRunning(captureName, Duration.ofMinutes(3));
        TimeUnit.SECONDS.sleep(3); // its snapshot (of nothing) done, streaming from the binlog
        source.run(BenchWorkload.schema(BenchWorkload.DB));
        long schemaEnd = awaitQuiet(topic);
        String sink = null;
        if (withSink) {
            sink = prefix + "-fksafe";
            connectors.add(sink);
            rest.putConfig(sink, bench.connectors().fksafeSink(topic, sinkPort));
            rest.awaitRunning(sink, Duration.ofMinutes(3));
            awaitCheckpoint(sink, topic, schemaEnd);
        }
        BenchTimeline.Result r = new BenchTimeline(admin, topic, out)
                .record(
                        workload,
                        source,
                        withSink ? target : null,
                        sink,
                        rest,
                        bench.options().timeout());
        rest.delete(captureName);
        if (sink != null) {
            rest.delete(sink);
        }
        long[] markers = BenchTransactions.endMarkers(
                bench.stack().kafkaBootstrap(), topic, r.firstOffset(), r.ends()[r.ends().length - 1]);
        BenchLatency figures = BenchLatency.of(r, markers, withSink);
        out.printf(
                "  %s: in Kafka after %.1f s%s%n",
                label,
                figures.kafkaSeconds(),
                withSink ? String.format(", in the target after %.1f s", figures.targetSeconds()) : "");
        return new Outcome(label, figures);
    }

    /** Waits until the topic exists and its end offset stood still for 2 s (the schema's DDL captured); returns it. */
    private long awaitQuiet(String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (true) {
            long end = BenchProgress.endOffsets(admin, List.of(topic));
            if (end != last) {
                last = end;
                since = System.nanoTime();
            } else if (end > 0 && System.nanoTime() - since > 2_000_000_000L) {
                return end;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the schema's DDL did not reach " + topic + " within 3 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Waits until the sink applied everything before the workload (the schema): the run starts from a caught-up sink. */
    private void awaitCheckpoint(String sink, String topic, long offset) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (BenchProgress.checkpoint(target, sink, topic) < offset) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the sink " + sink + " did not apply the schema within 3 minutes ("
                        + rest.describe(sink) + ")");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private boolean report(List<Outcome> runs, boolean correct) {
        List<List<String>> cells = new ArrayList<>();
        double[] gaps = {0, 0};
        for (Outcome o : runs) {
            BenchLatency f = o.figures();
            double wall = f.withSink() ? f.targetSeconds() : f.kafkaSeconds();
            cells.add(List.of(
                    o.label(),
                    String.format("%.1f s", f.loadSeconds()),
                    String.format("%.1f s", f.kafkaSeconds()),
                    f.withSink() ? String.format("%.1f s", f.targetSeconds()) : "-",
                    String.format("%,.0f", workload.rowEvents() / wall),
                    f.kafkaLatency().toString(),
                    f.withSink() ? f.sinkLatency().toString() : "-",
                    f.withSink() ? f.targetLatency().toString() : "-"));
            double[] g = f.sampleGapMillis();
            gaps[0] = Math.max(gaps[0], g[0]);
            gaps[1] = Math.max(gaps[1], g[1]);
        }
        List<Round> rounds = new ArrayList<>();
        for (int i = 2; i < runs.size(); i += 2) { // runs.get(0) is the warm-up
            double capture = (runs.get(i - 1).figures().kafkaSeconds()
                            + runs.get(i + 1).figures().kafkaSeconds())
                    / 2;
            rounds.add(new Round(runs.get(i).figures().targetSeconds() / capture, runs.get(i), capture));
        }
        List<Round> byRatio = new ArrayList<>(rounds);
        byRatio.sort(Comparator.comparingDouble(Round::ratio));
        Round median = byRatio.get(byRatio.size() / 2); // of an even number, the higher middle one
        BenchLatency fk = median.run().figures();
        out.println();
        out.println("lag of the fksafe sink (row changes; lag = how long the oldest source transaction not yet in the "
                + "target has been committed):");
        TextTable.draw(
                        List.of("t (s)", "committed on source", "in Kafka", "in target", "lag (s)"),
                        fk.lagSeries(workload))
                .forEach(out::println);
        out.println();
        TextTable.draw(
                        List.of(
                                "run",
                                "workload",
                                "all in Kafka",
                                "all in target",
                                "row changes/s",
                                "commit->Kafka ms p50/p99/max",
                                "Kafka->target",
                                "commit->target"),
                        cells)
                .forEach(out::println);
        double capture = median.captureSeconds();
        double ratio = median.ratio();
        out.printf(
                "(%,d row changes in %,d source transactions; times from the workload's start; latencies per source "
                        + "transaction, Kafka->target being the sink's own share; the workload notes each COMMIT's return, "
                        + "Kafka's end offset and the sink's checkpoint were sampled every %d ms: %.0f ms apart on average, "
                        + "%.0f ms at most, so a moment here is late by less than that)%n",
                workload.rowEvents(),
                workload.transactions(),
                BenchTimeline.SAMPLE_NANOS / 1_000_000,
                gaps[0],
                gaps[1]);
        if (rounds.size() > 1) {
            out.printf(
                    "rounds' ratios in order: %s; the median round's figures follow (and its lag above)%n",
                    rounds.stream().map(r -> String.format("%.2f", r.ratio())).collect(Collectors.joining(", ")));
        }
        out.printf(
                "end to end the fksafe sink needs %.2fx the capture-only wall time (%.1f s against %.1f s, the mean "
                        + "of the runs before and after it; issue 11 aims at 1.10x at most)%n",
                ratio, fk.targetSeconds(), capture);
        BenchLatency.Percentiles p = fk.targetLatency();
        out.printf(
                "BENCH_E2E fksafe_wall_s=%.2f capture_wall_s=%.2f ratio=%.2f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f "
                        + "correct=%s rounds=%d%n",
                fk.targetSeconds(), capture, ratio, p.p50(), p.p99(), p.max(), correct ? "yes" : "no", rounds.size());
        return correct;
    }
}
