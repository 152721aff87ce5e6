package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code ./fksafe bench}: the same backlog drained through Connect by the fksafe sink, by Debezium's JDBC sink 3.6.0
 * in its FK-safe configuration (one topic, batch size 1) and in its fast one (per-table topics, batch 500, FK checks
 * off), and copied by a raw JDBC writer as the target's ceiling, each target then compared with the source.
 *
 * <p>The bench has its own source and target MariaDB (under {@code <work>/bench}, removed afterwards) and uses the
 * stack's Kafka and Connect worker. Two Debezium source connectors capture the workload: one into a single topic with
 * transaction markers and schema changes (fksafe, and the FK-safe JDBC sink), one into per-table topics. Capture
 * finishes before any sink starts; sinks run one after another on the same target, each into a fresh database.
 * With {@code --end-to-end}, {@link BenchEndToEnd} runs instead: capture and the fksafe sink together.
 */
public final class Bench {

    private final Stack stack;
    private final Path mariadbBase;
    private final Path work;
    private final PrintStream out;
    private final BenchOptions options;
    private final BenchWorkload workload;
    private final BenchConnectors connectors;
    private final String run = "bench" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    public Bench(Stack stack, Path mariadbBase, Path work, PrintStream out, BenchOptions options) {
        this.stack = stack;
        this.mariadbBase = mariadbBase;
        this.work = work;
        this.out = out;
        this.options = options;
        this.workload = new BenchWorkload(options.parents());
        this.connectors = new BenchConnectors(stack, options.converter(), options.sinkOptions());
    }

    Stack stack() {
        return stack;
    }

    PrintStream out() {
        return out;
    }

    BenchOptions options() {
        return options;
    }

    BenchConnectors connectors() {
        return connectors;
    }

    BenchWorkload workload() {
        return workload;
    }

    String runName() {
        return run;
    }

    /** Runs the bench; returns whether fksafe's target matched the source. */
    public boolean run() throws Exception {
        out.printf(
                "bench %s: %,d parents -> %,d row changes in %,d source transactions; fksafe sink's converter: %s%s%s%n",
                run,
                workload.parents,
                workload.rowEvents(),
                workload.transactions(),
                options.converter(),
                options.slowLinkMillis() > 0
                        ? "; every sink's target connection behind a " + options.slowLinkMillis() + " ms round trip"
                        : "",
                options.endToEnd() ? "; end to end" : "");
        if (options.profile()) {
            out.println(
                    "profiled: JFR records the worker during the fksafe drain; this run's figures are not comparable"
                            + " with an unprofiled run's");
        }
        if (options.exactHeap()) {
            out.println("exact heap: a full collection in the worker every " + BenchHeap.PROBE.toSeconds()
                    + " s of each drain; this run's rates are not comparable with a normal run's");
        }
        Path dir = work.resolve("bench");
        MariaDbServer.deleteTree(dir);
        MariaDbServer sourceServer =
                new MariaDbServer("bench-source", mariadbBase, dir.resolve("source"), freePort(), true);
        MariaDbServer targetServer =
                new MariaDbServer("bench-target", mariadbBase, dir.resolve("target"), freePort(), false);
        List<String> connectors = new ArrayList<>();
        Properties ap = new Properties();
        ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin admin = Admin.create(ap)) {
            // the stack's own passwords: the connectors name them as ${env:…} references the worker resolves
            String sourcePassword = stack.source().password();
            String targetPassword = stack.target().password();
            for (MariaDbServer s : List.of(sourceServer, targetServer)) {
                out.println("  starting " + s.name() + " on 127.0.0.1:" + s.port());
                s.start(Duration.ofMinutes(3));
                s.ensureAccount(LocalStack.USER, s == sourceServer ? sourcePassword : targetPassword);
            }
            Db source = new Db("bench-source", "127.0.0.1", sourceServer.port(), LocalStack.USER, sourcePassword);
            Db target = new Db("bench-target", "127.0.0.1", targetServer.port(), LocalStack.USER, targetPassword);
            LatencyProxy proxy = options.slowLinkMillis() > 0
                    ? new LatencyProxy(targetServer.port(), options.slowLinkMillis())
                    : null;
            try {
                int sinkPort = proxy != null ? proxy.port() : targetServer.port();
                Db sinkTarget = new Db("bench-target", "127.0.0.1", sinkPort, LocalStack.USER, targetPassword);
                if (proxy != null) {
                    out.printf(
                            "  slow link: SELECT 1 takes %.2f ms through the proxy, %.2f ms directly%n",
                            LatencyProxy.roundTripMillis(sinkTarget), LatencyProxy.roundTripMillis(target));
                }
                if (options.endToEnd()) {
                    return new BenchEndToEnd(this, admin, source, target, sinkTarget.port(), connectors).run();
                }
                List<BenchReport.Line> lines;
                try (WorkerJvm worker = attachWorker()) {
                    lines = measure(admin, source, target, sinkTarget, connectors, worker, dir);
                }
                return BenchReport.print(lines, workload.rowEvents(), options.profile() || options.exactHeap(), out);
            } finally {
                if (proxy != null) {
                    proxy.close();
                }
            }
        } finally {
            for (String c : connectors) {
                try {
                    stack.connect().delete(c);
                } catch (IOException e) {
                    out.println("  (could not delete connector " + c + ": " + e.getMessage() + ")");
                }
            }
            targetServer.stopAndDelete();
            sourceServer.stopAndDelete();
        }
    }

    /** @param sinkTarget the target as the sinks reach it (through the slow link, if any); target: directly */
    private List<BenchReport.Line> measure(
            Admin admin, Db source, Db target, Db sinkTarget, List<String> connectors, WorkerJvm worker, Path dir)
            throws Exception {
        int sourcePort = source.port();
        int targetPort = sinkTarget.port();
        ConnectRest rest = stack.connect();
        String oneTopic = run + ".changes";
        String tablePrefix = run + "t";
        // capture: both source connectors first, then the workload, then wait for every event to be in Kafka
        Map<String, String> one = this.connectors.oneTopicSourceConfig(sourcePort, run, oneTopic, 1);
        Map<String, String> perTable = this.connectors.sourceConfig(sourcePort, tablePrefix, 2);
        perTable.put("provide.transaction.metadata", "false");
        perTable.put("include.schema.changes", "false");
        for (Map.Entry<String, Map<String, String>> c :
                Map.of(run + "-src-one", one, run + "-src-tables", perTable).entrySet()) {
            connectors.add(c.getKey());
            rest.putConfig(c.getKey(), c.getValue());
            rest.awaitRunning(c.getKey(), Duration.ofMinutes(3));
        }
        TimeUnit.SECONDS.sleep(3); // both snapshots (of nothing) done, streaming from the binlog
        source.run(BenchWorkload.schema(BenchWorkload.DB));
        workload.load(source, out);
        List<String> tableTopics = List.of(
                tablePrefix + "." + BenchWorkload.DB + ".parent", tablePrefix + "." + BenchWorkload.DB + ".child");
        // per-table topics: every row event, plus a tombstone after each delete
        long perTableTotal = workload.rowEvents() + workload.deletes();
        long oneTotal = awaitCapture(admin, oneTopic, tableTopics, perTableTotal);

        List<BenchReport.Line> lines = new ArrayList<>();
        BenchDrain drain = new BenchDrain(rest, target, out, worker, options.exactHeap());

        lines.add(drainFksafe(drain, source, target, oneTopic, oneTotal, targetPort, connectors, dir));
        BenchDrain.Measured m;

        // Debezium's JDBC sink, FK-safe: one topic in source order, one record per statement
        target.run(BenchWorkload.schema(BenchWorkload.DB));
        String dbz1 = run + "-dbz-fksafe";
        connectors.add(dbz1);
        out.println("drain 2/3: Debezium JDBC sink, one topic, batch 1, FK checks on");
        m = drain.run(
                "dbz_fksafe",
                dbz1,
                BenchConnectors.jdbcSink(targetPort, oneTopic, "1", false),
                () -> BenchProgress.consumed(admin, dbz1),
                oneTotal,
                options.timeout(),
                null);
        lines.add(new BenchReport.Line(
                "dbz_fksafe",
                "Debezium JDBC sink: one topic, batch 1",
                workload.rowEvents(),
                m,
                verify(source, target, "dbz_fksafe")));
        dropTargets(target);

        // Debezium's JDBC sink, fast: per-table topics, batch 500, FK checks off for its session
        target.run(BenchWorkload.schema(BenchWorkload.DB));
        String dbz2 = run + "-dbz-fkoff";
        connectors.add(dbz2);
        out.println("drain 3/3: Debezium JDBC sink, per-table topics, batch 500, FK checks off");
        m = drain.run(
                "dbz_fkoff",
                dbz2,
                BenchConnectors.jdbcSink(targetPort, String.join(",", tableTopics), "500", true),
                () -> BenchProgress.consumed(admin, dbz2),
                perTableTotal,
                options.timeout(),
                null);
        lines.add(new BenchReport.Line(
                "dbz_fkoff",
                "Debezium JDBC sink: per-table, batch 500, FK off",
                workload.rowEvents(),
                m,
                verify(source, target, "dbz_fkoff")));
        dropTargets(target);

        // the ceiling: the source's final rows, straight into the target
        target.run(BenchWorkload.schema(BenchWorkload.DB));
        out.println("raw JDBC writer: the final rows in 500-row upserts, ~5,000 rows per transaction, FK checks on");
        BenchDrain.Counters before;
        try (Connection c = target.connect();
                Statement st = c.createStatement()) {
            before = BenchDrain.counters(st);
        }
        long t0 = System.nanoTime();
        long rows = BenchWorkload.rawCopy(source, sinkTarget, BenchWorkload.DB);
        double secs = (System.nanoTime() - t0) / 1e9;
        try (Connection c = target.connect();
                Statement st = c.createStatement()) {
            m = new BenchDrain.Measured(secs, BenchDrain.counters(st).minus(before), null, null);
        }
        lines.add(new BenchReport.Line(
                "raw", "raw JDBC writer (rows, not events)", rows, m, verify(source, target, "raw")));
        admin.deleteTopics(List.of(
                oneTopic,
                tableTopics.get(0),
                tableTopics.get(1),
                run + ".schema-history",
                tablePrefix + ".schema-history"));
        return lines;
    }

    /**
     * The fksafe drain, {@code --fksafe-runs} times (3 unless told) over the same topic, a new connector and an empty
     * target each time; the run with the median rate stands for fksafe in the table. One drain lasts two seconds,
     * so the worker's JIT is still warming up during the first (a quarter slower after {@code up}), and single runs
     * on a shared two-core machine vary by a tenth; Debezium's drains last 7–30 s and warm up within themselves.
     */
    private BenchReport.Line drainFksafe(
            BenchDrain drain,
            Db source,
            Db target,
            String topic,
            long records,
            int targetPort,
            List<String> connectors,
            Path dir)
            throws Exception {
        Map<String, String> fk = this.connectors.fksafeSink(topic, targetPort);
        List<BenchReport.Line> runs = new ArrayList<>();
        for (int i = 1; i <= options.fksafeRuns(); i++) {
            String name = run + "-fksafe" + (i == 1 ? "" : "-" + i);
            connectors.add(name);
            out.println("drain 1/3: fksafe sink (" + options.converter() + " converter)"
                    + (options.fksafeRuns() > 1 ? ", run " + i + " of " + options.fksafeRuns() : ""));
            BenchDrain.Measured m = drain.run(
                    "fksafe",
                    name,
                    fk,
                    () -> BenchProgress.checkpoint(target, name, topic),
                    records,
                    options.timeout(),
                    options.profile() && i == options.fksafeRuns() ? dir.resolve(run + "-fksafe.jfr") : null);
            BenchReport.Line line = new BenchReport.Line(
                    "fksafe",
                    "fksafe sink, defaults, markers",
                    workload.rowEvents(),
                    m,
                    verify(source, target, "fksafe"));
            dropTargets(target);
            if (options.fksafeRuns() > 1) {
                stack.connect().delete(name); // its task would otherwise sit on the worker's CPU and heap
                connectors.remove(name);
                out.printf(
                        "  run %d: %,.0f events/s in %.1f s, correct: %s%n",
                        i, line.rate(), m.seconds(), line.correct() ? "yes" : "NO");
            }
            runs.add(line);
        }
        for (BenchReport.Line l : runs) {
            if (!l.ok()) {
                return l; // a wrong or failed drain is what the table must show
            }
        }
        runs.sort(Comparator.comparingDouble(BenchReport.Line::rate));
        if (runs.size() > 1) {
            out.printf(
                    "  fksafe drains: %s events/s; the median stands in the table%n",
                    runs.stream().map(l -> String.format("%,.0f", l.rate())).collect(Collectors.joining(" / ")));
        }
        return runs.get((runs.size() - 1) / 2); // of an even number, the slower middle one
    }

    /** Waits until the per-table topics hold every event and the single topic stopped growing; its record count. */
    private long awaitCapture(Admin admin, String oneTopic, List<String> tableTopics, long perTableTotal)
            throws Exception {
        long t0 = System.nanoTime();
        long lastOne = -1;
        long stableSince = System.nanoTime();
        while (true) {
            long tables = BenchProgress.endOffsets(admin, tableTopics);
            long oneEnd = BenchProgress.endOffsets(admin, List.of(oneTopic));
            if (oneEnd != lastOne) {
                lastOne = oneEnd;
                stableSince = System.nanoTime();
            }
            out.printf(
                    "  capture: %,d / %,d per-table events, %,d in %s (%.0f s)%n",
                    tables, perTableTotal, oneEnd, oneTopic, (System.nanoTime() - t0) / 1e9);
            if (tables >= perTableTotal && oneEnd >= workload.rowEvents() && System.nanoTime() - stableSince > 3e9) {
                return oneEnd;
            }
            if (System.nanoTime() - t0 > options.timeout().toNanos()) {
                throw new IOException("capture did not finish within " + options.timeout());
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    boolean verify(Db source, Db target, String label) {
        List<Verify.Row> rows = Verify.compare(source, target, BenchWorkload.DB, Set.of("fksafe"));
        boolean ok = !rows.isEmpty() && rows.stream().allMatch(Verify.Row::ok);
        out.println("  " + label + ": target " + (ok ? "== source" : "DIFFERS from the source:"));
        if (!ok) {
            Verify.print(rows, out);
        }
        return ok;
    }

    private static void dropTargets(Db target) {
        target.exec("DROP DATABASE IF EXISTS `" + BenchWorkload.DB + "`", "DROP DATABASE IF EXISTS fksafe");
    }

    /**
     * The worker's JVM, for its heap during each drain; null (and said so) when it cannot be reached, unless a profile
     * was asked for.
     */
    private WorkerJvm attachWorker() throws IOException {
        try {
            return WorkerJvm.attach(stack.workerPid());
        } catch (IOException | RuntimeException e) {
            if (options.profile() || options.exactHeap()) {
                throw new IOException("--profile/--exact-heap: " + e.getMessage(), e);
            }
            out.println("  (the worker's heap is not measured: " + e.getMessage() + ")");
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
